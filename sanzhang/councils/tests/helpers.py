"""A community council of the small county, with a member who signs in on the phone."""

from __future__ import annotations

from dataclasses import dataclass

from sanzhang.conftest import PASSWORD, County, make_household
from sanzhang.councils import services
from sanzhang.councils.models import Council, Party, Seat
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Category, Issue
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import Person, Role, User


@dataclass
class Setting:
    council: Council
    member: User  # a residents' representative with an account
    member_seat: Seat
    property_seat: Seat  # the property company, represented by its manager
    issue: Issue  # reported by a resident of unit 1
    reporter: User


def council_with_member(county: County, staff: User) -> Setting:
    if not Category.objects.exists():
        reseed()  # a transactional test's flush emptied the migration's categories
    household = make_household(county.unit_a1_1, "301", name="王秀英")
    reporter = User.objects.create_user(
        username="reporter", password=PASSWORD, role=Role.RESIDENT, person=household.members.get()
    )
    issue = submit(
        reporter,
        place=county.unit_a1_1,
        text="小区停车位不够，车辆乱停占用消防通道",
        household=household,
        public_consent=False,
    ).issue
    rep_home = make_household(county.unit_a2_1, "502", name="李建国")
    rep = rep_home.members.get()
    member = User.objects.create_user(
        username="member", password=PASSWORD, role=Role.RESIDENT, person=rep
    )
    council = services.set_up(staff, county.community)
    member_seat = services.add_seat(staff, council, party=Party.RESIDENTS, person=rep)
    property_seat = services.add_seat(
        staff,
        council,
        party=Party.PROPERTY_COMPANY,
        organisation_name="绿城物业",
        representative="张经理",
    )
    return Setting(council, member, member_seat, property_seat, issue, reporter)


def another_member(setting: Setting, username: str, name: str, staff: User) -> User:
    person = Person.objects.create(name=name, phone="13700001234")
    services.add_seat(staff, setting.council, party=Party.LEADERS, person=person)
    return User.objects.create_user(
        username=username, password=PASSWORD, role=Role.LEADER, person=person
    )
