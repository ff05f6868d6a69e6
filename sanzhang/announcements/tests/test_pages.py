"""The pages: posting (a double submit makes one), the resident's list (unread first) and
reading, the poster's counts and door list, the noticeboard and the resident's home page."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from sanzhang.announcements import services
from sanzhang.announcements.models import Announcement, Receipt
from sanzhang.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _post(user, place, title="防汛预警", urgent=True):  # type: ignore[no-untyped-def]
    return services.post_announcement(
        user, place=place, title=title, body="今晚有暴雨，请低洼住户转移。", urgent=urgent
    ).announcement


def test_a_grid_leader_posts_and_a_double_submit_makes_one(county, grid_leader, homes) -> None:
    client = _client(grid_leader)
    page = client.get("/announcements/posted/")
    assert page.status_code == 200 and "第一网格" in page.content.decode()
    form = {
        "place": county.grid_a.pk,
        "title": "防汛预警",
        "body": "今晚有暴雨",
        "urgent": "on",
        "post_key": "abc123",
    }
    first = client.post("/announcements/posted/", form)
    second = client.post("/announcements/posted/", form)
    a = Announcement.objects.get()
    assert first.url == second.url == f"/announcements/posted/{a.pk}/"
    assert a.urgent and a.audience_size == 3


def test_posting_elsewhere_is_refused_in_words(county, grid_leader) -> None:
    client = _client(grid_leader)
    form = {"place": county.grid_b.pk, "title": "通知", "body": "内容"}
    response = client.post("/announcements/posted/", form, follow=True)
    assert not Announcement.objects.exists()
    assert "选择" in response.content.decode() or "Choose" in response.content.decode()


def test_a_resident_sees_unread_first_and_reading_marks_it(
    county, grid_leader, community_staff, residents
) -> None:
    old = _post(community_staff, county.community, title="社区通知", urgent=False)
    new = _post(grid_leader, county.grid_a, title="防汛预警")
    client = _client(residents["a1"])
    client.get(f"/announcements/{old.pk}/")
    page = client.get("/announcements/").content.decode()
    assert page.index("防汛预警") < page.index("社区通知")
    home = client.get("/console/").content.decode()
    assert "防汛预警" in home and "社区通知" not in home  # read ones leave the home page
    response = client.get(f"/announcements/{new.pk}/")
    assert response.status_code == 200 and "今晚有暴雨" in response.content.decode()
    assert Receipt.objects.filter(announcement=new, household=residents["a1"].person.household)
    assert _client(residents["b1"]).get(f"/announcements/{new.pk}/").status_code == 404


def test_the_door_list_shows_unread_households_with_masked_heads(
    county, grid_leader, homes, residents
) -> None:
    a = _post(grid_leader, county.grid_a)
    services.read(residents["a1"], a)
    client = _client(grid_leader)
    page = client.get(f"/announcements/posted/{a.pk}/").content.decode()
    assert "1/3" in page
    assert "李**" in page and "张**" in page and "李国强" not in page
    assert "1栋 2单元 202" in page and "王*" not in page
    assert AuditEvent.objects.filter(action="announcement.unread_listed").count() == 1
    client.post(f"/announcements/posted/{a.pk}/door/", {"household": homes["a2"].pk})
    assert Receipt.objects.get(household=homes["a2"]).how == Receipt.How.AT_THE_DOOR
    assert "2/3" in client.get(f"/announcements/posted/{a.pk}/").content.decode()


def test_an_outsider_gets_404(county, grid_leader, outsider, homes) -> None:
    a = _post(grid_leader, county.grid_a)
    client = _client(outsider)
    assert client.get(f"/announcements/posted/{a.pk}/").status_code == 404
    response = client.post(f"/announcements/posted/{a.pk}/door/", {"household": homes["a1"].pk})
    assert response.status_code == 404
    assert not Receipt.objects.exists()


def test_the_noticeboard_shows_current_announcements_to_everyone(
    county, grid_leader, community_staff, elderly
) -> None:
    _post(grid_leader, county.grid_a, title="防汛预警")
    group = services.post_announcement(
        community_staff, place=county.community, title="老人体检", body="周五", tag=elderly
    ).announcement
    ended = _post(community_staff, county.community, title="旧通知", urgent=False)
    Announcement.objects.filter(pk=ended.pk).update(
        until=timezone.localdate() - datetime.timedelta(days=2)
    )
    page = Client().get(f"/board/{county.unit_a1_1.code}/").content.decode()
    assert "防汛预警" in page
    assert group.title not in page and "旧通知" not in page
    other = Client().get(f"/board/{county.unit_b1_1.code}/").content.decode()
    assert "防汛预警" not in other
