"""Notices people see: the header's unread count, the inbox in the reader's language with a
link to the subject, opening marks read, all at once, the same in the API, nobody else's."""

from __future__ import annotations

import pytest
from django.test import Client

from sanzhang.conftest import run_queued_tasks
from sanzhang.issues import workflow
from sanzhang.issues.intake import submit
from sanzhang.notifications.models import Notification

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def fed_back(loop, resident, unit_leader, grid_leader):  # type: ignore[no-untyped-def]
    issue = submit(resident, place=loop.unit_a1_1, text="路灯坏了").issue
    run_queued_tasks()  # the report's notices
    workflow.confirm(issue, grid_leader, tier="simple")
    workflow.start(issue, unit_leader)
    workflow.handle(issue, unit_leader, note="换了灯泡")
    workflow.pass_inspection(issue, grid_leader)
    workflow.feed_back(issue, unit_leader, message="路灯已修好")
    return issue


def test_a_resident_sees_the_count_reads_and_is_taken_to_rate(
    loop, resident, unit_leader, grid_leader
) -> None:
    issue = fed_back(loop, resident, unit_leader, grid_leader)
    me = client_for(resident)
    unread = Notification.objects.filter(recipient=resident, read_at__isnull=True).count()
    assert unread >= 2
    home = me.get("/console/").content.decode()
    assert f'<span class="badge" aria-label="{unread} 条未读">{unread}</span>' in home
    assert "请评价办理结果" in home and f"/r/{issue.number}/" in home
    inbox = me.get("/notices/").content.decode()
    assert f"诉求 {issue.number}（1单元）：结果已反馈" in inbox
    newest = Notification.objects.filter(recipient=resident).first()
    opened = me.get(f"/notices/{newest.pk}/")
    assert opened.status_code == 302 and opened["Location"] == f"/r/{issue.number}/"
    newest.refresh_from_db()
    assert newest.read_at is not None
    assert me.post("/notices/read/").status_code == 302
    assert not Notification.objects.filter(recipient=resident, read_at__isnull=True).exists()
    assert 'class="badge"' not in me.get("/console/").content.decode()


def test_a_leader_is_taken_to_the_issue_page_and_nobody_reads_anothers(
    loop, resident, unit_leader, grid_leader
) -> None:
    issue = fed_back(loop, resident, unit_leader, grid_leader)
    notice = Notification.objects.filter(recipient=grid_leader).first()
    assert notice is not None  # the grid leader triages what residents report
    leader = client_for(grid_leader)
    assert leader.get(f"/notices/{notice.pk}/")["Location"] == f"/issues/{issue.number}/"
    other = Notification.objects.filter(recipient=resident).first()
    assert leader.get(f"/notices/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_the_api_lists_and_marks_read(loop, resident, unit_leader, grid_leader) -> None:
    fed_back(loop, resident, unit_leader, grid_leader)
    me = client_for(resident)
    body = me.get("/api/notices/?limit=2").json()
    assert body["unread"] >= 2 and len(body["items"]) == 2
    first = body["items"][0]
    assert first["unread"] and first["link"].startswith("/r/")
    assert me.post(f"/api/notices/{first['id']}/read").json() == {"marked": 1}
    assert me.post(f"/api/notices/{first['id']}/read").json() == {"marked": 0}  # once
    left = me.post("/api/notices/read").json()["marked"]
    assert left == body["unread"] - 1
    assert client_for(unit_leader).post(f"/api/notices/{first['id']}/read").json() == {"marked": 0}
