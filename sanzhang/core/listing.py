"""Pages of lists that grow without end (a county's issues, a province's registers).

A page shows 50 rows; counting every row and sorting every row at its full width to show
them costs with the list's length. `CappedPaginator` keeps a page's cost near flat:
- the count stops `cap` rows past the page asked for (the page then says "more than N"),
  and the pages after it stay reachable (the count reaches further as the reader does);
- with `rows`, a page's rows are picked by their ids first, sorted on the narrow columns
  the filter and the sort read (an index's entries), and only those rows are then read with
  their joins and annotations: one query, the picking as its subquery.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

COUNT_CAP = 1000


class CappedPaginator(Paginator[Any]):
    """A paginator over an ordered queryset, with a capped count and narrow picking."""

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        *,
        rows: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
        cap: int = COUNT_CAP,
    ) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.rows = rows
        self.cap = cap
        self._wanted = 1

    def get_page(self, number: Any) -> Page[Any]:
        try:
            self._wanted = max(int(number), 1)
        except (TypeError, ValueError):
            self._wanted = 1
        return super().get_page(number)

    @property
    def _limit(self) -> int:
        """Rows counted at most: those before the page asked for, and `cap` more."""
        return (self._wanted - 1) * self.per_page + self.cap

    @cached_property
    def count(self) -> int:
        return self.queryset.order_by().values("pk")[: self._limit + 1].count()

    @property
    def capped(self) -> bool:
        """The list is longer than `count` says (the template says "more than")."""
        return self.count > self._limit

    @property
    def counted(self) -> int:
        """The count to show: the exact one, or the cap when there are more."""
        return min(self.count, self._limit)

    def page(self, number: Any) -> Page[Any]:
        if self.rows is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        picked = self.queryset.values("pk")[bottom : bottom + self.per_page]
        return Page(self.rows(picked), number, self)
