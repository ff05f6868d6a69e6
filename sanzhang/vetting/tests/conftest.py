"""The vetting's standing people in the small county: the organisation department, the grid A
branch's secretary and grid A's leader (the reviewers), the cadre living in unit 1 of grid A."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from sanzhang.conftest import County, make_household, make_leader, make_staff
from sanzhang.party.models import PartyOrganisation
from sanzhang.people.models import Household, Role, User
from sanzhang.posts.models import PostKind
from sanzhang.vetting import services
from sanzhang.vetting.models import Vetting


def deadline() -> datetime.date:
    """A month from today, whatever today is."""
    return timezone.localdate() + datetime.timedelta(days=30)


@dataclass
class Vettings:
    county: County
    department: User
    secretary: User
    grid_leader: User
    household: Household
    branch: PartyOrganisation

    def open(self, **changes) -> Vetting:  # type: ignore[no-untyped-def]
        fields = {
            "cadre": services.Cadre(
                name="李建国", current_post="县财政局 副局长", proposed_post="县财政局 局长"
            ),
            "households": [self.household],
            "branches": None,
            "deadline": deadline(),
            **changes,
        }
        return services.open_vetting(self.department, **fields)


def make_branch(place, name: str = "第一网格党支部") -> PartyOrganisation:  # type: ignore[no-untyped-def]
    return PartyOrganisation.objects.create(kind="branch", name=name, place=place)


@pytest.fixture
def vettings(county: County) -> Vettings:
    department = make_staff("orgdept", Role.ORG_DEPARTMENT, county.county, "department")
    department.organisation.name = "县委组织部"
    department.organisation.save()
    return Vettings(
        county=county,
        department=department,
        secretary=make_leader(county.grid_a, PostKind.BRANCH_SECRETARY, "secretary", name="张书记"),
        grid_leader=make_leader(county.grid_a, PostKind.GRID_LEADER, "gridleader", name="刘网格长"),
        household=make_household(county.unit_a1_1, "501", name="李建国"),
        branch=make_branch(county.grid_a),
    )
