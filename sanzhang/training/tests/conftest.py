"""A community's evening class, its organiser, a party member post holder to attend it, and
the points rule in force for training."""

from __future__ import annotations

import datetime

import pytest

from sanzhang.conftest import County, make_leader, make_staff
from sanzhang.people.models import PartyMember, Role, User
from sanzhang.points.models import Cause, PointRule
from sanzhang.posts.models import PostKind
from sanzhang.training import services
from sanzhang.training.models import Course, Session

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def rule(db: None) -> PointRule:
    return PointRule.objects.create(
        cause=Cause.TRAINING_ATTENDED, points=2, valid_from=datetime.date(2025, 1, 1)
    )


@pytest.fixture
def organiser(county: County) -> User:
    """The community's staff, who run its evening classes."""
    return make_staff("organiser", Role.COMMUNITY_STAFF, county.community, "committee")


@pytest.fixture
def village_staff(county: County) -> User:
    """Staff of the village: another area than the community's."""
    return make_staff("village-staff", Role.COMMUNITY_STAFF, county.area, "committee")


@pytest.fixture
def member_leader(county: County) -> User:
    """A party member holding the post of building leader in grid A."""
    user = make_leader(county.building_a1, PostKind.BUILDING_LEADER, "member-leader", name="李卫东")
    assert user.person is not None
    PartyMember.objects.create(
        person=user.person, community=county.community, registered_on=datetime.date(2024, 3, 1)
    )
    return user


@pytest.fixture
def course(county: County, organiser: User) -> Course:
    return services.create_course(organiser, place=county.community, title="夜间课堂")


@pytest.fixture
def session(course: Course, organiser: User) -> Session:
    return services.create_session(
        organiser,
        course,
        topic="学习基层治理条例",
        where="社区党群服务中心二楼",
        starts_at=at("2026-03-05 19:30"),
        ends_at=at("2026-03-05 21:00"),
        trainer="县委党校王老师",
        materials="https://example.org/条例.pdf",
    )
