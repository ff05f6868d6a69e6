"""The post responsible for a rectification item and the county office are told of its moves:
in the app, and by SMS through the real database worker to a real local HTTP server."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from sanzhang.conftest import run_queued_tasks
from sanzhang.issues.tests.conftest import reseed
from sanzhang.notifications.models import Endpoint, Notification
from sanzhang.notifications.tests.test_channels import OK, Robot
from sanzhang.posts.models import Post
from sanzhang.supervision import rectification

from .test_weekly import at, drafted, week  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def seeded(transactional_db: None) -> None:
    reseed()  # a transactional test starts from an emptied database: the categories come back


def told(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(recipient=user, subject__startswith="rectification:")
        .order_by("id")
        .values_list("text", flat=True)
    )


@pytest.mark.usefixtures("week")
def test_issue_answer_send_back_and_overdue_tell_the_post_and_the_office(
    county, unit_leader, county_officer
) -> None:
    provider = Robot([OK])
    try:
        Endpoint.objects.create(kind="sms", name="短信", url=provider.url, place=county.county)
        (the_list,) = drafted()
        item = the_list.items.get(reason="overdue")
        with time_machine.travel(at("2026-11-23 09:00"), tick=False):
            rectification.edit_item(
                item,
                county_officer,
                description="请说明超期原因并办结",
                responsible_post=Post.objects.get(place=county.unit_a1_1),
                responsible_organisation=None,
                deadline=datetime.date(2026, 11, 27),
            )
            for other in the_list.items.exclude(pk=item.pk):
                rectification.remove_item(other, county_officer)
            rectification.issue_list(the_list, county_officer)
            item.refresh_from_db()
            rectification.answer(item, unit_leader, text="已更换灯泡")
            rectification.send_back(item, county_officer, note="请附照片说明")
        assert rectification.flag_overdue_items(datetime.date(2026, 11, 30)) == 1
        assert rectification.flag_overdue_items(datetime.date(2026, 12, 1)) == 0  # told once
        place = county.community.name
        assert told(unit_leader) == [
            f"整改事项 {item.pk}（{place}）：已下发，须于 2026-11-27 前整改",
            f"整改事项 {item.pk}（{place}）：已退回：整改答复不充分",
            f"整改事项 {item.pk}（{place}）：已超期：未于 2026-11-27 前整改",
        ]
        assert told(county_officer) == [
            f"整改事项 {item.pk}（{place}）：已回复，待核实",
            f"整改事项 {item.pk}（{place}）：已超期：未于 2026-11-27 前整改",
        ]
        run_queued_tasks()
        phones = {p for message in provider.received for p in message["phones"]}
        assert phones == {"13900001111"}  # the unit leader's; the office has no phone here
        assert len(provider.received) == 3
    finally:
        provider.close()
