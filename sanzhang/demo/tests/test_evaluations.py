"""The demo county's public evaluation: last quarter's, closed, votes from a sample of
residents for the holders over their homes only, counts kept, points for the well rated."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from sanzhang.demo.evaluations import last_quarter, remove_evaluations
from sanzhang.demo.loader import load_demo
from sanzhang.evaluations import services
from sanzhang.evaluations.models import Evaluation, Period, Result, State
from sanzhang.places.tree import is_under
from sanzhang.points.models import Cause, PointEntry
from sanzhang.posts.models import Tenure

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_last_quarter_is_named_and_bounded() -> None:
    assert last_quarter(datetime.date(2026, 12, 4)) == (
        "2026年第三季度",
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 30),
    )
    assert last_quarter(datetime.date(2027, 2, 1))[0] == "2026年第四季度"


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 12, 4, 9, tzinfo=SHANGHAI), tick=False):
        load_demo(scale=0.02)  # the quarter's evaluation is part of it


def test_one_closed_quarter_with_votes_over_the_voters_homes(demo) -> None:
    (period,) = Period.objects.all()
    assert period.title == "2026年第三季度" and period.state == State.CLOSED
    votes = Evaluation.objects.select_related(
        "voter__household__place", "tenure__post__place", "tenure"
    )
    assert votes.count() > 20
    for vote in votes:
        home = vote.voter.household.place.code
        assert is_under(home, vote.tenure.post.place.code)
        assert vote.voter_id != vote.tenure.person_id
        assert period.starts_on <= vote.at.astimezone(SHANGHAI).date() <= period.ends_on
    counted = services.results_for(period)
    assert (
        sum(r.total for r in counted)
        == votes.count()
        == sum(r.satisfied + r.basic + r.unsatisfied for r in Result.objects.all())
    )
    rewarded = [r for r in counted if services.earns_points(period, r)]
    entries = PointEntry.objects.filter(cause=Cause.EVALUATION_SATISFIED)
    assert entries.count() == len(rewarded) > 0
    holders = set(
        Tenure.objects.filter(pk__in=[r.tenure_id for r in rewarded]).values_list(
            "person_id", flat=True
        )
    )
    assert set(entries.values_list("person_id", flat=True)) == holders


def test_the_evaluation_is_removed_with_the_demo(demo) -> None:
    remove_evaluations()
    assert not Period.objects.exists() and not Evaluation.objects.exists()
