"""Schemas every app's API router shares.

One class per name: the OpenAPI document keys its schemas by class name, so two apps each
defining an `ErrorOut` would leave the document describing only one of them.
"""

from ninja import Schema


class ErrorOut(Schema):
    """Every refusal of the API: a message in the caller's language."""

    detail: str
