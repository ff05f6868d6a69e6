"""Pages of the API's lists: at most MAX_PAGE rows a request, and offsets a database can take.

A `limit` or `offset` beyond the bounds is refused with 422 in the one error shape, and the
OpenAPI document shows the bounds; without them `/api/people/?limit=100000` decrypted and
returned the whole register, and a limit or offset above 2**63 was a server error on SQLite.
"""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import CursorPagination, LimitOffsetPagination
from pydantic import ValidationError as PydanticValidationError

MAX_PAGE = 200
# Far beyond any list we hold, and below the 64-bit integers the databases take.
MAX_OFFSET = 1_000_000_000


class PageIn(Schema):
    limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class BoundedPagination(LimitOffsetPagination):
    """django-ninja's limit and offset, bounded (settings.NINJA_PAGINATION_CLASS)."""

    Input = PageIn  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


class KeysetPagination(CursorPagination):
    """Pages of a list that grows without end (every issue of a county, every notice), newest
    first by id: each page starts where the last one ended (`next`, an opaque cursor), so
    reading the millionth row costs what reading the first does, and rows added meanwhile
    neither repeat nor go missing, as they would with offsets."""

    class Input(Schema):
        page_size: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=MAX_PAGE)
        cursor: str = Field("", max_length=200)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            ordering=("-id",),
            page_size=settings.NINJA_PAGINATION_PER_PAGE,
            max_page_size=MAX_PAGE,
            **kwargs,
        )

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        # The cursor comes back from the client: anything but one we made is refused in the
        # one error shape, never a server error (the position must be an id).
        try:
            cursor = self.Cursor.from_encoded_param(pagination.cursor or None)
            valid = cursor.p is None or (cursor.p.isascii() and cursor.p.isdigit())
        except (NinjaValidationError, PydanticValidationError, ValueError, UnicodeError):
            valid = False
        if not valid or len(cursor.p or "") > 18:
            raise NinjaValidationError(
                [{"loc": ("query", "cursor"), "msg": "invalid cursor", "type": "value_error"}]
            )
        pagination.cursor = pagination.cursor or None
        return super().paginate_queryset(queryset, pagination, request, **params)
