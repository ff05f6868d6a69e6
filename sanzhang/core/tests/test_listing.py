"""Pages of long lists: the count stops past the page asked for, later pages stay reachable,
and a page's rows are picked narrow and then read whole, in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanzhang.core.listing import CappedPaginator
from sanzhang.places.models import Place

pytestmark = pytest.mark.django_db


def places():  # type: ignore[no-untyped-def]
    return Place.objects.order_by("code")


def test_a_short_list_is_counted_exactly(loop) -> None:
    total = places().count()
    paginator = CappedPaginator(places(), 2, cap=total + 5)
    page = paginator.get_page(1)
    assert paginator.count == paginator.counted == total and not paginator.capped
    assert [p.code for p in page] == [p.code for p in places()[:2]]


def test_a_long_list_says_more_than_and_the_next_pages_stay_reachable(loop) -> None:
    codes = [p.code for p in places()]
    assert len(codes) > 8
    paginator = CappedPaginator(places(), 2, cap=3)
    first = paginator.get_page(1)
    assert paginator.capped and paginator.counted == 3 and first.has_next()
    later = CappedPaginator(places(), 2, cap=3).get_page(4)  # beyond the first count
    assert later.number == 4 and [p.code for p in later] == codes[6:8]


def test_a_page_is_picked_by_id_and_read_whole_in_one_query(loop) -> None:
    def rows(picked):  # type: ignore[no-untyped-def]
        return Place.objects.filter(pk__in=picked).select_related("parent").order_by("code")

    paginator = CappedPaginator(places(), 3, rows=rows)
    page = paginator.get_page(2)
    with CaptureQueriesContext(connection) as ctx:
        shown = [(p.code, p.parent.code if p.parent else None) for p in page]
    assert len(ctx.captured_queries) == 1
    expected = list(places().select_related("parent")[3:6])
    assert shown == [(p.code, p.parent.code if p.parent else None) for p in expected]
