"""The funding pages: balances from stored rows (as many queries at 1 entry as at 300), the
ledger and its Excel, scope (404 outside), amounts refused in words, and the allowances."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import County, make_leader, make_staff
from sanzhang.core.xlsx import XLSX_TYPE
from sanzhang.funds import services
from sanzhang.funds.allowances import price
from sanzhang.funds.models import Account, AllowanceRule, Fund, Spending
from sanzhang.people.models import Role
from sanzhang.points.models import PointEntry
from sanzhang.posts.models import PostKind

from .conftest import YEAR, claim, fund_grid, receipt

pytestmark = pytest.mark.django_db


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_balances_page_reads_stored_balances_not_the_ledger(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    grid = fund_grid(county, county_officer, community_staff, "1000")
    client = _as(county_officer)
    url = f"/funds/?year={YEAR}"
    before = _queries(client, url)
    for _ in range(300):
        services.add_budget(
            county_officer,
            fund=Fund.GRID_BRANCH,
            year=YEAR,
            county=county.county,
            amount=Decimal("0.01"),
        )
    assert _queries(client, url) == before
    page = client.get(url).content.decode()
    assert "3.00" in page and grid.place.name in page


def test_the_ledger_exports_per_fund_place_and_year(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    grid = fund_grid(county, county_officer, community_staff, "88.80")
    response = _as(community_staff).get(f"/funds/accounts/{grid.pk}/?format=xlsx")
    assert response["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][2] == "88.80" and rows[0][3] == "88.80"
    balances = _as(county_officer).get(f"/funds/?year={YEAR}&format=xlsx")
    assert balances.status_code == 200 and balances["Content-Type"] == XLSX_TYPE


def test_staff_of_another_community_get_404(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    grid = fund_grid(county, county_officer, community_staff, "10")
    spending = claim(community_staff, grid, "1")
    village = _as(make_staff("village", Role.COMMUNITY_STAFF, county.area, "committee"))
    for url in (
        f"/funds/accounts/{grid.pk}/",
        f"/funds/spendings/{spending.pk}/",
        f"/funds/spendings/{spending.pk}/receipt/",
    ):
        assert village.get(url).status_code == 404
    assert (
        village.post(f"/funds/spendings/{spending.pk}/", {"action": "approve"}).status_code == 404
    )
    assert "党员活动室茶叶" not in village.get("/funds/spendings/").content.decode()


def test_a_leader_may_not_use_the_funds_pages(county: County) -> None:
    leader = make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader")
    assert _as(leader).get("/funds/").status_code == 403


@pytest.mark.parametrize(
    ("typed", "words"),
    [("1e3", "请按元填写金额"), ("-5", "金额不能为负数"), ("1.234", "金额最多两位小数")],
)
def test_a_wrong_amount_is_refused_in_chinese(
    county: County, county_officer, typed: str, words: str
) -> None:  # type: ignore[no-untyped-def]
    response = _as(county_officer).post(
        f"/funds/?year={YEAR}", {"fund": Fund.GRID_BRANCH, "amount": typed}, follow=True
    )
    assert words in response.content.decode()
    assert not Account.objects.exists() or Account.objects.get().balance == 0


def test_spending_is_recorded_and_approved_through_the_pages(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    grid = fund_grid(county, county_officer, community_staff, "50")
    staff = _as(community_staff)
    form = {
        "action": "spend",
        "item": "横幅",
        "amount": "12.3",
        "spent_on": timezone.localdate().isoformat(),
        "purpose": "主题党日",
        "receipt": receipt(),
        "token": "abc",
    }
    assert staff.post(f"/funds/accounts/{grid.pk}/", form).status_code == 302
    spending = Spending.objects.get()
    assert spending.amount == Decimal("12.30")
    assert staff.get(f"/funds/spendings/{spending.pk}/receipt/")["Content-Type"] == "image/jpeg"
    assert AuditEvent.objects.filter(action="funds.receipt_viewed").count() == 1
    # Four eyes: the one who recorded it does not approve it; a colleague does.
    staff.post(f"/funds/spendings/{spending.pk}/", {"action": "approve"})
    grid.refresh_from_db()
    assert grid.balance == Decimal("50.00")
    colleague = make_staff("staff-2", Role.COMMUNITY_STAFF, county.community, "committee")
    _as(colleague).post(f"/funds/spendings/{spending.pk}/", {"action": "approve"})
    grid.refresh_from_db()
    assert grid.balance == Decimal("37.70")


def test_allowances_follow_the_countys_rule_and_the_points(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    leader = make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader", name="张网格")
    other = make_leader(county.grid_b, PostKind.GRID_LEADER, "grid-leader-b", name="李网格")
    office = _as(county_officer)
    office.post(
        "/funds/allowances/",
        {"yuan_per_point": "2.5", "monthly_cap": "100", "fund": Fund.GRID_BRANCH},
    )
    rule = AllowanceRule.objects.get()
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    at = timezone.make_aware(datetime.datetime.combine(month.replace(day=10), datetime.time(12)))
    PointEntry.objects.create(
        person=leader.person, cause="correction", points=37, reason="补录", at=at
    )
    PointEntry.objects.create(
        person=other.person, cause="correction", points=90, reason="补录", at=at
    )
    page = office.get(f"/funds/allowances/?month={month:%Y-%m}").content.decode()
    assert "¥92.50" in page and "¥100.00" in page and "¥192.50" in page
    assert AuditEvent.objects.filter(action="funds.allowances_viewed").count() == 1
    assert price(-3, rule) == Decimal("0.00")
    response = office.get(f"/funds/allowances/?month={month:%Y-%m}&format=xlsx")
    rows = list(
        load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)
    )
    assert sorted(r[3] for r in rows) == ["100.00", "92.50"]
    staff_page = _as(community_staff).get(f"/funds/allowances/?month={month:%Y-%m}")
    assert staff_page.status_code == 200 and "rule-form" not in staff_page.content.decode()


def test_a_form_sent_twice_moves_the_money_once(county: County, county_officer) -> None:  # type: ignore[no-untyped-def]
    office = _as(county_officer)
    budget = {"fund": Fund.CO_BUILDING, "amount": "500", "key": "k1"}
    for _ in range(2):
        office.post(f"/funds/?year={YEAR}", budget)
    top = Account.objects.get(place=county.county)
    assert top.balance == Decimal("500.00")
    allocation = {"action": "allocate", "child": county.community.pk, "amount": "0.10", "key": "k2"}
    for _ in range(2):
        office.post(f"/funds/accounts/{top.pk}/", allocation)
    top.refresh_from_db()
    assert top.balance == Decimal("499.90")
    assert Account.objects.get(place=county.community).balance == Decimal("0.10")
