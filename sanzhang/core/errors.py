"""Refusals of the domain, each with a message for the user and an HTTP status for the API.

Every app's services raise these; pages show the message and the API answers with the status,
so the same refusal reads the same everywhere."""


class Refusal(Exception):
    status = 422

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(Refusal):
    """The user may not take this action on this thing (in this state)."""

    status = 403


class Conflict(Refusal):
    """Someone else acted first; the user should look again."""

    status = 409


class Invalid(Refusal):
    """The request itself is wrong (missing reason, unknown category, text too long)."""

    status = 422
