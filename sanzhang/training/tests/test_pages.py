"""The organisers' pages (courses, a class with its QR code and attendance, the records and
their Excel), the phone page the QR code opens, and who gets 404."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanzhang.conftest import (
    build_county,
    make_leader,
    make_staff,
    needs_real_concurrency,
    simultaneously,
)
from sanzhang.core.xlsx import XLSX_TYPE
from sanzhang.people.models import PartyMember, Role
from sanzhang.points.models import Cause, PointEntry, PointRule
from sanzhang.posts.models import PostKind
from sanzhang.training import services
from sanzhang.training.models import Attendance, Course, Session

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_organiser_creates_a_course_and_a_class_and_sees_its_qr_code(client, county, organiser):
    client.force_login(organiser)
    page = client.get("/training/").content.decode()
    assert "新建课程" in page and county.community.name in page
    response = client.post(
        "/training/", {"place": county.community.pk, "title": "夜间课堂", "description": "每月一次"}
    )
    course = Course.objects.get()
    assert response["Location"] == f"/training/courses/{course.pk}/"
    response = client.post(
        f"/training/courses/{course.pk}/",
        {
            "topic": "学习基层治理条例",
            "where": "党群服务中心",
            "starts_at": "2026-03-05T19:30",
            "ends_at": "2026-03-05T21:00",
            "trainer": "王老师",
            "materials": "第一章",
        },
    )
    session = Session.objects.get()
    assert session.starts_at == at("2026-03-05 19:30")
    assert response["Location"] == f"/training/sessions/{session.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'src="data:image/svg+xml' in page
    assert f"/training/sign-in/{session.token}/" in page
    assert "扫码签到" in page and "还没有人签到" in page


def test_a_class_that_ends_before_it_starts_is_refused_in_words(client, course, organiser):
    client.force_login(organiser)
    response = client.post(
        f"/training/courses/{course.pk}/",
        {
            "topic": "x",
            "where": "y",
            "starts_at": "2026-03-05T19:30",
            "ends_at": "2026-03-05T18:00",
        },
        follow=True,
    )
    assert "结束时间" in response.content.decode()
    assert not Session.objects.exists()


def test_staff_of_another_area_get_404(client, session, village_staff):
    client.force_login(village_staff)
    assert client.get(f"/training/courses/{session.course_id}/").status_code == 404
    assert client.get(f"/training/sessions/{session.pk}/").status_code == 404
    assert session.topic not in client.get("/training/").content.decode()


def test_a_post_holder_may_not_open_the_organisers_pages(client, session, member_leader):
    client.force_login(member_leader)
    assert client.get("/training/").status_code == 403
    assert client.get(f"/training/sessions/{session.pk}/").status_code == 403


def test_the_phone_page_signs_in_once_with_a_chinese_answer(client, session, member_leader, rule):
    client.force_login(member_leader)
    url = f"/training/sign-in/{session.token}/"
    with time_machine.travel(at("2026-03-05 19:20"), tick=False):
        page = client.get(url).content.decode()
        assert "学习基层治理条例" in page and "签到" in page
        assert not Attendance.objects.exists()  # opening the page signs nobody in
        page = client.post(url, follow=True).content.decode()
        assert "签到成功" in page
        page = client.post(url, follow=True).content.decode()
        assert "您已经签到过" in page
    assert Attendance.objects.count() == 1
    assert PointEntry.objects.filter(cause=Cause.TRAINING_ATTENDED).count() == 1
    assert "学习基层治理条例" in client.get("/training/mine/").content.decode()


def test_an_expired_or_unknown_code_answers_in_chinese(client, session, member_leader):
    client.force_login(member_leader)
    with time_machine.travel(at("2026-03-06 09:00"), tick=False):
        page = client.get(f"/training/sign-in/{session.token}/").content.decode()
        assert "已过期" in page and "sign-in-form" not in page
        client.post(f"/training/sign-in/{session.token}/")
    response = client.get("/training/sign-in/made-up/")
    assert response.status_code == 404 and "签到码无效" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_organiser_marks_by_hand_and_exports_the_attendance(
    client, session, organiser, member_leader, rule
):
    client.force_login(organiser)
    page = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert "李卫东" in page and "手工补签" in page
    with time_machine.travel(at("2026-03-05 20:00"), tick=False):
        client.post(f"/training/sessions/{session.pk}/", {"person": member_leader.person_id})
    assert Attendance.objects.get().how == Attendance.How.MARKED
    page = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert "组织者补签" in page
    response = client.get(f"/training/sessions/{session.pk}/?format=xlsx")
    assert response["Content-Type"] == XLSX_TYPE


def test_the_records_list_the_untrained_and_export(
    client, session, organiser, member_leader, county
):
    make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit", name="周一")
    with time_machine.travel(at("2026-03-05 19:40"), tick=False):
        services.sign_in(member_leader, session.token)
    client.force_login(organiser)
    page = client.get("/training/records/?year=2026").content.decode()
    assert "李卫东" in page and "周一" in page
    page = client.get("/training/records/?year=2026&missing=1").content.decode()
    assert "周一" in page and "李卫东" not in page and "未参加培训" in page
    response = client.get("/training/records/?year=2026&missing=1&format=xlsx")
    assert response["Content-Type"] == XLSX_TYPE


def test_the_menu_offers_training_to_organisers_and_attendees(client, organiser, member_leader):
    client.force_login(organiser)
    assert 'href="/training/"' in client.get("/training/").content.decode()
    client.force_login(member_leader)
    assert 'href="/training/mine/"' in client.get("/training/mine/").content.decode()


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_sign_ins_at_once_make_one_row_and_one_points_entry() -> None:
    county = build_county()
    organiser = make_staff("organiser", Role.COMMUNITY_STAFF, county.community, "committee")
    leader = make_leader(county.building_a1, PostKind.BUILDING_LEADER, "member-leader")
    assert leader.person is not None
    PartyMember.objects.create(
        person=leader.person, community=county.community, registered_on=datetime.date(2024, 3, 1)
    )
    PointRule.objects.create(
        cause=Cause.TRAINING_ATTENDED, points=2, valid_from=datetime.date(2025, 1, 1)
    )
    course = services.create_course(organiser, place=county.community, title="夜间课堂")
    now = timezone.now()
    session = services.create_session(
        organiser,
        course,
        topic="学党史",
        where="会议室",
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(minutes=80),
    )

    def scan(client: Client) -> int:
        return client.post(f"/training/sign-in/{session.token}/").status_code

    assert simultaneously([(leader, scan)] * 4) == [302] * 4
    assert Attendance.objects.filter(session=session).count() == 1
    assert PointEntry.objects.filter(cause=Cause.TRAINING_ATTENDED).count() == 1


def test_a_phone_not_signed_in_is_sent_to_sign_in_and_back(client, session):
    response = client.get(f"/training/sign-in/{session.token}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert f"/training/sign-in/{session.token}/" in response["Location"].replace("%2F", "/")


def test_marking_someone_of_another_area_by_hand_is_refused_in_words(
    client, session, organiser, county
):
    stranger = make_leader(county.rural_grid, PostKind.GRID_LEADER, "rural").person
    client.force_login(organiser)
    with time_machine.travel(at("2026-03-05 20:00"), tick=False):
        response = client.post(
            f"/training/sessions/{session.pk}/", {"person": stranger.pk}, follow=True
        )
    assert "此人不在您的辖区" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_records_page_reads_the_same_queries_for_any_number_of_holders(
    client, organiser, county
):
    for n, place in enumerate([county.unit_a1_1, county.unit_a1_2, county.unit_b1_1]):
        make_leader(place, PostKind.UNIT_LEADER, f"u{n}")
    client.force_login(organiser)
    client.get("/training/records/")  # warm the session and the menu
    with CaptureQueriesContext(connection) as few:
        client.get("/training/records/")
    for n, place in enumerate([county.building_a1, county.building_a2, county.grid_a]):
        kind = PostKind.GRID_LEADER if place == county.grid_a else PostKind.BUILDING_LEADER
        make_leader(place, kind, f"b{n}")
    with CaptureQueriesContext(connection) as more:
        page = client.get("/training/records/").content.decode()
    assert page.count("<tr>") == 7  # the header and six holders
    assert len(more) == len(few) <= 12
