"""The register's export for staff: their area's households still there, in the import
layout, masked unless they ask to reveal; one audit row per export; nobody else gets it."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import build_county, make_household, make_staff
from sanzhang.people.models import Person, Role, User
from sanzhang.register.export import HEADER

pytestmark = pytest.mark.django_db

ID_NUMBER = "360000195001011234"  # make_household's


@pytest.fixture
def register(county):  # type: ignore[no-untyped-def]
    """Two households in grid A, one in grid B, one moved away, one in another county."""
    first = make_household(county.unit_a1_1, "101", name="王秀英")
    Person.objects.create(name="李小红", household=first, relation=Person.Relation.CHILD)
    make_household(county.unit_a1_2, "201", name="张建国")
    make_household(county.unit_b1_1, "301", name="刘大妈")
    gone = make_household(county.unit_a2_1, "401", name="陈迁出")
    gone.moved_away_on = gone.created_at.date()
    gone.save()
    make_household(build_county("NF", "南丰县").unit_a1_1, "101", name="外县人")
    return first


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def xlsx_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_staff_get_their_area_in_the_import_layout_masked(register, community_staff):
    response = logged_in(community_staff).get("/register/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = xlsx_rows(response.content)
    assert rows[0] == HEADER
    names = [row[4] for row in rows[1:]]
    assert names == ["王秀英", "李小红", "张建国", "刘大妈"]  # not moved away, not the other county
    wang = rows[1]
    assert wang[2] == "101" and wang[5] == "360000********1234" and wang[6] == "138****5678"
    assert wang[3].endswith("****") and "101" not in wang[3]
    cells = [str(cell) for row in rows for cell in row]
    assert not any(ID_NUMBER in cell or "13812345678" in cell for cell in cells)
    assert response["Cache-Control"] == "no-store"


def test_asking_to_reveal_gives_the_whole_values_and_says_so_in_the_audit_log(
    register, community_staff
):
    response = logged_in(community_staff).get("/register/export.xlsx?reveal=on")
    wang = xlsx_rows(response.content)[1]
    assert (wang[3], wang[5], wang[6]) == ("1单元101室", ID_NUMBER, "13812345678")
    event = AuditEvent.objects.get(action="register.exported")
    assert event.actor == community_staff
    assert event.detail == {"place": "", "rows": 4, "revealed": True, "format": "xlsx"}


def test_one_place_as_csv_and_one_audit_row(county, register, county_officer):
    url = f"/register/export.csv?place={county.unit_a1_1.code.lower()}"
    response = logged_in(county_officer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER and [row[4] for row in rows[1:]] == ["王秀英", "李小红"]
    assert rows[1][5] == "360000********1234"
    [event] = AuditEvent.objects.filter(action="register.exported")
    assert event.detail == {
        "place": county.unit_a1_1.code,
        "rows": 2,
        "revealed": False,
        "format": "csv",
    }
    assert event.object_id == str(county.unit_a1_1.pk)


def test_a_place_outside_the_area_is_404_and_nothing_is_recorded(county, register):
    other = build_county("NF2", "南城县")
    stranger = logged_in(
        User.objects.create_user(username="nf-staff", role=Role.COMMUNITY_STAFF)
    )  # no organisation: no area
    staff = logged_in(_staff_of(other))
    assert staff.get(f"/register/export.xlsx?place={county.unit_a1_1.code}").status_code == 404
    assert staff.get("/register/export.xlsx?place=GC.NOPE").status_code == 404
    assert stranger.get(f"/register/export.xlsx?place={county.unit_a1_1.code}").status_code == 404
    assert staff.get("/register/export.pdf").status_code == 404
    assert not AuditEvent.objects.filter(action="register.exported").exists()


def _staff_of(county):  # type: ignore[no-untyped-def]
    return make_staff("other-staff", Role.COMMUNITY_STAFF, county.community, "committee")


def test_an_other_community_staff_export_holds_none_of_ours(register):
    other = build_county("NF3", "黎川县")
    response = logged_in(_staff_of(other)).get("/register/export.xlsx")
    assert response.status_code == 200
    assert xlsx_rows(response.content) == [HEADER]


def test_leaders_and_residents_are_refused(register, unit_leader):
    resident = User.objects.create_user(
        username="resident", role=Role.RESIDENT, person=register.members.get(name="王秀英")
    )
    for user in (unit_leader, resident):
        assert logged_in(user).get("/register/export.xlsx").status_code == 404
        assert logged_in(user).get("/register/export.csv").status_code == 404
    assert not AuditEvent.objects.filter(action="register.exported").exists()


def test_without_the_reveal_right_the_export_stays_masked(register, community_staff, monkeypatch):
    monkeypatch.setattr("sanzhang.register.export.may_reveal", lambda user: False)
    response = logged_in(community_staff).get("/register/export.xlsx?reveal=on")
    assert xlsx_rows(response.content)[1][5] == "360000********1234"
    assert AuditEvent.objects.get(action="register.exported").detail["revealed"] is False


def test_the_import_page_offers_the_export(community_staff):
    body = logged_in(community_staff).get("/register/import/").content.decode()
    assert 'id="register-export"' in body and "/register/export.csv" in body
    assert "导出住户名册" in body


def test_typed_text_never_becomes_a_formula_in_the_csv(register, community_staff):
    from sanzhang.people.models import Person

    Person.objects.filter(name="王秀英").update(name='=HYPERLINK("http://x")')
    content = logged_in(community_staff).get("/register/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content and "\n=HYPERLINK" not in content.replace(",", "\n")
