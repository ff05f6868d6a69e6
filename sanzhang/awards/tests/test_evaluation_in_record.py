"""A nominee's record on the shortlist carries the people's own word on them: the latest closed
public evaluation (党群评议) of the year, as the share satisfied and the number of votes."""

from __future__ import annotations

import datetime

import pytest

from sanzhang.awards.services import nominee_record
from sanzhang.conftest import County, make_leader
from sanzhang.evaluations.models import Period, Result, State
from sanzhang.posts.models import PostKind, Tenure

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 11, 20, 10, tzinfo=SHANGHAI)


def period(county: County, title: str, ends: datetime.date, state: str) -> Period:
    return Period.objects.create(
        place=county.county,
        title=title,
        starts_on=ends - datetime.timedelta(days=90),
        ends_on=ends,
        state=state,
    )


def test_the_latest_closed_evaluation_of_the_year_is_in_the_record(county: County) -> None:
    leader = make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-a")
    tenure = Tenure.objects.get(person=leader.person)
    assert "evaluated" not in nominee_record(leader.person_id, NOW)
    older = period(county, "2026年第二季度", datetime.date(2026, 6, 30), State.CLOSED)
    Result.objects.create(period=older, tenure=tenure, satisfied=1, basic=0, unsatisfied=9)
    latest = period(county, "2026年第三季度", datetime.date(2026, 9, 30), State.CLOSED)
    Result.objects.create(period=latest, tenure=tenure, satisfied=15, basic=3, unsatisfied=2)
    still_open = period(county, "2026年第四季度", datetime.date(2026, 12, 31), State.OPEN)
    Result.objects.create(period=still_open, tenure=tenure, satisfied=0, basic=0, unsatisfied=5)
    record = nominee_record(leader.person_id, NOW)
    assert (record["evaluated"], record["evaluated_percent"]) == (20, 90)
