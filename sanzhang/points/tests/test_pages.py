"""Rankings by community, grid and county; the member's own ledger; the Excel export; the rules
page; the API; and who may see what."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sanzhang.audit.models import AuditEvent
from sanzhang.points import periods
from sanzhang.points.models import Cause, PointRule
from sanzhang.points.ranking import ranking
from sanzhang.points.services import Source, award

from .conftest import make_member, member_user
from .test_ledger import at

pytestmark = pytest.mark.django_db
MARCH = "2025-03"


@pytest.fixture
def scores(county, rules, member_a, member_b, member_rural):  # type: ignore[no-untyped-def]
    """March 2025: member B 8 points, member A 4 (+4 in April), the villager 5."""
    award(member_b, Cause.TASK_JOINED, Source("task:1", "送餐"), at=at("2025-03-02 10:00"))
    award(member_b, Cause.TASK_JOINED, Source("task:2", "送药"), at=at("2025-03-31 23:59"))
    award(member_a, Cause.TASK_JOINED, Source("task:1", "送餐"), at=at("2025-03-10 10:00"))
    award(member_a, Cause.TASK_JOINED, Source("task:3", "陪诊"), at=at("2025-04-01 00:00"))
    award(member_rural, Cause.TRAINING_ATTENDED, Source("t:1", "夜校"), at=at("2025-03-05 19:00"))
    return county


def _ranked(place, key: str) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    period = periods.parse(key)
    assert period is not None
    return [(m.person.name, m.total, m.rank) for m in ranking(place, period)]


def test_rankings_by_community_grid_and_county_for_a_period(scores) -> None:
    county = scores
    assert _ranked(county.community, MARCH) == [("刘红梅", 8, 1), ("张建国", 4, 2)]
    assert _ranked(county.grid_a, MARCH) == [("张建国", 4, 1)]
    assert _ranked(county.county, MARCH) == [("刘红梅", 8, 1), ("陈志强", 5, 2), ("张建国", 4, 3)]
    assert _ranked(county.area, MARCH) == [("陈志强", 5, 1)]
    assert _ranked(county.community, "2025-Q2") == [("张建国", 4, 1), ("刘红梅", 0, 2)]
    assert _ranked(county.county, "2025-03-10..2025-04-01")[0] == ("张建国", 8, 1)


def test_equal_totals_share_a_rank(scores) -> None:
    county = scores
    tie = make_member(county.unit_a2_1, county.community, "王磊")
    award(tie, Cause.TASK_JOINED, Source("task:9", "x"), at=at("2025-03-20 10:00"))
    assert [r for _n, _t, r in _ranked(county.community, MARCH)] == [1, 2, 2]


def test_the_community_ranking_page(client, scores, community_staff, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    client.force_login(community_staff)
    url = f"/points/ranking/{scores.community.code}/?p={MARCH}"
    with django_assert_max_num_queries(12):
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "积分排名" in text and text.index("刘红梅") < text.index("张建国")
    assert "陈志强" not in text
    assert client.get(f"/points/ranking/{scores.community.code}/?p=2025-99").status_code == 404
    assert "导出 Excel" not in text  # the export is the county office's


def test_outsiders_get_404_and_residents_403(client, scores, outsider, member_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(outsider)  # grid leader of grid B
    assert client.get(f"/points/ranking/{scores.grid_b.code}/").status_code == 200
    assert client.get(f"/points/ranking/{scores.grid_a.code}/").status_code == 404
    assert client.get(f"/points/members/{member_a.pk}/").status_code == 404
    client.force_login(member_user(member_a, "member-a"))
    assert client.get(f"/points/ranking/{scores.community.code}/").status_code == 403


def test_a_party_member_sees_their_own_ledger_with_a_running_total(client, scores, member_a):  # type: ignore[no-untyped-def]
    client.force_login(member_user(member_a, "member-a"))
    page = client.get("/points/mine/")
    text = page.content.decode()
    assert page.status_code == 200 and "我的积分" in text
    rows = page.context["page"].object_list
    assert [(e.points, e.running) for e in rows] == [(4, 8), (4, 4)]
    assert "送餐" in text and "陪诊" in text and "刘红梅" not in text
    assert client.get("/api/points/mine").json()["total"] == 8


def test_the_office_exports_a_period_to_excel(client, scores, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    response = client.get(f"/points/ranking/{scores.county.code}/export/?p={MARCH}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("排名", "姓名", "报到社区/村", "工作单位", "积分")
    assert [(r[0], r[1], r[4]) for r in rows[1:]] == [
        (1, "刘红梅", 8),
        (2, "陈志强", 5),
        (3, "张建国", 4),
    ]
    assert AuditEvent.objects.filter(action="points.exported").count() == 1


def test_only_the_office_exports(client, scores, community_staff) -> None:  # type: ignore[no-untyped-def]
    client.force_login(community_staff)
    assert client.get(f"/points/ranking/{scores.community.code}/export/").status_code == 403


def test_the_office_corrects_a_member_on_their_ledger_page(
    client, scores, member_a, county_officer
):  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    url = f"/points/members/{member_a.pk}/"
    refused = client.post(url, {"points": "-3", "reason": ""})
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    assert client.post(url, {"points": "-3", "reason": "重复计分"}).status_code == 302
    assert client.get(url).context["total"] == 5


def test_the_office_changes_a_rule_from_a_date(client, rules, county_officer, community_staff):  # type: ignore[no-untyped-def]
    client.force_login(community_staff)
    assert client.get("/points/rules/").status_code == 403
    client.force_login(county_officer)
    assert "积分规则" in client.get("/points/rules/").content.decode()
    today = timezone.localdate().isoformat()
    data = {"cause": "visit", "points": "2", "cap": "5", "cap_period": "week", "valid_from": today}
    assert client.post("/points/rules/", data).status_code == 302
    versions = PointRule.objects.filter(cause="visit").order_by("valid_from")
    assert [(r.points, r.valid_to) for r in versions] == [(1, timezone.localdate()), (2, None)]


def test_the_ranking_api(client, scores, county_officer, outsider) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    body = client.get(f"/api/points/ranking/{scores.county.code}?period={MARCH}").json()
    assert body["count"] == 3 and body["rows"][0]["name"] == "刘红梅"
    client.force_login(outsider)
    assert client.get(f"/api/points/ranking/{scores.grid_a.code}").status_code == 404
