"""A result fed back and not rated: the resident is reminded once after 3 days; after 7 the
community's staff call them back (回访) and record their answer for them, marked on the
timeline and counted apart from the residents' own ratings."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client

from sanzhang.core.errors import Conflict, NotAllowed
from sanzhang.issues import workflow
from sanzhang.issues.intake import submit
from sanzhang.issues.models import IssueEvent, State
from sanzhang.notifications.models import Notification
from sanzhang.supervision.callbacks import callbacks_due, remind_unrated

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)


def fed_back(loop, resident, unit_leader, grid_leader):  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False):
        issue = submit(resident, place=loop.unit_a1_1, text="路灯坏了").issue
        workflow.confirm(issue, grid_leader, tier="simple")
        workflow.start(issue, unit_leader)
        workflow.handle(issue, unit_leader, note="换了灯泡")
        workflow.pass_inspection(issue, grid_leader)
        workflow.feed_back(issue, unit_leader, message="路灯已修好")
    issue.refresh_from_db()
    return issue


def test_the_resident_is_reminded_once(loop, resident, unit_leader, grid_leader) -> None:
    issue = fed_back(loop, resident, unit_leader, grid_leader)
    with time_machine.travel(START + datetime.timedelta(days=2), tick=False):
        assert remind_unrated() == 0
    with time_machine.travel(START + datetime.timedelta(days=4), tick=False):
        remind_unrated()
        remind_unrated()  # the next day's run tells nobody twice
    reminders = Notification.objects.filter(subject__startswith=f"issue:{issue.number}:")
    assert list(reminders.values_list("recipient_id", flat=True)) == [resident.pk]
    assert "请评价" in reminders.get().text
    from sanzhang.notifications.models import Delivery

    assert not Delivery.objects.filter(subject__startswith=f"issue:{issue.number}:").exists()


def test_staff_call_back_and_record_the_answer_for_the_resident(
    loop, resident, unit_leader, grid_leader, community_staff, county_officer
) -> None:
    issue = fed_back(loop, resident, unit_leader, grid_leader)
    with time_machine.travel(START + datetime.timedelta(days=5), tick=False):
        assert not callbacks_due(community_staff).exists()  # the resident still has time
        with pytest.raises(Conflict):
            workflow.rate_on_behalf(issue, community_staff, satisfied=True)
    with time_machine.travel(START + datetime.timedelta(days=8), tick=False):
        assert list(callbacks_due(community_staff)) == [issue]
        assert not callbacks_due(unit_leader).exists()  # leaders do not call back
        with pytest.raises(NotAllowed):
            workflow.rate_on_behalf(issue, unit_leader, satisfied=True)
        client = Client()
        client.force_login(community_staff)
        page = client.get("/supervision/callbacks/").content.decode()
        assert issue.number in page and "路灯坏了" in page
        done = client.post(
            f"/supervision/callbacks/{issue.number}/",
            {"satisfied": "yes", "reason": "电话回访，很满意", "how": "phone"},
        )
        assert done.status_code == 302
    issue.refresh_from_db()
    assert issue.state == State.CLOSED
    event = issue.events.get(kind=IssueEvent.Kind.RATED_SATISFIED)
    assert event.actor == community_staff and event.data["on_behalf"] is True
    client = Client()  # a fresh session: the one above was opened in the simulated June
    client.force_login(community_staff)
    staff_page = client.get(f"/issues/{issue.number}/").content.decode()
    assert "回访代评" in staff_page
    again = client.post(f"/supervision/callbacks/{issue.number}/", {"satisfied": "yes"})
    assert again.status_code == 404  # no longer waiting: one answer only


def test_a_call_back_is_counted_apart_in_the_month(
    loop, resident, unit_leader, grid_leader, community_staff
) -> None:
    from sanzhang.supervision import monthly

    issue = fed_back(loop, resident, unit_leader, grid_leader)
    with time_machine.travel(START + datetime.timedelta(days=8), tick=False):
        workflow.rate_on_behalf(issue, community_staff, satisfied=False, reason="灯又坏了")
    figures = monthly.compute(loop.county, datetime.date(2026, 6, 1))
    assert figures["callbacks"] == 1
    assert figures["rates"]["satisfaction"] is None  # no resident rated it themselves


def test_staff_of_another_community_neither_see_nor_answer_it(
    loop, resident, unit_leader, grid_leader
) -> None:
    from sanzhang.conftest import build_county, make_staff
    from sanzhang.people.models import Role

    issue = fed_back(loop, resident, unit_leader, grid_leader)
    other = build_county("NF", "南丰县")
    far = make_staff("nf-staff", Role.COMMUNITY_STAFF, other.community, "committee")
    with time_machine.travel(START + datetime.timedelta(days=8), tick=False):
        assert not callbacks_due(far).exists()
        client = Client()
        client.force_login(far)
        assert issue.number not in client.get("/supervision/callbacks/").content.decode()
        answer = client.post(f"/supervision/callbacks/{issue.number}/", {"satisfied": "yes"})
        assert answer.status_code == 404
    issue.refresh_from_db()
    assert issue.state == State.FED_BACK


def test_a_call_back_earns_no_points(
    loop, resident, unit_leader, grid_leader, community_staff
) -> None:
    from sanzhang.points.models import PointEntry

    issue = fed_back(loop, resident, unit_leader, grid_leader)
    before = PointEntry.objects.count()
    with time_machine.travel(START + datetime.timedelta(days=8), tick=False):
        workflow.rate_on_behalf(issue, community_staff, satisfied=True)
    assert PointEntry.objects.count() == before
