"""The one error shape of the API, shared by every app's router.

One class per name: the OpenAPI document keys its schemas by class name, so two apps each
defining an `ErrorOut` would leave the document describing only one of them.

Every refusal answers `{"detail": "<message>", "errors": [{"field": ..., "message": ...}]}`,
with the messages in the caller's language; `errors` lists the fields at fault when the input
itself did not validate, and is empty otherwise.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema


class FieldError(Schema):
    field: str = Field(description="Where: a field name, a query parameter, or `a.0.b` within.")
    message: str


class ErrorOut(Schema):
    """Every refusal of the API: a message in the caller's language, and the fields at fault."""

    detail: str
    errors: list[FieldError] = Field(default_factory=list)


def error_body(detail: str, errors: Iterable[Mapping[str, str]] = ()) -> dict[str, Any]:
    return {"detail": detail, "errors": list(errors)}


# Where a parameter came from: the first item of each pydantic error's location, which says
# nothing to the caller. A JSON body's errors also name the view's argument ("payload").
_SOURCES = {"query", "path", "form", "file", "header", "cookie"}

_PLAIN: dict[str, Promise] = {
    "missing": gettext_lazy("This field is required."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "float_type": gettext_lazy("Enter a number."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "string_type": gettext_lazy("Enter text."),
    "date_parsing": gettext_lazy("Enter a date such as 2026-03-01."),
    "date_type": gettext_lazy("Enter a date such as 2026-03-01."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date such as 2026-03-01."),
    "datetime_parsing": gettext_lazy("Enter a date and time such as 2026-03-01T08:30:00+08:00."),
    "datetime_type": gettext_lazy("Enter a date and time such as 2026-03-01T08:30:00+08:00."),
    "datetime_from_date_parsing": gettext_lazy(
        "Enter a date and time such as 2026-03-01T08:30:00+08:00."
    ),
    "list_type": gettext_lazy("Send a list."),
    "model_type": gettext_lazy("Send an object with the fields the API document lists."),
    "dict_type": gettext_lazy("Send an object with the fields the API document lists."),
    "model_attributes_type": gettext_lazy("Send an object with the fields the API document lists."),
}

_BOUNDED: dict[str, tuple[str, Promise]] = {
    "greater_than_equal": ("ge", gettext_lazy("Enter a value of at least %(limit)s.")),
    "less_than_equal": ("le", gettext_lazy("Enter a value of at most %(limit)s.")),
    "greater_than": ("gt", gettext_lazy("Enter a value above %(limit)s.")),
    "less_than": ("lt", gettext_lazy("Enter a value below %(limit)s.")),
    "string_too_long": ("max_length", gettext_lazy("Enter at most %(limit)s characters.")),
    "string_too_short": ("min_length", gettext_lazy("Enter at least %(limit)s characters.")),
    "too_long": ("max_length", gettext_lazy("Send at most %(limit)s items.")),
    "too_short": ("min_length", gettext_lazy("Send at least %(limit)s items.")),
}


def _field(location: Iterable[object]) -> str:
    parts = list(location)
    if parts[:1] == ["body"]:
        parts = parts[2:]
    elif parts[:1] and parts[0] in _SOURCES:
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


def _message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in _PLAIN:
        return str(_PLAIN[kind])
    if kind in _BOUNDED and _BOUNDED[kind][0] in context:
        key, message = _BOUNDED[kind]
        return str(message) % {"limit": context[key]}
    return _("This value is not valid.")


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Pydantic's errors (as django-ninja collects them) as fields and messages a person reads."""
    return [{"field": _field(error.get("loc", ())), "message": _message(error)} for error in errors]


def invalid_input_body(errors: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The answer to input that did not validate: each field at fault, and all in one line."""
    found = field_errors(errors)
    problems = "; ".join(
        f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in found
    )
    return error_body(
        _("Please correct what was sent: %(problems)s") % {"problems": problems}, found
    )
