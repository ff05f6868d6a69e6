"""Dashboard figures for each level, computed live, the grid map's data and the Excel copy."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from sanzhang.issues.intake import submit
from sanzhang.issues.models import State
from sanzhang.issues.workflow import move
from sanzhang.supervision import dashboards, summaries
from sanzhang.supervision.models import DailySummary

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def morning():  # type: ignore[no-untyped-def]
    """A fixed morning, flowing: nothing crosses the 20:00 summary hour mid-test."""
    start = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=True):
        yield


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[116, 26], [116.01, 26], [116.01, 26.01], [116, 26.01], [116, 26]]],
}


@pytest.fixture
def issues(county, unit_leader, county_officer):  # type: ignore[no-untyped-def]
    first = submit(unit_leader, place=county.unit_a1_1, text="楼道灯坏了", channel="patrol").issue
    submit(county_officer, place=county.unit_a1_2, text="垃圾没有清运", channel="patrol")
    move(first, None, kind="declined", to_state=State.DECLINED, note="重复")
    county.grid_a.boundary = SQUARE
    county.grid_a.save()
    return first


def test_each_level_counts_its_own_subtree(county, issues) -> None:
    board = dashboards.build(county.county)
    assert board.headline["collected"] == 2 and board.headline["solved"] == 0
    assert board.headline["wishes_claimed"] == 0
    assert board.today["new"] == 2 and board.today["declined"] == 1 and board.today["open"] == 1
    rows = {row["place"].code: row for row in board.children}
    assert rows[county.community.code]["open"] == 1
    assert rows[county.community.code]["new"] == 0  # today is not summed up yet
    assert len(board.trend["days"]) == 30
    # Below a community (grids and buildings keep no summaries) the counts are live.
    grid = {row["place"].code: row for row in dashboards.build(county.grid_a).children}
    assert grid[county.building_a1.code]["new"] == 2
    assert dashboards.build(county.grid_b).headline["collected"] == 0


def test_summed_days_feed_the_trend_and_the_children(county, issues) -> None:
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    summaries.produce(summaries.day_of(timezone.now()))
    board = dashboards.build(county.county, tomorrow)
    rows = {row["place"].code: row for row in board.children}
    assert rows[county.community.code]["new"] == 2 and rows[county.district.code]["new"] == 0
    assert board.trend["new"][-1] == 2 and board.trend["open"][-1] == 1


def test_the_map_colours_grids_with_boundaries(county, issues) -> None:
    data = dashboards.grid_map(county.county)
    assert [f["properties"]["code"] for f in data["geojson"]["features"]] == [county.grid_a.code]
    assert data["values"][0]["value"] == 1
    later = dashboards.grid_map(county.county, timezone.now() + datetime.timedelta(days=30))
    assert later["values"][0]["overdue"] == 1


def test_pages_and_export(client, county, issues, county_officer, community_staff) -> None:
    client.force_login(county_officer)
    page = client.get(f"/supervision/dashboard/{county.county.code}/").content.decode()
    assert "数据看板" in page and 'id="dashboard-data"' in page and "echarts.min.js" in page
    assert client.get(f"/supervision/dashboard/{county.county.code}/map/").json()["values"]
    book = load_workbook(
        io.BytesIO(client.get(f"/supervision/dashboard/{county.county.code}/export/").content)
    )
    assert book.sheetnames == ["指标", "分地点", "近 30 天"]
    assert book["指标"]["B2"].value == 2
    client.force_login(community_staff)
    assert client.get(f"/supervision/dashboard/{county.county.code}/").status_code == 404
    assert client.get("/supervision/").url.endswith(f"/{county.community.code}/")


def test_the_headline_reads_last_evenings_totals_and_the_issues_since(
    county, issues, unit_leader
) -> None:
    evening = timezone.now().replace(hour=21)
    day = summaries.day_of(timezone.now())
    with time_machine.travel(evening, tick=False):
        summaries.produce(day)
        recorded = DailySummary.objects.get(place=county.county, day=day)
        assert recorded.figures["collected_total"] == 2
        assert recorded.figures["households"] >= 0  # the stocks the headline reads too
        # The record, not a recount: a figure changed in it shows on the page.
        recorded.figures["collected_total"] = 100
        recorded.save()
        submit(unit_leader, place=county.unit_a1_1, text="路灯不亮了", channel="patrol")
        board = dashboards.build(county.county)
    assert board.headline["collected"] == 101  # the record's 100 and the one since


DASHBOARD_QUERIES = 20


def test_the_dashboard_costs_the_same_queries_at_any_size(client, county, county_officer) -> None:
    client.force_login(county_officer)
    url = f"/supervision/dashboard/{county.county.code}/"

    def add(n: int) -> None:
        for i in range(n):
            place = county.unit_a1_1 if i % 2 else county.unit_a1_2
            submit(county_officer, place=place, text=f"第{i}处垃圾没有清运", channel="patrol")

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    yesterday = summaries.day_of(timezone.now()) - datetime.timedelta(days=1)
    summaries.produce(yesterday)  # the evening the headline starts from
    add(3)
    small = queries()
    add(6)
    assert queries() == small <= DASHBOARD_QUERIES


def test_the_map_costs_the_same_queries_at_any_size(client, county, issues, county_officer) -> None:
    client.force_login(county_officer)
    url = f"/supervision/dashboard/{county.county.code}/map/"

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            values = client.get(url).json()["values"]
        return len(ctx.captured_queries), values[0]["value"]

    def add(n: int) -> None:
        for i in range(n):
            submit(
                county_officer, place=county.unit_a1_2, text=f"第{i}处井盖缺失", channel="patrol"
            )

    add(2)
    small, shown = queries()
    add(4)
    assert queries() == (small, shown + 4)  # the grid's open issues, in as many queries
