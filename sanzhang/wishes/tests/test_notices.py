"""The people a micro-wish concerns are told of its moves: in the app, and by SMS and the
group robot through the real database worker to a real local HTTP server."""

from __future__ import annotations

import pytest

from sanzhang.conftest import run_queued_tasks
from sanzhang.notifications.models import Delivery, Endpoint, Notification
from sanzhang.notifications.tests.test_channels import OK, Robot
from sanzhang.wishes import services

from .conftest import post

pytestmark = pytest.mark.django_db(transaction=True)


def told(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("text", flat=True)
    )


def test_each_move_of_a_wish_tells_the_people_it_concerns(
    county, resident, member, community_staff
) -> None:
    provider, robot = Robot([OK]), Robot([OK])
    try:
        Endpoint.objects.create(kind="sms", name="短信", url=provider.url, place=county.county)
        Endpoint.objects.create(
            kind="wecom_robot", name="社区群", url=robot.url, place=county.community
        )
        wish = post(resident)
        services.approve(wish, community_staff)
        services.claim(wish, member)
        services.fulfil(wish, member, note="已上门修好水龙头")
        services.confirm(wish, resident)
        number = wish.pk
        assert told(community_staff) == [f"微心愿 {number}：发布心愿"]
        assert told(resident) == [
            f"微心愿 {number}：{step}" for step in ("审核通过并公开", "已认领", "已完成")
        ]
        assert told(member) == [f"微心愿 {number}：居民已确认"]
        run_queued_tasks()
        texts = {m["text"]: m["phones"] for m in provider.received}
        assert texts[f"微心愿 {number}：已认领"] == ["13700001234"]  # the resident's phone
        assert len(robot.received) == 5  # every move, in the community's group
        assert all("resident" not in m["text"]["content"] for m in robot.received)
        assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    finally:
        provider.close()
        robot.close()


def test_telling_twice_of_one_move_adds_nothing(county, resident, community_staff) -> None:
    from sanzhang.wishes.models import WishEvent
    from sanzhang.wishes.notices import on_wish_event

    wish = post(resident)
    event = WishEvent.objects.get(wish=wish, kind="posted")
    on_wish_event(event)
    assert Notification.objects.filter(recipient=community_staff).count() == 1
