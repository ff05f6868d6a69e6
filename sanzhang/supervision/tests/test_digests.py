"""The morning digest (每日待办摘要): to those who asked for it, of what waits on them and what is
overdue, once a day, in the app and through the SMS channel only (never a group chat)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client

from sanzhang.issues.intake import submit
from sanzhang.notifications.channels import sms_phones
from sanzhang.notifications.models import Delivery, Endpoint, Notification
from sanzhang.notifications.preferences import choose_digest
from sanzhang.supervision.digests import send_digests, send_for_period

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)


def channels(loop) -> None:  # type: ignore[no-untyped-def]
    for kind in (Endpoint.Kind.SMS, Endpoint.Kind.WECOM_ROBOT):
        Endpoint.objects.create(kind=kind, name=kind, url="http://127.0.0.1:9/", place=loop.county)
    # A second SMS provider, the community's own: the digest goes through the nearest one only.
    Endpoint.objects.create(
        kind=Endpoint.Kind.SMS, name="社区短信", url="http://127.0.0.1:9/", place=loop.community
    )


def test_a_leader_who_asked_is_told_what_waits_and_what_is_overdue(
    loop, resident, unit_leader, grid_leader
) -> None:
    channels(loop)
    unit_leader.person.phone = "13922223333"
    unit_leader.person.save()
    choose_digest(unit_leader, True)
    with time_machine.travel(START, tick=False):
        for text in ("垃圾没人收", "垃圾桶满了没人清"):  # both the unit leader's
            submit(resident, place=loop.unit_a1_1, text=text)
    with time_machine.travel(START + datetime.timedelta(days=3), tick=False):
        day = datetime.date(2026, 6, 4)
        assert send_digests(day) == 1
        assert send_digests(day) == 0  # the same morning twice tells nobody twice
    digest = Notification.objects.get(subject__startswith="digest:")
    assert digest.recipient == unit_leader and digest.link == "/issues/"
    assert "待您处理的诉求 2 件（超期 2 件" in digest.text and "06-04" in digest.text
    # By text message to the leader's own phone; never to the group chat over the place.
    delivery = Delivery.objects.get(subject=digest.subject)  # one text, not one per provider
    assert (delivery.endpoint.kind, delivery.endpoint.name) == (Endpoint.Kind.SMS, "社区短信")
    assert sms_phones(delivery) == ["13922223333"]
    # Nobody else asked (the grid leader), so nobody else is told.
    assert not Notification.objects.filter(subject__startswith="digest:", recipient=grid_leader)


def test_nothing_waits_nothing_is_sent_and_the_choice_can_be_undone(
    loop, resident, unit_leader
) -> None:
    choose_digest(unit_leader, True)
    assert send_digests(datetime.date(2026, 6, 4)) == 0  # nothing waits on them
    submit(resident, place=loop.unit_a1_1, text="垃圾没人收")
    choose_digest(unit_leader, False)
    assert send_digests(datetime.date(2026, 6, 5)) == 0
    choose_digest(unit_leader, True)
    run = datetime.datetime(2026, 6, 5, 23, tzinfo=datetime.UTC)  # 07:00 on the 6th in 广昌
    assert send_for_period(run) == "2026-06-06: 1 digests"


def test_the_choice_is_made_on_the_notices_page_and_not_offered_to_residents(
    loop, resident, unit_leader
) -> None:
    leader = Client()
    leader.force_login(unit_leader)
    page = leader.get("/notices/").content.decode()
    assert 'name="daily_digest"' in page and "每天早上" in page
    leader.post("/notices/digest/", {"daily_digest": "on"})
    assert 'name="daily_digest" checked' in leader.get("/notices/").content.decode()
    leader.post("/notices/digest/", {})  # the box unticked
    assert 'name="daily_digest" checked' not in leader.get("/notices/").content.decode()
    me = Client()
    me.force_login(resident)
    assert 'name="daily_digest"' not in me.get("/notices/").content.decode()
    assert me.post("/notices/digest/", {"daily_digest": "on"}).status_code == 403
