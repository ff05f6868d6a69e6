"""The co-building pages: registering, the agreement's forms, the rating once, the contact's
phone only for the unit's own community, the overview and its Excel, and 404 outside scope."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import County
from sanzhang.partners import services
from sanzhang.partners.models import Activity, Agreement, Commitment, Rating, Unit
from sanzhang.people.models import User

from .conftest import GRADES, add

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_staff_register_a_unit_and_are_told_when_it_was_there(county: County, staff: User) -> None:
    form = {
        "place": county.community.pk,
        "name": "县一中",
        "kind": "school",
        "binding_kind": "co_building",
        "contact_phone": "13912345678",
    }
    client = _client(staff)
    first = client.post("/partners/", form, follow=True)
    assert "已登记" in first.content.decode()
    again = client.post("/partners/", form, follow=True)
    assert "已经登记" in again.content.decode()
    assert Unit.objects.count() == 1
    assert "13912345678" in again.content.decode()  # the community's own staff see the phone


def test_a_place_outside_scope_is_refused_with_a_message(
    county: County, village_staff: User
) -> None:
    form = {
        "place": county.community.pk,
        "name": "县一中",
        "kind": "school",
        "binding_kind": "helping",
    }
    response = _client(village_staff).post("/partners/", form, follow=True)
    assert "请选择社区或村" in response.content.decode()
    assert not Unit.objects.exists()


def test_the_office_sees_the_unit_with_its_phone_masked(office: User, unit: Unit) -> None:
    page = _client(office).get(f"/partners/units/{unit.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    assert not AuditEvent.objects.filter(action="partners.contact_shown").exists()


def test_showing_the_full_phone_to_the_communitys_staff_is_logged(staff: User, unit: Unit) -> None:
    assert "13912345678" in _client(staff).get(f"/partners/units/{unit.pk}/").content.decode()
    shown = AuditEvent.objects.get(action="partners.contact_shown")
    assert shown.actor_id == staff.pk and shown.object_id == str(unit.pk)


def test_another_communitys_staff_get_404(
    village_staff: User, unit: Unit, agreement: Agreement
) -> None:
    client = _client(village_staff)
    assert client.get(f"/partners/units/{unit.pk}/").status_code == 404
    assert client.get(f"/partners/agreements/{agreement.pk}/").status_code == 404
    url = f"/partners/agreements/{agreement.pk}/rate/"
    assert client.post(url, GRADES).status_code == 404
    assert "县人民医院" not in client.get("/partners/").content.decode()


def test_the_agreement_page_records_commitments_activities_and_one_rating(
    staff: User, agreement: Agreement
) -> None:
    client = _client(staff)
    base = f"/partners/agreements/{agreement.pk}"
    client.post(
        f"{base}/commitment/",
        {"kind": "funds", "description": "捐赠助学金", "target": "1000.00", "measure": "元"},
    )
    commitment = Commitment.objects.get()
    client.post(
        f"{base}/activity/",
        {
            "commitment": commitment.pk,
            "held_on": f"{agreement.year}-09-01",
            "what": "发放助学金",
            "amount": "250.50",
        },
    )
    assert Activity.objects.get().amount == Decimal("250.50")
    page = client.get(f"{base}/").content.decode()
    assert "25.1%" in page  # 250.50 / 1000
    first = client.post(f"{base}/rate/", {**GRADES, "comment": "好"}, follow=True)
    assert "评价已记录" in first.content.decode()
    again = client.post(f"{base}/rate/", {**GRADES, "keeping": 1}, follow=True)
    assert "未作任何更改" in again.content.decode()
    assert Rating.objects.get().keeping == 4


def test_bad_amounts_are_refused_in_chinese(staff: User, agreement: Agreement) -> None:
    response = _client(staff).post(
        f"/partners/agreements/{agreement.pk}/commitment/",
        {"kind": "funds", "description": "捐款", "target": "一千", "measure": "元"},
        follow=True,
    )
    assert "请以数字填写" in response.content.decode()
    assert not Commitment.objects.exists()


def test_the_office_sees_the_overview_and_exports_it(
    office: User, staff: User, agreement: Agreement
) -> None:
    line = add(staff, agreement, "project", "4", "项")
    services.record_activity(
        staff, line, held_on=datetime.date(agreement.year, 4, 1), what="义诊", amount=Decimal("3")
    )
    services.rate(staff, agreement, grades=GRADES, comment="=HYPERLINK()")
    client = _client(office)
    page = client.get(f"/partners/overview/?year={agreement.year}").content.decode()
    assert "县人民医院" in page and "75.0%" in page and "优秀" in page
    response = client.get(f"/partners/overview/?year={agreement.year}&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "县人民医院" and rows[1][4] == "75.0"
    assert rows[1][-1] == "'=HYPERLINK()"  # a comment never becomes a formula
    assert AuditEvent.objects.filter(action="partners.overview_exported").count() == 1


def test_leaders_see_no_units_and_residents_no_page(
    client: Client, unit_leader: User, unit: Unit
) -> None:
    assert "县人民医院" not in _client(unit_leader).get("/partners/").content.decode()
    assert _client(unit_leader).get(f"/partners/units/{unit.pk}/").status_code == 404


def test_the_list_takes_few_queries(staff: User, unit: Unit, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = _client(staff)
    with django_assert_max_num_queries(15):
        client.get("/partners/")


def test_the_overview_takes_the_same_queries_for_one_unit_or_many(
    county: County, staff: User, office: User, agreement: Agreement, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    add(staff, agreement, "volunteer_hours", "10")
    client = _client(office)
    url = f"/partners/overview/?year={agreement.year}"
    client.get(url)  # the session and the standing, read once
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        unit = services.register_unit(
            staff,
            place=county.community,
            name=f"企业{n}",
            kind="enterprise",
            binding_kind="helping",
        ).row
        more = services.record_agreement(
            staff,
            unit,
            community=county.community,
            year=agreement.year,
            signed_on=agreement.signed_on,
        ).row
        add(staff, more, "volunteer_hours", "10")
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("企业") == 5


def test_staff_end_a_binding_once_and_the_unit_stays_on_their_list(
    county: County, staff: User, village_staff: User, unit: Unit, agreement: Agreement
) -> None:
    binding = unit.bindings.get()
    url = f"/partners/bindings/{binding.pk}/end/"
    until = {"until": f"{agreement.year}-12-31"}
    assert _client(village_staff).post(url, until).status_code == 404
    first = _client(staff).post(url, until, follow=True).content.decode()
    assert "结对已结束" in first
    again = _client(staff).post(url, {"until": f"{agreement.year}-12-30"}, follow=True)
    assert "已经结束" in again.content.decode()
    binding.refresh_from_db()
    assert binding.until == datetime.date(agreement.year, 12, 31)
    assert AuditEvent.objects.filter(action="partners.binding_ended").count() == 1
    assert "县人民医院" in _client(staff).get("/partners/").content.decode()
    assert not services.sees_contact(staff, unit)  # the phone is for current partners only
