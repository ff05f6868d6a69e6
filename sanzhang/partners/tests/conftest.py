"""A hospital bound to the community, its agreement of last year (so it may be rated now),
the community's and the village's staff, and the county's organisation department."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from sanzhang.conftest import County, make_staff
from sanzhang.partners import services
from sanzhang.partners.models import Agreement, Unit
from sanzhang.people.models import Role, User


def last_year() -> int:
    return timezone.localdate().year - 1


@pytest.fixture
def staff(county: County) -> User:
    return make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")


@pytest.fixture
def village_staff(county: County) -> User:
    return make_staff("village-staff", Role.COMMUNITY_STAFF, county.area, "committee")


@pytest.fixture
def office(county: County) -> User:
    return make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")


@pytest.fixture
def org_department(county: County) -> User:
    return make_staff("org", Role.ORG_DEPARTMENT, county.county, "department")


@pytest.fixture
def unit(county: County, staff: User) -> Unit:
    return services.register_unit(
        staff,
        place=county.community,
        name="县人民医院",
        kind="hospital",
        binding_kind="co_building",
        party_organisation="县人民医院党委",
        contact_name="周主任",
        contact_phone="13912345678",
        since=datetime.date(2024, 1, 1),
    ).row


@pytest.fixture
def agreement(county: County, staff: User, unit: Unit) -> Agreement:
    year = last_year()
    return services.record_agreement(
        staff, unit, community=county.community, year=year, signed_on=datetime.date(year, 2, 1)
    ).row


def add(staff: User, agreement: Agreement, kind: str, target: str, measure: str = "小时"):  # type: ignore[no-untyped-def]
    return services.add_commitment(
        staff,
        agreement,
        kind=kind,
        description=f"{kind}承诺",
        target=Decimal(target),
        measure=measure,
    ).row


GRADES = {"keeping": 4, "taking_part": 3, "serving": 3, "conduct": 4}
