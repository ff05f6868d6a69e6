"""Request helpers for views: the request type behind `login_required` (so type checking
knows `request.user`), reading ids from forms, and answering with a stored photo."""

import logging
from typing import TYPE_CHECKING

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from sanzhang.people.models import User


class AuthedRequest(HttpRequest):
    user: "User"
    htmx: "HtmxDetails"


def form_id(value: str | None) -> int:
    """A record's number from a form or query string, or 0 (which finds nothing) for anything
    else, so that a mangled id answers 404 rather than a server error."""
    return int(value) if value and value.isascii() and value.isdigit() else 0


def photo_response(image: FieldFile) -> FileResponse:
    """The stored JPEG; a row whose file is gone (media restored apart from the database, a
    disk lost) answers 404 like a missing photo, not 500, and is logged for the staff."""
    try:
        opened = image.open("rb")
    except FileNotFoundError:
        logging.getLogger(__name__).warning("photo file missing: %s", image.name)
        raise Http404 from None
    return FileResponse(opened, content_type="image/jpeg")
