"""Points rules per county: a county's rule awards only there, and its office changes only its
own county's rules; the default stays for the other counties."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sanzhang.conftest import County, build_county, make_staff
from sanzhang.people.models import Person, Role, User
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.services import create_place
from sanzhang.points import services
from sanzhang.points.models import Cause, PointRule
from sanzhang.points.services import Source
from sanzhang.points.tests.conftest import V1_FROM, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def province() -> Place:
    return create_place(parent=None, kind=PlaceKind.PROVINCE, segment="JX", name="江西省")


@pytest.fixture
def gc(province: Place) -> County:
    return build_county("GC", "广昌县", parent=province)


@pytest.fixture
def nf(province: Place) -> County:
    return build_county("NF", "南丰县", parent=province)


def member_of(county: County, name: str) -> Person:
    return make_member(county.unit_a1_1, county.community, name)


def office_of(county: County) -> User:
    code = county.county.code.lower().replace(".", "-")
    return make_staff(f"{code}-office", Role.COUNTY_OFFICE, county.county, "county_office")


def give(person: Person, key: str) -> int | None:
    entry = services.award(person, Cause.TASK_JOINED, Source(key, key))
    return entry.points if entry is not None else None


def test_a_point_rule_of_one_county_does_not_award_in_the_other(gc: County, nf: County) -> None:
    PointRule.objects.create(place=gc.county, cause=Cause.TASK_JOINED, points=5, valid_from=V1_FROM)
    assert give(member_of(gc, "黄志强"), "task:1") == 5
    assert give(member_of(nf, "刘建华"), "task:1") is None


def test_a_county_rule_overrides_the_default_only_there(gc: County, nf: County) -> None:
    PointRule.objects.create(cause=Cause.TASK_JOINED, points=2, valid_from=V1_FROM)
    PointRule.objects.create(place=gc.county, cause=Cause.TASK_JOINED, points=5, valid_from=V1_FROM)
    assert give(member_of(gc, "黄志强"), "task:1") == 5
    assert give(member_of(nf, "刘建华"), "task:1") == 2


def test_a_county_office_changes_its_own_countys_rule(gc: County, nf: County) -> None:
    default = PointRule.objects.create(cause=Cause.TASK_JOINED, points=2, valid_from=V1_FROM)
    today = timezone.localdate()
    rule = services.change_rule(Cause.TASK_JOINED, points=7, valid_from=today, actor=office_of(gc))
    assert rule.place == gc.county
    default.refresh_from_db()
    assert default.valid_to is None  # the other counties keep the default
    assert give(member_of(gc, "黄志强"), "task:1") == 7
    assert give(member_of(nf, "刘建华"), "task:1") == 2
    services.change_rule(Cause.TASK_JOINED, points=3, valid_from=today, actor=office_of(nf))
    rule.refresh_from_db()
    assert rule.valid_to is None  # 南丰's change leaves 广昌's rule alone
