from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sanzhang.conftest import make_household, needs_real_concurrency, simultaneously
from sanzhang.core.crypto import keyed_hash
from sanzhang.councils import services
from sanzhang.councils.models import Attendance, Decision, Outcome, Topic, Vote
from sanzhang.issues.models import Issue
from sanzhang.people.models import Person

from .helpers import council_with_member

DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def setting(county, community_staff, county_officer):  # type: ignore[no-untyped-def]
    return council_with_member(county, community_staff)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_staff_run_a_meeting_from_the_pages(setting, community_staff):  # type: ignore[no-untyped-def]
    staff = _client(community_staff)
    council = setting.council
    answer = staff.post(
        f"/councils/{council.pk}/topic/",
        {"source": "issue", "reference": setting.issue.number, "title": "停车难"},
    )
    assert answer.status_code == 302
    topic = Topic.objects.get()
    answer = staff.post(
        f"/councils/{council.pk}/meeting/",
        {"held_on": "2026-11-20", "venue": "社区活动室", "topics": [topic.pk]},
    )
    meeting = council.meetings.get()
    assert answer["Location"] == f"/councils/meetings/{meeting.pk}/"
    page = staff.get(f"/councils/meetings/{meeting.pk}/").content.decode()
    assert "停车难" in page and "记录决定" in page
    staff.post(
        f"/councils/meetings/{meeting.pk}/decide/",
        {
            "topic": topic.pk,
            "outcome": "agreed",
            "text": "划定临时停车区",
            "votes_for": "2",
            "votes_against": "0",
            "votes_abstain": "0",
            "owner": "绿城物业",
            "due_on": "2026-12-31",
        },
    )
    decision = Decision.objects.get()
    assert decision.issue is not None and decision.votes_for == 2
    page = staff.get(f"/councils/meetings/{meeting.pk}/").content.decode()
    assert decision.issue.number in page and "事件上报" in page  # the issue's step
    listing = staff.get("/councils/").content.decode()
    assert council.name in listing and "提交乡镇" in listing


@pytest.mark.django_db
def test_a_seat_by_phone_and_an_organisation_seat(setting, community_staff):  # type: ignore[no-untyped-def]
    staff = _client(community_staff)
    url = f"/councils/{setting.council.pk}/seat/"
    staff.post(
        url, {"party": "owners", "organisation_name": "业主委员会", "representative": "刘主任"}
    )
    staff.post(url, {"party": "leaders", "phone": "13812345678"})  # the reporter's number
    names = {s.holder_name for s in setting.council.seats.all()}
    assert {"业主委员会（刘主任）", "王秀英"} <= names


@pytest.mark.django_db
def test_a_seat_by_phone_only_for_someone_of_the_councils_place(  # type: ignore[no-untyped-def]
    setting, county, county_officer, outsider
):
    """The county's staff reach the whole county, yet a phone finds only a person living or
    holding a post under the council's place: no one from a village gets the seat or shows."""
    villager = make_household(county.rural_grid, "12", name="赵村民").members.get()
    Person.objects.filter(pk=villager.pk).update(phone_hash=keyed_hash("13600009999"))
    Person.objects.create(name="钱无家", phone="13500008888")  # no household, no post
    staff = _client(county_officer)
    url = f"/councils/{setting.council.pk}/seat/"
    for phone in ("13600009999", "13500008888"):
        answer = staff.post(url, {"party": "residents", "phone": phone}, follow=True)
        assert "本议事会辖区内没有使用这个手机号的居民或任职人员" in answer.content.decode()
    names = {s.holder_name for s in setting.council.seats.all()}
    assert "赵村民" not in names and "钱无家" not in names
    page = staff.get(f"/councils/{setting.council.pk}/").content.decode()
    assert "赵村民" not in page
    staff.post(url, {"party": "leaders", "phone": "13900001111"})  # grid B's leader
    assert outsider.person in {s.person for s in setting.council.seats.all()}


@pytest.mark.django_db
def test_a_member_signs_in_and_votes_on_the_phone(setting, community_staff):  # type: ignore[no-untyped-def]
    topic = services.add_topic(community_staff, setting.council, title="加装电梯", proposal="加装")
    meeting = services.schedule(community_staff, setting.council, held_on=DAY, topics=[topic])
    member = _client(setting.member)
    page = member.get("/councils/").content.decode()
    assert f"/councils/meetings/{meeting.pk}/" in page
    assert "签到" in member.get(f"/councils/meetings/{meeting.pk}/").content.decode()
    member.post(f"/councils/meetings/{meeting.pk}/sign-in/")
    member.post(f"/councils/meetings/{meeting.pk}/vote/", {"topic": topic.pk, "choice": "for"})
    assert Vote.objects.get().choice == "for"
    page = member.get(f"/councils/meetings/{meeting.pk}/").content.decode()
    assert "您已签到" in page and "记录决定" not in page


@pytest.mark.django_db
def test_the_meeting_page_counts_votes_without_a_query_per_topic(setting, community_staff):  # type: ignore[no-untyped-def]
    topics = [
        services.add_topic(community_staff, setting.council, title=f"议题{n}", proposal="提议")
        for n in range(5)
    ]
    small = services.schedule(community_staff, setting.council, held_on=DAY, topics=topics[:1])
    large = services.schedule(
        community_staff,
        setting.council,
        held_on=DAY + datetime.timedelta(days=7),
        topics=topics[1:],
    )
    for meeting in (small, large):
        services.sign_in(setting.member, meeting)
        for topic in Topic.objects.filter(meeting=meeting):
            services.cast_vote(setting.member, topic, "for")
    staff = _client(community_staff)
    counts = []
    for meeting in (small, large):
        with CaptureQueriesContext(connection) as queries:
            page = staff.get(f"/councils/meetings/{meeting.pk}/").content.decode()
        assert "手机表决：赞成1票" in page
        counts.append(len(queries))
    assert counts[1] == counts[0], counts


@pytest.mark.django_db
def test_a_meeting_form_sent_twice_is_one_meeting(setting, community_staff):  # type: ignore[no-untyped-def]
    staff = _client(community_staff)
    assert "开始时间" in staff.get(f"/councils/{setting.council.pk}/").content.decode()
    form = {"held_on": "2026-11-20", "starts_at": "09:30", "venue": "社区活动室"}
    answers = [staff.post(f"/councils/{setting.council.pk}/meeting/", form) for _ in range(2)]
    meeting = setting.council.meetings.get()
    assert [a["Location"] for a in answers] == [f"/councils/meetings/{meeting.pk}/"] * 2
    assert "09:30" in staff.get(answers[0]["Location"]).content.decode()


@pytest.mark.django_db
def test_outsiders_get_404(setting, community_staff, outsider, unit_leader):  # type: ignore[no-untyped-def]
    meeting = services.schedule(community_staff, setting.council, held_on=DAY)
    for user in (outsider, unit_leader, setting.reporter):
        client = _client(user)
        assert client.get(f"/councils/{setting.council.pk}/").status_code == 404
        assert client.get(f"/councils/meetings/{meeting.pk}/").status_code == 404
        answer = client.post(f"/councils/meetings/{meeting.pk}/sign-in/")
        assert answer.status_code == 404
    assert _client(setting.reporter).get("/councils/").status_code == 404


@pytest.mark.django_db
def test_the_public_board_shows_decisions_without_personal_data(setting, community_staff, client):  # type: ignore[no-untyped-def]
    topic = services.add_topic(
        community_staff, setting.council, title="停车难", issue=setting.issue
    )
    meeting = services.schedule(community_staff, setting.council, held_on=DAY, topics=[topic])
    services.sign_in(setting.member, meeting)
    services.decide(
        community_staff, topic, outcome=Outcome.AGREED, text="划定临时停车区", owner="绿城物业"
    )
    services.record_minutes(
        community_staff, meeting, minutes="李建国、张经理出席", public_minutes="五方共商停车问题"
    )
    code = setting.council.place.code
    assert "划定临时停车区" not in client.get(f"/councils/board/{code}/").content.decode()
    services.publish(community_staff, meeting)
    page = client.get(f"/councils/board/{code}/").content.decode()
    assert "划定临时停车区" in page and "五方共商停车问题" in page and "通过" in page
    for secret in ("李建国", "王秀英", "张经理", "13812345678", setting.issue.text):
        assert secret not in page


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_a_member_signing_in_from_two_phones_at_once_is_one_attendance(setting, community_staff):  # type: ignore[no-untyped-def]
    meeting = services.schedule(community_staff, setting.council, held_on=DAY)

    def sign_in(client: Client) -> int:
        return client.post(f"/councils/meetings/{meeting.pk}/sign-in/").status_code

    statuses = simultaneously([(setting.member, sign_in)] * 4)
    assert statuses == [302] * 4
    assert Attendance.objects.filter(meeting=meeting).count() == 1


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_simultaneous_votes_of_one_seat_count_once(setting, community_staff):  # type: ignore[no-untyped-def]
    topic = services.add_topic(community_staff, setting.council, title="加装电梯", proposal="加装")
    meeting = services.schedule(community_staff, setting.council, held_on=DAY, topics=[topic])
    services.sign_in(setting.member, meeting)

    def vote(choice: str):  # type: ignore[no-untyped-def]
        def call(client: Client) -> int:
            url = f"/councils/meetings/{meeting.pk}/vote/"
            return client.post(url, {"topic": topic.pk, "choice": choice}).status_code

        return setting.member, call

    statuses = simultaneously([vote("for"), vote("against"), vote("for"), vote("abstain")])
    assert statuses == [302] * 4  # one counted, the others refused with a message, none a 500
    assert Vote.objects.filter(topic=topic).count() == 1


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_one_topic_at_once_make_one_decision_and_one_issue(  # type: ignore[no-untyped-def]
    setting, community_staff, county_officer
):
    topic = services.add_topic(
        community_staff, setting.council, title="停车难", issue=setting.issue
    )
    meeting = services.schedule(community_staff, setting.council, held_on=DAY, topics=[topic])

    def decide(client: Client) -> int:
        data = {"topic": topic.pk, "outcome": "agreed", "text": "划车位", "owner": "物业"}
        return client.post(f"/councils/meetings/{meeting.pk}/decide/", data).status_code

    statuses = simultaneously([(community_staff, decide), (county_officer, decide)])
    assert statuses == [302] * 2
    assert Decision.objects.filter(topic=topic).count() == 1
    assert Issue.objects.count() == 2  # the resident's, and the one the decision made
