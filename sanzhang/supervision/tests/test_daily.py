"""Daily summary pages, the Excel export and the push to the place's group robot."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
import time_machine
from openpyxl import load_workbook

from sanzhang.conftest import run_queued_tasks
from sanzhang.issues.intake import submit
from sanzhang.issues.tests.conftest import reseed
from sanzhang.notifications.models import Delivery, Endpoint
from sanzhang.notifications.tests.test_channels import OK, Robot
from sanzhang.supervision.models import DailySummary
from sanzhang.supervision.summaries import produce

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 11, 20)


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def report(county, unit_leader, when: str, unit=None) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(at(when), tick=False):
        submit(unit_leader, place=unit or county.unit_a1_1, text="楼道灯坏了", channel="patrol")


@pytest.mark.django_db
def test_the_day_runs_to_the_summary_hour_and_rolls_up(county, unit_leader, county_officer) -> None:
    report(county, unit_leader, "2026-11-19 20:30")  # after the 19th's summary: counts on the 20th
    report(county, unit_leader, "2026-11-20 19:59")
    report(county, unit_leader, "2026-11-20 20:00")  # the 21st's
    assert produce(DAY) == 4
    made = {s.place.code: s.figures for s in DailySummary.objects.filter(day=DAY)}
    assert set(made) == {
        county.county.code,
        county.community.code,
        county.district.code,
        county.area.code,
    }
    assert made[county.community.code]["new"] == 2
    assert made[county.county.code]["new"] == 2 and made[county.county.code]["open"] == 2
    assert made[county.area.code]["new"] == 0
    assert made[county.community.code]["new_by_channel"] == {"patrol": 2}


@pytest.mark.django_db
def test_the_page_and_its_excel_export(client, county, unit_leader, county_officer) -> None:
    report(county, unit_leader, "2026-11-20 09:00")
    produce(DAY)
    client.force_login(county_officer)
    page = client.get(f"/supervision/daily/{county.county.code}/?day=2026-11-20")
    assert page.status_code == 200
    text = page.content.decode()
    assert "每日汇总" in text and county.community.name in text
    response = client.get(f"/supervision/daily/{county.county.code}/export/?day=2026-11-20")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["编码", "地点", "日期"] and "新增" in header[3]
    county_row = [cell.value for cell in sheet[2]]
    assert county_row[0] == county.county.code and county_row[3] == 1
    assert isinstance(county_row[2], datetime.datetime) and county_row[2].date() == DAY
    assert sheet.column_dimensions["B"].width >= 12


@pytest.mark.django_db
def test_outside_their_tree_nobody_sees_a_place(client, county, community_staff) -> None:
    produce(DAY)
    client.force_login(community_staff)
    assert client.get(f"/supervision/daily/{county.community.code}/").status_code == 200
    assert client.get(f"/supervision/daily/{county.area.code}/").status_code == 404
    assert client.get("/supervision/daily/").url.endswith(f"/{county.community.code}/")


@pytest.mark.django_db
def test_a_bad_day_is_refused_plainly(client, county, county_officer) -> None:
    client.force_login(county_officer)
    assert client.get(f"/supervision/daily/{county.county.code}/?day=2026-13-45").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_each_summary_is_pushed_to_its_place_robot_once(
    county, unit_leader, county_officer
) -> None:
    reseed()
    robot = Robot([OK])
    try:
        Endpoint.objects.create(
            kind="wecom_robot", name="社区群", url=robot.url, place=county.community
        )
        report(county, unit_leader, "2026-11-20 09:00")
        run_queued_tasks()  # the report's own notices, sent
        robot.received.clear()  # the step notice of the report itself
        Delivery.objects.all().delete()
        with time_machine.travel(at("2026-11-20 20:00"), tick=False):
            produce(DAY)
            produce(DAY)
            run_queued_tasks()  # the summaries' deliveries
        assert len(robot.received) == 1
        content = robot.received[0]["text"]["content"]
        assert county.community.name in content and "新增 1" in content
        assert DailySummary.objects.filter(day=DAY).count() == 4
    finally:
        robot.close()
