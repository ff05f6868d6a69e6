"""The co-building verbs: registering once, the agreement's arithmetic in Decimal, what the
unit's registered party members did counted by itself, one rating per year, and scope."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import County, make_household
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.partners import progress, services
from sanzhang.partners.models import Activity, Agreement, Binding, Rating, Unit
from sanzhang.people.models import PartyMember, Person, User
from sanzhang.posts.models import PostKind
from sanzhang.posts.services import open_post
from sanzhang.volunteers.models import Signup, Task, Volunteer
from sanzhang.wishes.models import Status, Wish

from .conftest import GRADES, add, last_year

pytestmark = pytest.mark.django_db


def test_a_unit_registered_twice_is_one_unit_and_one_binding(county: County, staff: User) -> None:
    first = services.register_unit(
        staff, place=county.community, name="县 人民医院", kind="hospital", binding_kind="helping"
    )
    again = services.register_unit(
        staff, place=county.community, name="县  人民医院", kind="school", binding_kind="helping"
    )
    assert first.created and not again.created
    assert Unit.objects.count() == 1 and Binding.objects.count() == 1
    assert again.row.kind == "hospital"  # the details registered first stay
    assert AuditEvent.objects.filter(action="partners.unit_registered").count() == 1


def test_another_community_binds_the_county_unit_of_that_name(
    county: County, unit: Unit, village_staff: User
) -> None:
    done = services.register_unit(
        village_staff, place=county.area, name="县人民医院", kind="hospital", binding_kind="helping"
    )
    assert done.created and done.row == unit
    assert set(unit.bindings.values_list("place", flat=True)) == {
        county.community.pk,
        county.area.pk,
    }


def test_staff_keep_only_their_own_communitys_units(
    county: County, unit: Unit, village_staff: User
) -> None:
    with pytest.raises(NotAllowed):
        services.record_agreement(
            village_staff,
            unit,
            community=county.community,
            year=2025,
            signed_on=datetime.date(2025, 1, 2),
        )


def test_an_agreement_needs_the_unit_bound_and_is_made_once(
    county: County, unit: Unit, office: User, agreement: Agreement
) -> None:
    with pytest.raises(Invalid):
        services.record_agreement(
            office, unit, community=county.area, year=2025, signed_on=datetime.date(2025, 1, 2)
        )
    again = services.record_agreement(
        office, unit, community=county.community, year=agreement.year, signed_on=agreement.signed_on
    )
    assert not again.created and again.row == agreement


def test_kept_shares_add_up_exactly_in_decimal(staff: User, agreement: Agreement) -> None:
    funds = add(staff, agreement, "funds", "0.30", "万元")
    project = add(staff, agreement, "project", "3", "项")
    day = datetime.date(agreement.year, 5, 4)
    services.record_activity(staff, funds, held_on=day, what="捐助", amount=Decimal("0.10"))
    services.record_activity(staff, funds, held_on=day, what="再捐助", amount=Decimal("0.20"))
    services.record_activity(staff, project, held_on=day, what="义诊", amount=Decimal("1"))
    found = progress.progress_of(agreement)
    assert [line.done for line in found.lines] == [Decimal("0.30"), Decimal("1")]
    assert [line.kept for line in found.lines] == [Decimal("100.0"), Decimal("33.3")]
    assert found.kept == Decimal("66.7")  # (100 + 33.33…) / 2


def test_doing_more_than_promised_keeps_it_at_100(staff: User, agreement: Agreement) -> None:
    line = add(staff, agreement, "resources", "2", "次")
    day = datetime.date(agreement.year, 3, 1)
    services.record_activity(staff, line, held_on=day, what="送药", amount=Decimal("5"))
    assert progress.progress_of(agreement).kept == Decimal("100.0")


def test_an_activity_sent_twice_is_one_and_must_lie_in_the_year(
    staff: User, agreement: Agreement
) -> None:
    line = add(staff, agreement, "resources", "2", "次")
    day = datetime.date(agreement.year, 3, 1)
    for _ in range(2):
        services.record_activity(staff, line, held_on=day, what="送药", amount=Decimal("1"))
    assert Activity.objects.count() == 1
    with pytest.raises(Invalid):
        services.record_activity(
            staff,
            line,
            held_on=datetime.date(agreement.year - 1, 12, 31),
            what="早",
            amount=Decimal("1"),
        )
    with pytest.raises(Invalid):
        services.record_activity(staff, line, held_on=day, what="负数", amount=Decimal("-1"))


def _member(county: County, name: str, work_unit: str) -> Person:
    person = Person.objects.create(name=name)
    PartyMember.objects.create(
        person=person,
        community=county.community,
        work_unit=work_unit,
        registered_on=datetime.date(2024, 1, 1),
    )
    return person


def _hours(county: County, person: Person, hours: str, when: datetime.datetime) -> None:
    volunteer, _ = Volunteer.objects.get_or_create(
        person=person,
        defaults={
            "kind": "other",
            "place": county.community,
            "leader_post": open_post(county.grid_a, PostKind.GRID_LEADER),
            "registered_on": datetime.date(2024, 1, 1),
        },
    )
    task = Task.objects.create(place=county.grid_a, title="送餐", starts_at=when, slots=5)
    Signup.objects.create(task=task, volunteer=volunteer, hours=Decimal(hours))


def _wish(county: County, claimer: Person, poster: User, when: datetime.datetime) -> None:
    household = make_household(county.unit_a1_1, str(Wish.objects.count() + 201))
    Wish.objects.create(
        household=household,
        place=county.unit_a1_1,
        posted_by=poster,
        text="修水龙头",
        status=Status.CONFIRMED,
        claimer=claimer,
        claimed_at=when,
        fulfilled_at=when,
        created_at=when,
        updated_at=when,
    )


def test_members_hours_and_fulfilled_wishes_count_toward_volunteer_hours(
    county: County, staff: User, agreement: Agreement
) -> None:
    line = add(staff, agreement, "volunteer_hours", "20")
    year = agreement.year
    inside = datetime.datetime(year, 6, 1, 10, tzinfo=timezone.get_current_timezone())
    outside = datetime.datetime(year + 1, 1, 1, 0, 30, tzinfo=timezone.get_current_timezone())
    doctor = _member(county, "周医生", " 县人民医院\u3000")
    nurse = _member(county, "吴护士", "县人民医院")
    stranger = _member(county, "郑老师", "县一中")
    _hours(county, doctor, "2.5", inside)
    _hours(county, nurse, "1.5", inside)
    _hours(county, nurse, "9", outside)  # next year's
    _hours(county, stranger, "9", inside)  # another unit's
    _wish(county, doctor, staff, inside)
    _wish(county, stranger, staff, inside)
    services.record_activity(
        staff, line, held_on=datetime.date(year, 3, 5), what="义诊", amount=Decimal("6")
    )
    found = progress.progress_of(agreement)
    assert found.work == progress.MemberWork(members=2, hours=Decimal("4.0"), wishes=1)
    assert found.lines[0].automatic == Decimal("4.0") + progress.HOURS_PER_WISH
    assert found.lines[0].done == Decimal("12.0")
    assert found.lines[0].kept == Decimal("60.0")
    # A second volunteer-hours line does not count the members' hours again.
    services.add_commitment(
        staff,
        agreement,
        kind="volunteer_hours",
        description="周末巡河",
        target=Decimal(20),
        measure="小时",
    )
    again = progress.progress_of(agreement)
    assert [line.automatic for line in again.lines] == [found.lines[0].automatic, Decimal(0)]


def test_the_community_rates_the_year_once(staff: User, agreement: Agreement) -> None:
    first = services.rate(staff, agreement, grades=GRADES, comment="积极参与")
    second = services.rate(staff, agreement, grades={**GRADES, "conduct": 1})
    assert first.created and not second.created
    rating = Rating.objects.get()
    assert (rating.conduct, rating.comment) == (4, "积极参与")  # the second changed nothing
    assert AuditEvent.objects.filter(action="partners.rated").count() == 1
    with pytest.raises(Invalid):  # a rated year is closed
        services.add_commitment(
            staff, agreement, kind="funds", description="捐款", target=Decimal(1), measure="元"
        )
    assert not agreement.commitments.exists()


def test_the_overall_grade_is_the_rounded_mean() -> None:
    assert Rating(keeping=4, taking_part=3, serving=3, conduct=4).overall == str(
        Rating._meta.get_field("keeping").choices[0][1]  # 4 → Excellent (half rounds up)
    )
    assert Rating(keeping=3, taking_part=3, serving=3, conduct=2).overall == str(
        Rating._meta.get_field("keeping").choices[1][1]  # 2.75 → Good
    )


def test_only_the_communitys_staff_rate_and_only_from_december(
    county: County, staff: User, office: User, village_staff: User, unit: Unit
) -> None:
    year = last_year()
    agreement = services.record_agreement(
        staff,
        unit,
        community=county.community,
        year=year + 1,
        signed_on=datetime.date(year + 1, 1, 2),
    ).row
    for other in (office, village_staff):
        with pytest.raises(NotAllowed):
            services.rate(other, agreement, grades=GRADES)
    november = datetime.datetime(year + 1, 11, 30, 12, tzinfo=datetime.UTC)
    with time_machine.travel(november), pytest.raises(Invalid):
        services.rate(staff, agreement, grades=GRADES)
    with time_machine.travel(datetime.datetime(year + 1, 12, 1, 12, tzinfo=datetime.UTC)):
        assert services.rate(staff, agreement, grades=GRADES).created


def test_a_grade_missing_is_refused(staff: User, agreement: Agreement) -> None:
    with pytest.raises(Invalid):
        services.rate(staff, agreement, grades={"keeping": 4})
    with pytest.raises(Invalid):
        services.rate(staff, agreement, grades={**GRADES, "keeping": 5})
    assert not Rating.objects.exists()


def test_scope_staff_see_their_units_the_office_and_org_department_the_countys(
    county: County, unit: Unit, staff: User, village_staff: User, office: User, org_department: User
) -> None:
    assert list(services.units_visible_to(staff)) == [unit]
    assert list(services.units_visible_to(village_staff)) == []
    assert list(services.units_visible_to(office)) == [unit]
    assert list(services.units_visible_to(org_department)) == [unit]
    assert services.sees_contact(staff, unit)
    assert not services.sees_contact(office, unit)
    assert not services.sees_contact(village_staff, unit)
