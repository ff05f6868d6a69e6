"""The demo's councils on a small county: a council for the community and the village and the
township above it, a year of monthly meetings, agreed decisions followed as issues with legal
timelines, published records free of personal data, and all of it removable."""

from __future__ import annotations

import datetime
import itertools
import random

import pytest
import time_machine

from sanzhang.conftest import build_county, make_household, make_leader, make_staff
from sanzhang.councils import services
from sanzhang.councils.models import Council, Decision, Kind, Meeting, Outcome, Seat, Topic, Vote
from sanzhang.demo.councils import load_council_history, remove_council_history
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue, State
from sanzhang.people.models import Role
from sanzhang.posts.models import PostKind

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def loaded():  # type: ignore[no-untyped-def]
    county = build_county()
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-a")
    make_leader(county.area, PostKind.AREA_LEADER, "area")
    resident = None
    for n, unit in enumerate([county.unit_a1_1, county.unit_a1_2, county.unit_b1_1]):
        household = make_household(unit, f"{n + 1}01", name=f"居民{n}")
        resident = household.members.get()
    make_household(county.rural_grid, "8", name="村民甲")
    with time_machine.travel(NOW - datetime.timedelta(days=200), tick=False):
        submit(
            make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee"),
            place=county.grid_a,
            text="消防通道被车辆占用",
            channel="patrol",
        )
    with time_machine.travel(NOW, tick=False):
        load_council_history(random.Random(7))
    assert resident is not None
    return county


def test_a_council_for_the_community_the_village_and_the_township(loaded) -> None:  # type: ignore[no-untyped-def]
    kinds = dict(Council.objects.values_list("place__code", "kind"))
    assert kinds == {"GC.C01": Kind.TOWN, "GC.D01.A01": Kind.VILLAGE, "GC.D01": Kind.TOWNSHIP}
    town = Council.objects.get(kind=Kind.TOWN)
    parties = set(town.seats.values_list("party", flat=True))
    assert {"party_org", "owners", "property", "leaders", "residents"} <= parties
    for council in Council.objects.exclude(kind=Kind.TOWNSHIP):
        meetings = council.meetings.all()
        assert meetings.filter(state=Meeting.State.PUBLISHED).count() == 12
        assert meetings.filter(state=Meeting.State.PLANNED).count() == 1  # this month's


def test_agreed_decisions_are_followed_as_issues_with_legal_timelines(loaded) -> None:  # type: ignore[no-untyped-def]
    agreed = Decision.objects.filter(outcome=Outcome.AGREED).select_related("issue", "topic")
    assert agreed.exists()
    assert not Decision.objects.exclude(outcome=Outcome.AGREED).filter(issue__isnull=False)
    for decision in agreed:
        issue = decision.issue
        assert issue is not None and issue.place_id == decision.topic.council.place_id
        events = list(issue.events.all())
        assert events[0].kind == "reported" and events[-1].to_state == issue.state
        for before, after in itertools.pairwise(events):
            assert before.to_state == after.from_state and before.at <= after.at
    assert Issue.objects.filter(council_decision__isnull=False, state=State.CLOSED).exists()


def test_every_topic_is_decided_once_and_referrals_reach_the_township(loaded) -> None:  # type: ignore[no-untyped-def]
    past = Topic.objects.filter(meeting__state=Meeting.State.PUBLISHED)
    assert past.count() == Decision.objects.count()
    referred = Decision.objects.filter(outcome=Outcome.REFERRED).count()
    assert Topic.objects.filter(referred_from__isnull=False).count() == referred
    numbers = services.figures(Council.objects.all())
    village = Council.objects.get(kind=Kind.VILLAGE)
    assert (
        numbers[village.pk].settled + numbers[village.pk].referred
        == Decision.objects.filter(topic__council=village).count()
    )
    voted = Vote.objects.select_related("topic__decision")
    assert all(v.topic.decision.outcome != Outcome.NOT_AGREED for v in voted)


def test_published_records_hold_no_personal_data(loaded) -> None:  # type: ignore[no-untyped-def]
    for meeting in Meeting.objects.filter(state=Meeting.State.PUBLISHED):
        assert services.personal_data_in(meeting) == []


def test_residents_hold_seats_with_a_meeting_to_come(loaded) -> None:  # type: ignore[no-untyped-def]
    town = Council.objects.get(kind=Kind.TOWN)
    seat = Seat.objects.filter(council=town, party="residents").first()
    assert seat is not None and seat.person is not None
    assert town.meetings.filter(state=Meeting.State.PLANNED, held_on__gt=NOW.date()).exists()


def test_removing_the_council_history(loaded) -> None:  # type: ignore[no-untyped-def]
    remove_council_history()
    assert not Council.objects.exists() and not Topic.objects.exists()


def test_on_the_demo_county_the_demo_resident_has_a_meeting_to_sign_in_to() -> None:
    """On the demo's own tree (small scale): the councils load beside the rest, and the demo
    resident's phone finds their community council's coming meeting."""
    from sanzhang.demo.accounts import ensure_demo_accounts
    from sanzhang.demo.loader import load_demo

    load_demo(scale=0.02)  # the councils' history is part of it
    accounts = {account.username: user for account, user in ensure_demo_accounts()}
    resident = accounts["resident"]
    council = services.visible_councils(resident).get()
    assert council.kind == Kind.TOWN and services.seat_of(resident, council) is not None
    assert council.meetings.filter(state=Meeting.State.PLANNED).exists()
    assert services.visible_councils(accounts["staff"]).filter(pk=council.pk).exists()
    assert services.visible_councils(accounts["area"]).filter(kind=Kind.VILLAGE).exists()
    for meeting in Meeting.objects.filter(state=Meeting.State.PUBLISHED):
        assert services.personal_data_in(meeting) == []
