"""Pages of the API's lists: at most MAX_PAGE rows a request, and offsets a database can take.

A `limit` or `offset` beyond the bounds is refused with 422 in the one error shape, and the
OpenAPI document shows the bounds; without them `/api/people/?limit=100000` decrypted and
returned the whole register, and a limit or offset above 2**63 was a server error on SQLite.
"""

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

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
