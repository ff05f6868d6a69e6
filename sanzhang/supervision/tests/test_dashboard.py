"""Dashboard figures for each level, computed live, the grid map's data and the Excel copy."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from sanzhang.conftest import make_household, make_staff
from sanzhang.issues.intake import submit
from sanzhang.issues.models import OPEN_STATES, Channel, Issue, IssueEvent, State, Tier
from sanzhang.issues.tests.conftest import building_leader, department, grid_leader  # noqa: F401
from sanzhang.issues.workflow import move
from sanzhang.people.models import Household, Organisation, PartyMember, Role, User
from sanzhang.supervision import dashboards, summaries
from sanzhang.supervision.models import DailySummary
from sanzhang.visits.models import Visit
from sanzhang.visits.services import record_visit
from sanzhang.wishes.models import Wish
from sanzhang.wishes.services import approve, claim, post_wish

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


# Session, account and the menu's unread count included: what the bench's worker counts.
DASHBOARD_QUERIES = 12


def test_the_dashboard_costs_the_same_queries_at_any_size(
    client, county, county_officer, django_assert_max_num_queries
) -> None:
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
    assert queries() == small
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("who", "where"),
    [
        ("county_officer", "county"),
        ("county_officer", "district"),
        ("county_officer", "grid_a"),
        ("county_officer", "unit_a1_1"),
        ("community_staff", "community"),
        ("grid_leader", "grid_a"),
        ("building_leader", "building_a1"),
        ("unit_leader", "unit_a1_1"),
        ("department", "county"),
    ],
)
def test_every_level_and_role_opens_the_dashboard_within_the_queries(
    request, client, county, issues, who, where, django_assert_max_num_queries
) -> None:
    client.force_login(request.getfixturevalue(who))
    url = f"/supervision/dashboard/{getattr(county, where).code}/"
    client.get(url)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert client.get(url).status_code == 200


def _under(code: str, queryset, path: str = "place__code"):  # type: ignore[no-untyped-def]
    return queryset.filter(**{f"{path}__under": code})


@pytest.fixture
def a_busy_day(county, county_officer, unit_leader):  # type: ignore[no-untyped-def]
    """Issues reported, solved, declined and reopened yesterday (summed up that evening) and
    today, a hard one solved by a department, a visit, a wish claimed, a household with an
    account and a registered party member."""
    today = timezone.now()
    yesterday = today - datetime.timedelta(days=1)

    def report(place, text, channel="patrol"):  # type: ignore[no-untyped-def]
        return submit(county_officer, place=place, text=text, channel=channel).issue

    with time_machine.travel(yesterday, tick=False):
        housing = Organisation.objects.create(
            name="县住建局", kind=Organisation.Kind.DEPARTMENT, place=county.county
        )
        household = make_household(county.unit_a1_1)
        resident = household.members.get()
        User.objects.create_user(username="wang", role=Role.RESIDENT, person=resident)
        make_household(county.unit_b1_1, "202", name="李四")
        claimer = make_household(county.unit_a2_1, "303", name="赵六").members.get()
        for person in (resident, claimer):
            PartyMember.objects.create(
                person=person, community=county.community, registered_on=datetime.date(2026, 1, 1)
            )
        claimer_account = User.objects.create_user(
            username="zhao", role=Role.RESIDENT, person=claimer
        )
        hard = report(county.unit_a1_2, "墙面开裂渗水", "phone")
        Issue.objects.filter(pk=hard.pk).update(tier=Tier.HARD, owner_organisation=housing)
        move(Issue.objects.get(pk=hard.pk), None, kind="rated_satisfied", to_state=State.CLOSED)
        move(report(county.rural_grid, "路灯不亮"), None, kind="declined", to_state=State.DECLINED)
        reopened = report(county.unit_b1_1, "下水道堵塞")
    with time_machine.travel(yesterday.replace(hour=21), tick=False):
        summaries.produce(summaries.day_of(yesterday))
    report(county.unit_a1_1, "楼道堆放杂物", "door_knocking")
    move(report(county.unit_a2_1, "噪音扰民"), None, kind="rated_satisfied", to_state=State.CLOSED)
    move(report(county.area, "垃圾没人清运"), None, kind="declined", to_state=State.DECLINED)
    move(reopened, None, kind="rated_dissatisfied", to_state=State.IN_PROGRESS)
    record_visit(unit_leader, client_key="v1", kind="door_knocking", household=household)
    staff = make_staff("lianhua", Role.COMMUNITY_STAFF, county.community, "committee")
    wish = post_wish(staff, household=household, text="希望有人帮忙修理轮椅").wish
    approve(wish, staff)
    claim(Wish.objects.get(pk=wish.pk), claimer_account)


@pytest.mark.parametrize("where", ["county", "community", "district", "grid_a", "building_a1"])
def test_the_figures_are_the_ones_counted_one_by_one(county, a_busy_day, where) -> None:
    place = getattr(county, where)
    code = place.code
    now = timezone.now()
    board = dashboards.build(place, now)
    start, _end = summaries.window(summaries.day_of(now))
    # Today: as the evening's summary will count the window so far, open and overdue now.
    under = code if place.parent_id is not None else None
    slower = summaries.tally_window(start, now, [code], under=under, with_open=False)
    issues = _under(code, Issue.objects.all())
    open_now = issues.filter(state__in=OPEN_STATES)
    assert board.today == slower.figures(code) | {
        "open": open_now.count(),
        "overdue": open_now.filter(due_at__lt=now).count(),
    }
    events = _under(code, IssueEvent.objects.filter(at__gte=start), "issue__place__code")
    today_closed = issues.filter(closed_at__gte=start)
    assert (board.today["new"], board.today["solved"], board.today["declined"]) == (
        events.filter(kind="reported").count(),
        today_closed.filter(state=State.CLOSED).count(),
        today_closed.filter(state=State.DECLINED).count(),
    )
    assert board.today["reopened"] == events.filter(kind="rated_dissatisfied").count()
    assert board.today["visits"] == _under(code, Visit.objects.all()).count()
    assert board.today["wishes_claimed"] == _under(code, Wish.objects.all()).count()
    # The headline: every issue so far (the evening's totals and those since), counted here.
    closed = issues.filter(state=State.CLOSED)
    households = _under(code, Household.objects.all())
    registered = households.filter(members__user__isnull=False).distinct().count()
    assert board.headline == {
        "collected": issues.count(),
        "solved": closed.count(),
        "hard_solved": closed.filter(
            tier=Tier.HARD, owner_organisation__kind=Organisation.Kind.DEPARTMENT
        ).count(),
        "meetings": 0,
        "wishes_claimed": _under(code, Wish.objects.filter(status="claimed")).count(),
        "notices": 0,
        "households_registered": registered,
        "registered_percent": round(100 * registered / households.count())
        if households.exists()
        else 0,
        "party_members": _under(code, PartyMember.objects.all(), "community__code").count(),
    }
    # Each child: open and overdue now, new and solved in the last 30 days (the evenings'
    # records where the children keep them: yesterday's here, today's not summed up yet).
    kept = all(row["place"].kind in summaries.SUMMARY_KINDS for row in board.children)
    since = start if kept else now - datetime.timedelta(30)
    for row in board.children:
        below = _under(row["place"].code, Issue.objects.all())
        assert (row["open"], row["new"], row["solved"]) == (
            below.filter(state__in=OPEN_STATES).count(),
            below.filter(created_at__lt=since).count()
            if since == start
            else below.filter(created_at__gte=since).count(),
            below.filter(state=State.CLOSED, closed_at__lt=since).count()
            if since == start
            else below.filter(state=State.CLOSED, closed_at__gte=since).count(),
        ), row["place"].code
    assert [row["place"].code for row in board.children] == list(
        place.children.filter(retired_at=None).order_by("code").values_list("code", flat=True)
    )
    assert board.ancestors == place.ancestors()
    # Fewer than 30 evenings: the channels are counted from the issues of the 30 days.
    channels = dict(Channel.choices)
    recent = Counter(
        issues.filter(created_at__gte=now - datetime.timedelta(30)).values_list(
            "channel", flat=True
        )
    )
    assert board.new_by_channel == {str(channels[c]): n for c, n in sorted(recent.items())}


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


def test_a_county_beside_another_counts_only_its_own(county, unit_leader) -> None:
    from sanzhang.conftest import build_county, make_leader
    from sanzhang.posts.models import PostKind

    other = build_county("NF", "南丰县")  # a second tree: no province above both
    Organisation.objects.create(
        kind=Organisation.Kind.COUNTY_OFFICE, name="南丰县三长办", place=other.county
    )
    their_leader = make_leader(other.unit_a1_1, PostKind.UNIT_LEADER, "nf-unit")
    theirs = submit(their_leader, place=other.unit_a1_1, text="楼道灯坏了", channel="patrol").issue
    move(theirs, None, kind="rated_satisfied", to_state=State.CLOSED)
    make_household(other.unit_a1_1, "909", name="周七")
    ours = submit(unit_leader, place=county.unit_a1_1, text="垃圾没有清运", channel="patrol")
    move(ours.issue, None, kind="declined", to_state=State.DECLINED, note="重复")
    board = dashboards.build(county.county)
    assert (board.today["new"], board.today["solved"], board.today["declined"]) == (1, 0, 1)
    assert board.headline["collected"] == 1 and board.headline["solved"] == 0
    assert board.headline["households_registered"] == 0
    assert dashboards.build(other.county).today["solved"] == 1
