"""The pages: the office opens and closes, a resident evaluates on the phone page once, staff
read results in their scope (fixed queries, Excel audited), a holder reads their own results;
no page names a voter; another county's office gets 404."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import build_county, make_leader, make_staff
from sanzhang.evaluations import services
from sanzhang.evaluations.models import Choice, Evaluation, Period, State
from sanzhang.people.models import Role
from sanzhang.posts.models import PostKind, Tenure

from .conftest import make_resident

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def tenure_of(user) -> Tenure:  # type: ignore[no-untyped-def]
    return Tenure.objects.get(person=user.person)


def test_the_office_opens_an_evaluation_from_its_page(county, office, during) -> None:
    client = client_for(office)
    assert "发起评议" in client.get("/evaluations/").content.decode()
    response = client.post(
        "/evaluations/open/",
        {
            "title": "2026年第四季度",
            "starts_on": "2026-10-01",
            "ends_on": "2026-12-31",
            "pass_rate": "90",
            "min_votes": "5",
        },
    )
    period = Period.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evaluations/{period.pk}/"
    assert period.place == county.county and period.state == State.OPEN
    form = {"starts_on": "2026-10-01", "ends_on": "2026-12-31", "pass_rate": "90", "min_votes": "5"}
    again = client.post("/evaluations/open/", {**form, "title": "重复"})
    assert again.status_code == 422 and "请先结束" in again.content.decode()


def test_a_resident_evaluates_each_holder_over_them_once(
    period, resident, grid_leader, building_leader, grid_b_leader
) -> None:
    client = client_for(resident)
    page = client.get("/evaluations/vote/").content.decode()
    assert "李网格" in page and "赵楼栋" in page and "孙二格" not in page
    assert page.count('value="satisfied"') == 2 and "基本满意" in page
    tenure = tenure_of(grid_leader)
    form = {"period": period.pk, "tenure": tenure.pk, "choice": "basic", "comment": "还可以"}
    first = client.post("/evaluations/vote/", form, follow=True).content.decode()
    assert "谢谢！您对李网格的评价已记录：基本满意。" in first
    assert "您的评价：基本满意" in first and first.count('value="satisfied"') == 1
    second = client.post("/evaluations/vote/", {**form, "choice": "unsatisfied"}, follow=True)
    assert "已经评价过" in second.content.decode()
    assert list(Evaluation.objects.values_list("choice", flat=True)) == ["basic"]
    # A holder elsewhere is not theirs to evaluate.
    other = {**form, "tenure": tenure_of(grid_b_leader).pk}
    assert "只能评议" in client.post("/evaluations/vote/", other, follow=True).content.decode()
    # Once closed, an answer from a page left open is told so.
    Period.objects.filter(pk=period.pk).update(state="closed")
    late = client.post("/evaluations/vote/", {**form, "tenure": tenure_of(building_leader).pk})
    assert late.status_code == 302
    assert "这次评议已经结束" in client.get("/evaluations/vote/").content.decode()


def test_staff_do_not_get_the_phone_page_and_residents_not_the_results(
    period, office, resident
) -> None:
    assert client_for(office).get("/evaluations/vote/").status_code == 403
    assert client_for(resident).get(f"/evaluations/{period.pk}/").status_code == 403
    assert client_for(resident).get("/evaluations/").status_code == 302


def _many_votes(county, period, tenure, n: int) -> None:  # type: ignore[no-untyped-def]
    for k in range(n):
        voter = make_resident(county.unit_a1_2, f"v{tenure.pk}-{k}", f"{tenure.pk}{k:02d}")
        services.evaluate(voter, period, tenure, Choice.SATISFIED if k % 3 else Choice.BASIC)


def _results_queries(client: Client, period: Period) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/evaluations/{period.pk}/").status_code == 200
    return len(ctx.captured_queries)


def test_results_are_read_in_a_fixed_number_of_queries(
    county, period, office, grid_leader, building_leader
) -> None:
    client = client_for(office)
    _many_votes(county, period, tenure_of(grid_leader), 1)
    few = _results_queries(client, period)
    _many_votes(county, period, tenure_of(building_leader), 6)
    assert _results_queries(client, period) == few
    page = client.get(f"/evaluations/{period.pk}/").content.decode()
    assert "李网格" in page and "赵楼栋" in page and "100.0%" in page


def test_the_results_come_a_page_at_a_time(county, period, office, grid_leader, monkeypatch):  # type: ignore[no-untyped-def]
    from sanzhang.evaluations import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    building = make_leader(county.building_a1, PostKind.BUILDING_LEADER, "b-leader", name="赵楼栋")
    _many_votes(county, period, tenure_of(grid_leader), 1)
    _many_votes(county, period, tenure_of(building), 1)
    client = client_for(office)
    first = client.get(f"/evaluations/{period.pk}/").content.decode()
    second = client.get(f"/evaluations/{period.pk}/?page=2").content.decode()
    # By place code: the grid (GC.C01.G01) before its building (GC.C01.G01.B01).
    assert "李网格" in first and "赵楼栋" not in first and "1 / 2" in first
    assert "赵楼栋" in second and "李网格" not in second


def test_staff_read_results_in_their_scope_with_an_audited_excel(
    county, period, office, resident, grid_leader, grid_b_leader
) -> None:
    services.evaluate(resident, period, tenure_of(grid_leader), Choice.SATISFIED, "好")
    stranger = make_resident(county.unit_b1_1, "b-resident", "808")
    services.evaluate(stranger, period, tenure_of(grid_b_leader), Choice.UNSATISFIED)
    # Grid B's leader sees their own grid, not grid A's holder.
    page = client_for(grid_b_leader).get(f"/evaluations/{period.pk}/").content.decode()
    assert "孙二格" in page and "李网格" not in page
    response = client_for(office).get(f"/evaluations/{period.pk}/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in rows} == {"李网格", "孙二格"}
    assert all(resident.person.name not in str(row) for row in rows)
    assert AuditEvent.objects.filter(action="evaluation.exported").count() == 1


def test_another_countys_office_gets_404(county, period) -> None:
    other = build_county("NF", "南丰县")
    their_office = make_staff("nf-office", Role.COUNTY_OFFICE, other.county, "county_office")
    their_leader = make_leader(other.grid_a, PostKind.GRID_LEADER, "nf-leader")
    for user in (their_office, their_leader):
        client = client_for(user)
        assert client.get(f"/evaluations/{period.pk}/").status_code == 404
        assert client.get(f"/evaluations/{period.pk}/export/").status_code == 404
        assert f"/evaluations/{period.pk}/" not in client.get("/evaluations/").content.decode()
    assert client_for(their_office).post(f"/evaluations/{period.pk}/close/").status_code == 404
    assert Period.objects.get().state == State.OPEN


def test_the_office_closes_and_the_holder_reads_their_own_results(
    county, period, office, resident, grid_leader
) -> None:
    services.evaluate(resident, period, tenure_of(grid_leader), Choice.SATISFIED, "很负责")
    assert client_for(grid_leader).post(f"/evaluations/{period.pk}/close/").status_code == 403
    response = client_for(office).post(f"/evaluations/{period.pk}/close/", follow=True)
    assert "评议已结束" in response.content.decode()
    assert Period.objects.get().state == State.CLOSED
    page = client_for(grid_leader).get("/evaluations/mine/").content.decode()
    assert "2026年第四季度" in page and "很负责" in page and "100.0%" in page
    assert resident.person.name not in page and resident.username not in page
