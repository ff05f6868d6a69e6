"""Refusals of the issue loop, each with a message for the user and an HTTP status for the API."""


class IssueError(Exception):
    status = 422

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(IssueError):
    """The user may not take this action on this issue (in this step)."""

    status = 403


class Conflict(IssueError):
    """Someone else acted on the issue first; the user should look again."""

    status = 409


class Invalid(IssueError):
    """The request itself is wrong (missing reason, unknown category, text too long)."""

    status = 422
