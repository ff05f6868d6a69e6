"""Courses and sessions by the staff of the place, signing in near the class's time and once
per person, marking by hand for people of the area, and the year's records."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import make_leader, make_staff
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.people.models import Person, Role, User
from sanzhang.points.models import Cause, PointEntry
from sanzhang.posts.models import PostKind
from sanzhang.training import records, services
from sanzhang.training.models import Attendance

from .conftest import at

pytestmark = pytest.mark.django_db


def test_staff_create_a_course_and_a_session_of_their_community_audited(session, organiser):
    assert session.course.organiser == organiser.organisation
    assert len(session.token) >= 32
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"training.course_created", "training.session_created"} <= actions


def test_staff_of_another_area_may_not_run_this_communitys_training(county, course, village_staff):
    with pytest.raises(NotAllowed):
        services.create_course(village_staff, place=county.community, title="外村课程")
    with pytest.raises(NotAllowed):
        services.create_session(
            village_staff,
            course,
            topic="x",
            where="y",
            starts_at=at("2026-03-05 19:30"),
            ends_at=at("2026-03-05 21:00"),
        )


def test_a_post_holder_may_not_run_training(county, member_leader):
    with pytest.raises(NotAllowed):
        services.create_course(member_leader, place=county.community, title="夜间课堂")


def test_a_course_is_run_by_a_county_township_community_or_village(county, organiser):
    with pytest.raises(Invalid):
        services.create_course(organiser, place=county.grid_a, title="网格课程")


def test_a_class_ends_after_it_starts(course, organiser):
    with pytest.raises(Invalid):
        services.create_session(
            organiser,
            course,
            topic="x",
            where="y",
            starts_at=at("2026-03-05 19:30"),
            ends_at=at("2026-03-05 19:30"),
        )


def test_a_class_sent_twice_is_one_class_with_one_qr_code(course, organiser):
    def send():  # type: ignore[no-untyped-def]
        return services.create_session(
            organiser,
            course,
            topic="学习党章",
            where="社区党群服务中心",
            starts_at=at("2026-04-02 19:30"),
            ends_at=at("2026-04-02 21:00"),
        )

    first, again = send(), send()
    assert first.pk == again.pk and first.token == again.token
    assert course.sessions.filter(starts_at=at("2026-04-02 19:30")).count() == 1
    assert (
        AuditEvent.objects.filter(
            action="training.session_created", object_id=str(first.pk)
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("now", "opens"),
    [
        ("2026-03-05 18:59", False),  # 31 minutes before the start
        ("2026-03-05 19:00", True),  # 30 minutes before
        ("2026-03-05 20:15", True),
        ("2026-03-05 22:00", True),  # an hour after the end
        ("2026-03-05 22:01", False),
    ],
)
def test_sign_in_is_open_from_half_an_hour_before_to_an_hour_after(
    session, member_leader, rule, now, opens
):
    with time_machine.travel(at(now), tick=False):
        if opens:
            assert services.sign_in(member_leader, session.token).created
        else:
            with pytest.raises(Invalid):
                services.sign_in(member_leader, session.token)
    assert Attendance.objects.count() == (1 if opens else 0)


def test_signing_in_twice_makes_one_row_and_one_points_entry(session, member_leader, rule):
    with time_machine.travel(at("2026-03-05 19:40"), tick=False):
        first = services.sign_in(member_leader, session.token)
        second = services.sign_in(member_leader, session.token)
    assert first.created and not second.created
    assert second.attendance == first.attendance
    assert first.attendance.how == Attendance.How.SCANNED
    entries = PointEntry.objects.filter(cause=Cause.TRAINING_ATTENDED)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.person_id == member_leader.person_id
    assert entry.points == 2
    assert entry.at == session.starts_at
    assert entry.source == first.attendance


def test_an_unknown_token_is_refused_in_words(member_leader):
    with pytest.raises(Invalid, match="签到码无效"):
        services.sign_in(member_leader, "no-such-code")


def test_staff_and_accounts_without_a_person_do_not_sign_in(session, organiser, county):
    with time_machine.travel(at("2026-03-05 19:40"), tick=False):
        with pytest.raises(NotAllowed):
            services.sign_in(organiser, session.token)
        nobody = User.objects.create_user(username="nobody", role=Role.LEADER)
        with pytest.raises(NotAllowed):
            services.sign_in(nobody, session.token)


def test_a_resident_who_is_no_party_member_attends_without_points(session, rule, county):
    person = Person.objects.create(name="居民甲")
    resident = User.objects.create_user(username="res", role=Role.RESIDENT, person=person)
    with time_machine.travel(at("2026-03-05 19:40"), tick=False):
        assert services.sign_in(resident, session.token).created
    assert not PointEntry.objects.exists()


def test_the_organiser_marks_a_holder_of_the_area_once_audited(
    session, organiser, member_leader, rule
):
    person = member_leader.person
    assert person in services.candidates(organiser, session)
    with time_machine.travel(at("2026-03-05 20:00"), tick=False):
        first = services.mark(organiser, session, person)
        again = services.mark(organiser, session, person)
    assert first.created and not again.created
    assert first.attendance.how == Attendance.How.MARKED
    assert first.attendance.by == organiser
    assert AuditEvent.objects.filter(action="training.attendance_marked").count() == 1
    assert PointEntry.objects.get().recorded_by == organiser


def test_the_organiser_may_not_mark_someone_of_another_area(session, organiser, county):
    stranger = make_leader(county.rural_grid, PostKind.GRID_LEADER, "rural").person
    assert stranger not in services.candidates(organiser, session)
    with time_machine.travel(at("2026-03-05 20:00"), tick=False), pytest.raises(NotAllowed):
        services.mark(organiser, session, stranger)
    assert not Attendance.objects.exists()


def test_no_marking_before_the_class(session, organiser, member_leader):
    with time_machine.travel(at("2026-03-04 20:00"), tick=False), pytest.raises(Invalid):
        services.mark(organiser, session, member_leader.person)


def test_the_years_records_count_classes_and_list_the_untrained(
    session, organiser, member_leader, county
):
    other = make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit", name="周一")
    with time_machine.travel(at("2026-03-05 19:40"), tick=False):
        services.sign_in(member_leader, session.token)
    found = {r.person.pk: r for r in records.holder_records(organiser, 2026)}
    assert found[member_leader.person_id].attended == 1
    assert found[other.person_id].attended == 0
    assert [r.person.pk for r in records.untrained(list(found.values()))] == [other.person_id]
    last_year = records.holder_records(organiser, 2025)
    assert all(r.attended == 0 for r in last_year)


def test_records_are_of_the_users_area_only(session, village_staff, member_leader):
    assert member_leader.person_id not in {
        r.person.pk for r in records.holder_records(village_staff, 2026)
    }


def test_a_year_is_local_time(organiser):
    start, end = records.year_bounds(2026)
    assert start == at("2026-01-01 00:00")
    assert end - start == datetime.timedelta(days=365)


def test_the_organisation_department_runs_county_and_township_courses(county):
    department = make_staff("zzb", Role.ORG_DEPARTMENT, county.county, "department")
    assert services.create_course(department, place=county.county, title="县级示范课").pk
    assert services.create_course(department, place=county.district, title="旴江镇夜校").pk
