"""The demo county's points: rules with a change, and a ledger whose totals add up."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from sanzhang.demo.loader import load_demo, remove_demo
from sanzhang.points.models import Cause, DailyPoints, PointEntry, PointRule
from sanzhang.points.tests.test_daily import days_from_entries, days_kept


@pytest.mark.django_db
def test_the_demo_has_a_points_history_under_two_rule_versions() -> None:
    load_demo(scale=0.02)
    causes = set(PointEntry.objects.values_list("cause", flat=True))
    assert {Cause.VISIT, Cause.GOOD_RATING, Cause.TRAINING_ATTENDED} <= causes
    visits = PointEntry.objects.filter(cause=Cause.VISIT)
    assert set(visits.values_list("rule__points", flat=True)) == {1, 2}
    assert all(e.points == e.rule.points for e in PointEntry.objects.select_related("rule"))
    total = PointEntry.objects.aggregate(t=Sum("points"))["t"]
    by_cause = PointEntry.objects.values("cause").annotate(t=Sum("points"))
    assert total == sum(row["t"] for row in by_cause)
    # Written by SQL, bulk_create and award alike, every entry is in its member's day.
    assert days_kept() == days_from_entries()
    remove_demo()
    assert not PointEntry.objects.exists() and not PointRule.objects.exists()
    assert not DailyPoints.objects.exists()
