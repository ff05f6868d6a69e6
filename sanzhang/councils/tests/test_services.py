from __future__ import annotations

import datetime

import pytest
from django.db.models import QuerySet

from sanzhang.conftest import make_staff
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.councils import services
from sanzhang.councils.models import (
    Attendance,
    Council,
    Decision,
    Kind,
    Meeting,
    Outcome,
    Party,
    Seat,
    Source,
    Vote,
)
from sanzhang.issues.models import Issue, State
from sanzhang.people.models import Role

from .helpers import another_member, council_with_member

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def setting(county, community_staff, county_officer):  # type: ignore[no-untyped-def]
    return council_with_member(county, community_staff)


def test_a_council_sits_at_a_community_village_or_township(county, community_staff, county_officer):  # type: ignore[no-untyped-def]
    assert services.set_up(community_staff, county.community).kind == Kind.TOWN
    village = services.set_up(county_officer, county.area)
    assert (village.kind, village.name) == (Kind.VILLAGE, "城东村莲乡夜话")
    assert services.set_up(county_officer, county.district).kind == Kind.TOWNSHIP
    with pytest.raises(Invalid):
        services.set_up(county_officer, county.grid_a)
    with pytest.raises(NotAllowed):  # the community's staff do not reach the village
        services.set_up(community_staff, county.area)
    assert services.set_up(community_staff, county.community) == Council.objects.get(
        place=county.community
    )


def test_seats_are_a_person_or_an_organisation_of_the_councils_parties(setting, community_staff):  # type: ignore[no-untyped-def]
    council = setting.council
    with pytest.raises(Invalid):
        services.add_seat(community_staff, council, party=Party.RESIDENTS)
    with pytest.raises(Invalid):  # a village's party, not the town's
        services.add_seat(
            community_staff, council, party=Party.ENTREPRENEURS, organisation_name="合作社"
        )
    with pytest.raises(Conflict):
        services.add_seat(
            community_staff, council, party=Party.LEADERS, person=setting.member.person
        )
    assert str(setting.property_seat) == "绿城物业（张经理）"


def test_a_topic_from_an_issue_of_the_place_once(setting, community_staff, county):  # type: ignore[no-untyped-def]
    first = services.add_topic(
        community_staff, setting.council, title="停车难", issue=setting.issue
    )
    again = services.add_topic(community_staff, setting.council, title="停车", issue=setting.issue)
    assert first == again and first.source == Source.ISSUE
    proposal = services.add_topic(
        community_staff,
        setting.council,
        title="加装电梯",
        proposal="老旧小区加装电梯",
        proposed_by=setting.member_seat,
    )
    assert proposal.source == Source.PROPOSAL
    # The same proposal sent again (a double tap) is the same topic while it waits.
    resent = services.add_topic(
        community_staff,
        setting.council,
        title="加装电梯",
        proposal="老旧小区加装电梯",
        proposed_by=setting.member_seat,
    )
    assert resent == proposal
    assert setting.council.topics.filter(source=Source.PROPOSAL).count() == 1
    with pytest.raises(Invalid):
        services.add_topic(community_staff, setting.council, title="空")


def test_only_staff_in_scope_run_it(setting, county, unit_leader):  # type: ignore[no-untyped-def]
    other = make_staff("other-staff", Role.COMMUNITY_STAFF, county.area, "committee")
    with pytest.raises(NotAllowed):
        services.add_topic(other, setting.council, title="x", proposal="y")
    with pytest.raises(NotAllowed):
        services.add_topic(unit_leader, setting.council, title="x", proposal="y")


def test_who_sees_the_council(setting, county, unit_leader, outsider, community_staff):  # type: ignore[no-untyped-def]
    assert list(services.visible_councils(community_staff)) == [setting.council]
    assert list(services.visible_councils(setting.member)) == [setting.council]
    assert not services.visible_councils(setting.reporter).exists()
    assert not services.visible_councils(outsider).exists()  # grid B's leader: not the community


def _meeting(setting, staff, topics):  # type: ignore[no-untyped-def]
    return services.schedule(staff, setting.council, held_on=DAY, venue="社区活动室", topics=topics)


def test_the_agreed_decision_becomes_an_issue_of_the_loop(setting, community_staff):  # type: ignore[no-untyped-def]
    topic = services.add_topic(
        community_staff, setting.council, title="停车难", issue=setting.issue
    )
    meeting = _meeting(setting, community_staff, [topic])
    services.sign_in(setting.member, meeting)
    services.mark_present(community_staff, meeting, setting.property_seat)
    decision = services.decide(
        community_staff,
        topic,
        outcome=Outcome.AGREED,
        text="划定夜间临时停车区，清理消防通道",
        votes_for=2,
        votes_against=0,
        votes_abstain=0,
        owner="绿城物业",
        due_on=datetime.date(2026, 12, 31),
    )
    issue = decision.issue
    assert issue is not None and issue.place == setting.council.place
    assert "划定夜间临时停车区" in issue.text and "绿城物业" in issue.text
    assert issue.category == setting.issue.category and issue.state == State.REPORTED
    with pytest.raises(Conflict):
        services.decide(community_staff, topic, outcome=Outcome.NOT_AGREED, text="再议")
    assert Issue.objects.count() == 2


def test_agreed_needs_who_carries_it_out_and_counts_fit_the_seats(setting, community_staff):  # type: ignore[no-untyped-def]
    topic = services.add_topic(
        community_staff, setting.council, title="停车难", issue=setting.issue
    )
    with pytest.raises(Invalid):  # not on an agenda
        services.decide(community_staff, topic, outcome=Outcome.NOT_AGREED, text="再议")
    _meeting(setting, community_staff, [topic])
    topic.refresh_from_db()
    with pytest.raises(Invalid):
        services.decide(community_staff, topic, outcome=Outcome.AGREED, text="办")
    with pytest.raises(Invalid):
        services.decide(
            community_staff, topic, outcome=Outcome.NOT_AGREED, text="再议", votes_for=5
        )
    assert not Decision.objects.exists()


def test_members_vote_on_the_phone_once_and_their_votes_are_the_count(setting, community_staff):  # type: ignore[no-untyped-def]
    second = another_member(setting, "leader2", "陈网格", community_staff)
    topic = services.add_topic(community_staff, setting.council, title="加装电梯", proposal="加装")
    meeting = _meeting(setting, community_staff, [topic])
    topic.refresh_from_db()
    with pytest.raises(NotAllowed):  # not signed in yet
        services.cast_vote(setting.member, topic, "for")
    services.sign_in(setting.member, meeting)
    services.sign_in(second, meeting)
    services.cast_vote(setting.member, topic, "for")
    services.cast_vote(second, topic, "against")
    with pytest.raises(Conflict):
        services.cast_vote(setting.member, topic, "against")
    with pytest.raises(NotAllowed):
        services.cast_vote(setting.reporter, topic, "for")
    decision = services.decide(community_staff, topic, outcome=Outcome.NOT_AGREED, text="暂缓")
    assert (decision.votes_for, decision.votes_against, decision.votes_abstain) == (1, 1, 0)


def test_signing_in_twice_is_one_attendance(setting, community_staff):  # type: ignore[no-untyped-def]
    meeting = _meeting(setting, community_staff, [])
    services.sign_in(setting.member, meeting)
    services.sign_in(setting.member, meeting)
    services.mark_present(community_staff, meeting, setting.member_seat)
    assert Attendance.objects.get().how == Attendance.How.PHONE
    with pytest.raises(NotAllowed):
        services.sign_in(setting.reporter, meeting)


def test_a_village_refers_a_topic_up_to_the_township(county, county_officer):  # type: ignore[no-untyped-def]
    village = services.set_up(county_officer, county.area)
    services.add_seat(
        county_officer, village, party=Party.ENTREPRENEURS, organisation_name="合作社"
    )
    topic = services.add_topic(county_officer, village, title="修通村道", proposal="村道破损")
    services.schedule(county_officer, village, held_on=DAY, topics=[topic])
    topic.refresh_from_db()
    services.decide(county_officer, topic, outcome=Outcome.REFERRED, text="需镇里统筹资金")
    township = Council.objects.get(place=county.district)
    upper = township.topics.get()
    assert (upper.source, upper.referred_from, upper.title) == (Source.REFERRAL, topic, "修通村道")
    numbers = services.figures(Council.objects.all())
    assert numbers[village.pk].referred == 1 and numbers[township.pk].from_below == 1


def test_publishing_refuses_personal_data_then_publishes(setting, community_staff):  # type: ignore[no-untyped-def]
    topic = services.add_topic(
        community_staff, setting.council, title="停车难", issue=setting.issue
    )
    meeting = _meeting(setting, community_staff, [topic])
    topic.refresh_from_db()
    with pytest.raises(Invalid):
        services.publish(community_staff, meeting)  # not held yet
    services.decide(
        community_staff,
        topic,
        outcome=Outcome.AGREED,
        text="王秀英反映的问题由物业解决",
        owner="物业",
    )
    services.record_minutes(
        community_staff, meeting, minutes="李建国、张经理出席", public_minutes="电话13812345678"
    )
    with pytest.raises(Invalid) as refused:
        services.publish(community_staff, meeting)
    assert "王秀英" in refused.value.message
    Decision.objects.filter(topic=topic).update(text="停车问题由物业解决")
    services.record_minutes(
        community_staff, meeting, minutes="李建国、张经理出席", public_minutes="议定停车方案"
    )
    services.publish(community_staff, meeting)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PUBLISHED
    assert list(services.published(setting.council.place)) == [meeting]
    with pytest.raises(Conflict):
        services.publish(community_staff, meeting)


def test_figures_follow_the_issue_to_closed(setting, community_staff):  # type: ignore[no-untyped-def]
    topic = services.add_topic(
        community_staff, setting.council, title="停车难", issue=setting.issue
    )
    other = services.add_topic(community_staff, setting.council, title="电梯", proposal="加装")
    _meeting(setting, community_staff, [topic, other])
    topic.refresh_from_db()
    other.refresh_from_db()
    decision = services.decide(
        community_staff, topic, outcome=Outcome.AGREED, text="划车位", owner="物业"
    )
    services.decide(community_staff, other, outcome=Outcome.NOT_AGREED, text="暂缓")
    numbers = services.figures(Council.objects.all())[setting.council.pk]
    assert (numbers.topics, numbers.settled, numbers.agreed, numbers.followed_through) == (
        2,
        2,
        1,
        0,
    )
    assert decision.issue is not None
    Issue.objects.filter(pk=decision.issue.pk).update(state=State.CLOSED)
    assert services.figures(Council.objects.all())[setting.council.pk].followed_through == 1


def test_a_published_record_is_closed(setting, community_staff):  # type: ignore[no-untyped-def]
    topic = services.add_topic(
        community_staff, setting.council, title="停车难", issue=setting.issue
    )
    late = services.add_topic(community_staff, setting.council, title="电梯", proposal="加装")
    meeting = _meeting(setting, community_staff, [topic, late])
    services.sign_in(setting.member, meeting)
    services.decide(community_staff, topic, outcome=Outcome.AGREED, text="划车位", owner="物业")
    services.record_minutes(community_staff, meeting, minutes="", public_minutes="议定停车")
    services.publish(community_staff, meeting)
    late.refresh_from_db()
    assert late.meeting is None  # undecided: it waits for the next meeting
    with pytest.raises(Invalid):  # nothing joins a record after it went public unchecked
        services.decide(community_staff, late, outcome=Outcome.NOT_AGREED, text="王秀英家")
    with pytest.raises(Conflict):
        services.cast_vote(setting.member, late, "for")
    with pytest.raises(Conflict):
        services.put_on_agenda(community_staff, meeting, [late])
    with pytest.raises(Conflict):
        services.mark_present(community_staff, meeting, setting.property_seat)
    with pytest.raises(Conflict):
        services.record_minutes(community_staff, meeting, minutes="", public_minutes="李建国")


def _held_with_decision(setting, staff, *, venue="社区活动室"):  # type: ignore[no-untyped-def]
    topic = services.add_topic(staff, setting.council, title="停车难", issue=setting.issue)
    meeting = services.schedule(staff, setting.council, held_on=DAY, venue=venue, topics=[topic])
    services.decide(staff, topic, outcome=Outcome.AGREED, text="划定临时停车区", owner="物业")
    services.record_minutes(staff, meeting, minutes="", public_minutes="议定停车方案")
    meeting.refresh_from_db()
    return meeting


def test_the_venue_and_door_numbers_are_checked_before_publishing(setting, community_staff):  # type: ignore[no-untyped-def]
    meeting = _held_with_decision(setting, community_staff, venue="王秀英家院子")
    with pytest.raises(Invalid) as refused:  # the reporter's name, in the venue
        services.publish(community_staff, meeting)
    assert "王秀英" in refused.value.message
    Meeting.objects.filter(pk=meeting.pk).update(venue="社区活动室")
    for public in ("在301门口协商", "3栋2单元501室住户反映", "上屋组12号门前", "2单元501"):
        services.record_minutes(community_staff, meeting, minutes="", public_minutes=public)
        with pytest.raises(Invalid) as refused:
            services.publish(community_staff, meeting)
        assert "门牌号" in refused.value.message, public
    # A building, a date and a count are no one's door.
    fine = "为3栋加装电梯，12月31日前完成，2301名居民受益"
    services.record_minutes(community_staff, meeting, minutes="", public_minutes=fine)
    services.publish(community_staff, meeting)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PUBLISHED


def test_publishing_checks_the_minutes_as_they_are_now(setting, community_staff):  # type: ignore[no-untyped-def]
    meeting = _held_with_decision(setting, community_staff)  # the page's copy, read earlier
    services.record_minutes(  # another member of staff saves the minutes meanwhile
        community_staff,
        Meeting.objects.get(pk=meeting.pk),
        minutes="",
        public_minutes="电话13812345678",
    )
    with pytest.raises(Invalid):
        services.publish(community_staff, meeting)
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.HELD


def test_minutes_changed_between_the_check_and_the_publication_are_not_published(  # type: ignore[no-untyped-def]
    setting, community_staff, monkeypatch
):
    meeting = _held_with_decision(setting, community_staff)
    check = services.personal_data_in

    def check_then_someone_saves(m):  # type: ignore[no-untyped-def]
        found = check(m)
        Meeting.objects.filter(pk=meeting.pk).update(public_minutes="联系电话13812345678")
        return found

    monkeypatch.setattr(services, "personal_data_in", check_then_someone_saves)
    with pytest.raises(Conflict):
        services.publish(community_staff, meeting)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD and meeting.published_at is None


def _publish_behind_its_back(meeting):  # type: ignore[no-untyped-def]
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.PUBLISHED)


def test_no_decision_lands_after_the_record_was_published(  # type: ignore[no-untyped-def]
    setting, community_staff, monkeypatch
):
    topic = services.add_topic(community_staff, setting.council, title="电梯", proposal="加装")
    meeting = _meeting(setting, community_staff, [topic])
    require = services._require_run

    def require_then_published(actor, council):  # type: ignore[no-untyped-def]
        require(actor, council)  # the topic and its meeting were read; now it is published
        _publish_behind_its_back(meeting)

    monkeypatch.setattr(services, "_require_run", require_then_published)
    with pytest.raises(Conflict):
        services.decide(community_staff, topic, outcome=Outcome.NOT_AGREED, text="王秀英家")
    assert not Decision.objects.exists()


def test_no_vote_lands_after_the_record_was_published(setting, community_staff, monkeypatch):  # type: ignore[no-untyped-def]
    topic = services.add_topic(community_staff, setting.council, title="电梯", proposal="加装")
    meeting = _meeting(setting, community_staff, [topic])
    services.sign_in(setting.member, meeting)
    seat_of = services.seat_of

    def seat_then_published(user, council):  # type: ignore[no-untyped-def]
        seat = seat_of(user, council)
        _publish_behind_its_back(meeting)
        return seat

    monkeypatch.setattr(services, "seat_of", seat_then_published)
    with pytest.raises(Conflict):
        services.cast_vote(setting.member, topic, "for")
    assert not Vote.objects.exists()


def test_a_township_council_does_not_refer_up(county, county_officer):  # type: ignore[no-untyped-def]
    township = services.set_up(county_officer, county.district)
    services.add_seat(county_officer, township, party=Party.TOWNSHIP, organisation_name="镇政府")
    topic = services.add_topic(county_officer, township, title="修路", proposal="县道破损")
    services.schedule(county_officer, township, held_on=DAY, topics=[topic])
    with pytest.raises(Invalid) as refused:
        services.decide(county_officer, topic, outcome=Outcome.REFERRED, text="报县里")
    assert "只有莲心议事会和莲乡夜话" in refused.value.message
    assert not Decision.objects.exists()
    assert not Council.objects.filter(place=county.county).exists()


def test_a_referral_racing_another_finds_the_township_council_it_set_up(  # type: ignore[no-untyped-def]
    county, county_officer, monkeypatch
):
    village = services.set_up(county_officer, county.area)
    topic = services.add_topic(county_officer, village, title="修通村道", proposal="村道破损")
    services.schedule(county_officer, village, held_on=DAY, topics=[topic])
    township = services.set_up(county_officer, county.district)  # by the other referral
    first = QuerySet.first

    def not_seen_yet(self):  # type: ignore[no-untyped-def]
        return None if self.model is Council else first(self)

    monkeypatch.setattr(QuerySet, "first", not_seen_yet)
    decision = services.decide(county_officer, topic, outcome=Outcome.REFERRED, text="镇里统筹")
    assert decision.outcome == Outcome.REFERRED
    assert township.topics.get().referred_from == topic
    assert Council.objects.filter(place=county.district).count() == 1


def test_a_meeting_or_an_organisation_seat_sent_twice_is_one(setting, community_staff):  # type: ignore[no-untyped-def]
    topic = services.add_topic(community_staff, setting.council, title="电梯", proposal="加装")
    first = services.schedule(community_staff, setting.council, held_on=DAY, topics=[topic])
    again = services.schedule(community_staff, setting.council, held_on=DAY, topics=[topic])
    assert first == again and setting.council.meetings.count() == 1
    morning = services.schedule(
        community_staff, setting.council, held_on=DAY, starts_at=datetime.time(9, 0)
    )
    assert morning != first and setting.council.meetings.count() == 2
    seat = services.add_seat(
        community_staff, setting.council, party=Party.OWNERS_COMMITTEE, organisation_name="业委会"
    )
    assert seat == services.add_seat(
        community_staff, setting.council, party=Party.OWNERS_COMMITTEE, organisation_name="业委会"
    )
    assert setting.council.seats.filter(organisation_name="业委会").count() == 1


def test_a_meeting_scheduled_twice_at_once_is_one(setting, community_staff, monkeypatch):  # type: ignore[no-untyped-def]
    first = services.schedule(community_staff, setting.council, held_on=DAY)
    seat = services.add_seat(
        community_staff, setting.council, party=Party.OWNERS_COMMITTEE, organisation_name="业委会"
    )
    real_first = QuerySet.first

    def not_seen_yet(self):  # type: ignore[no-untyped-def]
        return None if self.model in (Meeting, Seat) else real_first(self)

    monkeypatch.setattr(QuerySet, "first", not_seen_yet)  # the other request's row came later
    assert services.schedule(community_staff, setting.council, held_on=DAY) == first
    assert seat == services.add_seat(
        community_staff, setting.council, party=Party.OWNERS_COMMITTEE, organisation_name="业委会"
    )
    assert setting.council.meetings.count() == 1
