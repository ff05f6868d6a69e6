"""The issue loop's people, a department's system with its api_key, and grids on the map."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from sanzhang.conftest import County
from sanzhang.issues.tests.conftest import (  # noqa: F401 (fixtures)
    building_leader,
    department,
    grid_leader,
    loop,
    resident,
)
from sanzhang.people.models import User
from sanzhang.places.models import Place
from sanzhang.security.models import ApiToken
from sanzhang.security.tokens import issue


def parse(content: bytes) -> ET.Element:
    """An XML answer of ours (the test's own server, no stranger's document)."""
    return ET.fromstring(content)  # noqa: S314


def square(west: float, south: float, side: float = 0.01) -> dict:  # type: ignore[type-arg]
    ring = [[west, south], [west + side, south], [west + side, south + side], [west, south + side]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def draw(place: Place, west: float, south: float) -> None:
    Place.objects.filter(pk=place.pk).update(boundary=square(west, south))


@pytest.fixture
def mapped(loop: County) -> County:  # noqa: F811 (the fixture imported above)
    """Grid A and grid B side by side on the map, 0.01° a side (about 1 km)."""
    draw(loop.grid_a, 116.30, 26.80)
    draw(loop.grid_b, 116.31, 26.80)
    return loop


@pytest.fixture
def system(department: User) -> User:  # noqa: F811 (the fixture imported above)
    """The department's account made for its system: no password (the administrator made it)."""
    department.set_unusable_password()
    department.save()
    return department


@pytest.fixture
def api_key(system: User, county_officer: User) -> str:
    """A system token the county office issued on /accounts/tokens/."""
    _token, secret = issue(system, name="12345热线", kind=ApiToken.Kind.SYSTEM, by=county_officer)
    return secret
