"""A problem that keeps coming back in a grid is no longer simple: the suggested tier goes one
up once the grid has had RECURRING_COUNT issues of the category in RECURRING_DAYS days; other
grids' issues and older ones do not count."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from sanzhang.issues.intake import submit
from sanzhang.issues.models import Category, Tier
from sanzhang.issues.suggest import RECURRING_COUNT, RECURRING_DAYS, suggest_tier

TEXT = "楼道里堆放杂物"


def sanitation() -> Category:
    return Category.objects.get(code="sanitation", place=None)


def report(leader, place) -> None:  # type: ignore[no-untyped-def]
    submit(leader, place=place, text=TEXT, channel="patrol", category=sanitation())


def test_the_same_problem_again_and_again_in_a_grid_goes_one_tier_up(loop, county_officer) -> None:
    unit = loop.unit_a1_1
    assert suggest_tier(sanitation(), unit) == Tier.SIMPLE
    for _ in range(RECURRING_COUNT):
        report(county_officer, loop.unit_a2_1)  # another unit of the same grid
    assert suggest_tier(sanitation(), unit) == Tier.COMPLEX


def test_other_grids_and_old_issues_do_not_count(loop, county_officer) -> None:
    long_ago = timezone.now() - datetime.timedelta(days=RECURRING_DAYS + 1)
    with time_machine.travel(long_ago, tick=False):
        for _ in range(RECURRING_COUNT):
            report(county_officer, loop.unit_a1_2)
    for _ in range(RECURRING_COUNT):
        report(county_officer, loop.unit_b1_1)  # grid B
    assert suggest_tier(sanitation(), loop.unit_a1_1) == Tier.SIMPLE
    assert suggest_tier(sanitation(), loop.unit_b1_1) == Tier.COMPLEX
