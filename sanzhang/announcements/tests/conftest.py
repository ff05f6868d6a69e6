"""A community with households in both grids and a rural grid, its grid leader, the residents'
accounts, and a special group."""

from __future__ import annotations

import pytest

from sanzhang.conftest import County, make_household, make_leader
from sanzhang.people.models import Household, Person, Role, Tag, User
from sanzhang.posts.models import PostKind


@pytest.fixture
def grid_leader(county: County) -> User:
    return make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader", name="刘建华")


@pytest.fixture
def homes(county: County) -> dict[str, Household]:
    """Three households in grid A, one in grid B, one in the rural grid."""
    return {
        "a1": make_household(county.unit_a1_1, "101", name="王秀英"),
        "a2": make_household(county.unit_a1_2, "202", name="李国强"),
        "a3": make_household(county.unit_a2_1, "303", name="张桂兰"),
        "b1": make_household(county.unit_b1_1, "101", name="赵大妈"),
        "r1": make_household(county.rural_grid, "8号", name="陈老汉"),
    }


@pytest.fixture
def residents(homes: dict[str, Household]) -> dict[str, User]:
    """An account for each household's resident."""
    return {
        key: User.objects.create_user(
            username=f"resident-{key}", role=Role.RESIDENT, person=home.members.get()
        )
        for key, home in homes.items()
    }


@pytest.fixture
def elderly(homes: dict[str, Household]) -> Tag:
    """独居老人: the resident of a3 and of b1 belong to it."""
    tag, _ = Tag.objects.get_or_create(name="独居老人", place=None)
    for key in ("a3", "b1"):
        person: Person = homes[key].members.get()
        person.tags.add(tag)
    return tag
