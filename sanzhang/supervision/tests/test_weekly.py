"""Weekly rectification: the draft holds the week's overdue, reopened and uninspected issues
(once, however often it is drafted), the office issues it, the responsible post answers, the
office sends back or verifies, and an item past its deadline is flagged to those above."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.utils.translation import gettext
from openpyxl import load_workbook

from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.issues.intake import submit
from sanzhang.issues.models import State
from sanzhang.issues.workflow import move
from sanzhang.posts.models import Post
from sanzhang.supervision import rectification
from sanzhang.supervision.models import RectificationItem, RectificationList

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
WEEK = datetime.date(2026, 11, 16)  # a Monday
pytestmark = pytest.mark.django_db


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def report(leader, place, when: str, text: str):  # type: ignore[no-untyped-def]
    with time_machine.travel(at(when), tick=False):
        return submit(leader, place=place, text=text, channel="patrol").issue


def walk(issue, when: str, *steps: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(at(when), tick=False):
        for kind, to_state in steps:
            issue.refresh_from_db()
            move(issue, None, kind=kind, to_state=to_state, note="x")


@pytest.fixture
def week(county, unit_leader, county_officer):  # type: ignore[no-untyped-def]
    overdue = report(unit_leader, county.unit_a1_1, "2026-11-16 10:00", "楼道灯坏了")
    reopened = report(unit_leader, county.unit_a1_1, "2026-11-16 11:00", "垃圾没有清运")
    walk(
        reopened,
        "2026-11-20 09:00",
        ("confirmed", State.ASSIGNED),
        ("started", State.IN_PROGRESS),
        ("handled", State.HANDLED),
        ("inspected", State.INSPECTED),
        ("fed_back", State.FED_BACK),
        ("rated_dissatisfied", State.IN_PROGRESS),
    )
    declined = report(unit_leader, county.unit_a1_1, "2026-11-18 09:00", "邻居养狗太吵")
    walk(declined, "2026-11-18 10:00", ("declined", State.DECLINED))
    fine = report(unit_leader, county.unit_a1_1, "2026-11-22 23:00", "井盖松动")  # not yet due
    after = report(unit_leader, county.unit_a1_1, "2026-11-23 09:00", "路面破损")  # next week
    return {
        "overdue": overdue,
        "reopened": reopened,
        "declined": declined,
        "fine": fine,
        "after": after,
    }


def drafted(when: str = "2026-11-23 08:00") -> list[RectificationList]:
    with time_machine.travel(at(when), tick=False):
        return rectification.draft_week(WEEK)


def test_the_draft_holds_the_weeks_findings_once(county, week) -> None:
    lists = drafted()
    assert [lst.place for lst in lists] == [county.community]
    items = {(i.issue_id, i.reason) for i in lists[0].items.all()}
    assert items == {
        (week["overdue"].pk, "overdue"),
        (week["reopened"].pk, "reopened"),
        (week["declined"].pk, "uninspected"),
    }
    item = lists[0].items.get(reason="overdue")
    assert item.responsible_post == week["overdue"].owner_post and item.status == "draft"
    assert item.deadline == datetime.date(2026, 11, 30)  # five working days
    assert drafted("2026-11-23 09:00") == []  # a second run drafts nothing more
    assert RectificationItem.objects.count() == 3


def test_the_cycle_issue_answer_send_back_verify(
    county, week, unit_leader, county_officer, outsider
) -> None:
    (the_list,) = drafted()
    item = the_list.items.get(reason="overdue")
    unit_post = Post.objects.get(place=county.unit_a1_1)
    with pytest.raises(NotAllowed):
        rectification.issue_list(the_list, unit_leader)
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        rectification.edit_item(
            item,
            county_officer,
            description="请说明超期原因并办结",
            responsible_post=unit_post,
            responsible_organisation=None,
            deadline=datetime.date(2026, 11, 27),
        )
        rectification.issue_list(the_list, county_officer)
        with pytest.raises(Conflict):
            rectification.issue_list(the_list, county_officer)
        item.refresh_from_db()
        assert item.status == "open"
        with pytest.raises(NotAllowed):
            rectification.answer(item, outsider, text="已处理")
        with pytest.raises(Invalid):
            rectification.answer(item, unit_leader, text="  ")
        stale = RectificationItem.objects.get(pk=item.pk)
        rectification.answer(item, unit_leader, text="已更换灯泡")
        with pytest.raises(Conflict):  # a second tab with the old version
            rectification.answer(stale, unit_leader, text="再次提交")
        rectification.send_back(item, county_officer, note="请附照片说明")
        assert (item.status, item.send_backs) == ("open", 1)
        rectification.answer(item, unit_leader, text="已更换灯泡，照片见诉求")
        rectification.verify(item, county_officer, note="核实")
        assert item.status == "verified" and item.verified_at is not None


def test_a_list_is_issued_only_when_every_item_has_owner_and_deadline(week, county_officer):
    (the_list,) = drafted()
    item = the_list.items.first()
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        rectification.edit_item(
            item,
            county_officer,
            description=item.description,
            responsible_post=None,
            responsible_organisation=None,
            deadline=None,
        )
        with pytest.raises(Invalid, match="1"):
            rectification.issue_list(the_list, county_officer)
        with pytest.raises(Invalid):
            rectification.edit_item(
                item,
                county_officer,
                description="x",
                responsible_post=None,
                responsible_organisation=None,
                deadline=datetime.date(2026, 11, 1),
            )
    assert RectificationList.objects.get().status == "draft"


def test_past_the_deadline_an_item_is_flagged_to_those_above(
    client, county, week, county_officer, community_staff
) -> None:
    (the_list,) = drafted()
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        rectification.issue_list(the_list, county_officer)
    assert rectification.flag_overdue_items(datetime.date(2026, 11, 30)) == 0
    assert rectification.flag_overdue_items(datetime.date(2026, 12, 1)) == 3
    assert rectification.flag_overdue_items(datetime.date(2026, 12, 2)) == 0  # once
    client.force_login(community_staff)
    page = client.get("/supervision/weekly/mine/").content.decode()
    flagged = page.split('id="flagged"')[1]
    assert flagged.count("#item-") == 3 and "未经检查即办结" in flagged


def test_pages_and_export(client, county, week, county_officer, unit_leader, outsider) -> None:
    (the_list,) = drafted()
    client.force_login(outsider)  # grid B: not their list, and it is still a draft
    assert client.get(f"/supervision/weekly/{the_list.pk}/").status_code == 404
    client.force_login(county_officer)
    page = client.get(f"/supervision/weekly/{the_list.pk}/").content.decode()
    assert "整改清单" in page and week["overdue"].number in page
    response = client.get(f"/supervision/weekly/{the_list.pk}/export/")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["序号", "诉求", "原因", "整改内容"]
    assert sheet.max_row == 4 and sheet["A2"].value == 1
    assert isinstance(sheet["F2"].value, datetime.datetime)
    client.force_login(unit_leader)
    assert client.get(f"/supervision/weekly/{the_list.pk}/").status_code == 404  # draft


def test_the_api_lists_my_items_and_takes_an_answer(
    client, county, week, county_officer, unit_leader
) -> None:
    (the_list,) = drafted()
    unit_post = Post.objects.get(place=county.unit_a1_1)
    item = the_list.items.get(reason="overdue")
    rectification.edit_item(
        item,
        county_officer,
        description=item.description,
        responsible_post=unit_post,
        responsible_organisation=None,
        deadline=datetime.date.today() + datetime.timedelta(days=3),
    )
    rectification.issue_list(the_list, county_officer)
    client.force_login(unit_leader)
    listed = client.get("/api/supervision/rectification/mine").json()["items"]
    assert item.pk in [i["id"] for i in listed] and {i["status"] for i in listed} == {"open"}
    mine = [i for i in listed if i["id"] == item.pk]
    url = f"/api/supervision/rectification/items/{item.pk}/answer"
    stale = client.post(
        url, {"text": "已整改", "version": mine[0]["version"] - 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    empty = client.post(
        url, {"text": " ", "version": mine[0]["version"]}, content_type="application/json"
    )
    assert empty.status_code == 422 and empty.json()["detail"] == "请写明整改情况。"
    done = client.post(
        url, {"text": "已整改", "version": mine[0]["version"]}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "answered"
    client.force_login(county_officer)
    board = client.get(f"/api/supervision/dashboard/{county.county.code}").json()
    assert board["headline"]["collected"] == 5 and board["place"] == county.county.code


def test_the_weeks_overview_exports(client, week, county, county_officer) -> None:
    drafted()
    client.force_login(county_officer)
    response = client.get(f"/supervision/weekly/?week={WEEK.isoformat()}&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["编码", "地点", "状态", "事项"]
    assert sheet["A2"].value == county.community.code and sheet["D2"].value == 3


def test_mangled_item_values_are_refused_by_the_form(client, week, county_officer) -> None:
    (the_list,) = drafted()
    item = the_list.items.get(reason="overdue")
    client.force_login(county_officer)
    url = f"/supervision/weekly/items/{item.pk}/edit/"
    edit = {"version": item.version, "description": "请办结", "deadline": "2026-11-27"}
    for bad, message in [
        ({"version": "abc", "deadline": "soon"}, "刚才有人修改了此事项"),  # the version first
        ({"responsible_post": "abc"}, "该选项不可用"),
        ({"responsible_organisation": "999999"}, "该选项不可用"),
        ({"deadline": "27/11/2026"}, gettext("Give a date as YYYY-MM-DD.")),
        ({"deadline": "2020-01-01"}, "整改时限早于今天"),  # a good date still goes to the service
    ]:
        page = client.post(url, {**edit, **bad}, follow=True)
        assert message in page.content.decode()
    item.refresh_from_db()
    assert item.description != "请办结"
    other = client.post(f"/supervision/weekly/items/{item.pk}/other/", {"version": item.version})
    assert other.status_code == 404
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        client.post(url, edit)
    item.refresh_from_db()
    assert item.description == "请办结" and item.deadline == datetime.date(2026, 11, 27)
