"""Masking (脱敏): residents' phone, ID and address are shown masked everywhere; the full value
comes only through a reveal, which writes an audit row; the database holds only ciphertext."""

import pytest
from django.db import connection
from django.test import Client

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import County, make_household
from sanzhang.core.masking import mask_address, mask_id_number, mask_phone

PHONE = "13812345678"
ID_NUMBER = "360000195001011234"


def test_mask_phone_keeps_first_three_and_last_four():
    assert mask_phone(PHONE) == "138****5678"


def test_mask_id_number_keeps_first_six_and_last_four():
    assert mask_id_number(ID_NUMBER) == "360000********1234"


def test_mask_address_hides_the_door():
    assert mask_address("莲花社区1栋1单元101室") == "莲花社区****"


@pytest.fixture
def resident(county: County):
    return make_household(county.unit_a1_1, "101").members.get()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_and_api_show_only_masked_values(county, unit_leader, resident):
    client = logged_in(unit_leader)
    bodies = [
        client.get("/people/").content.decode(),
        client.get(f"/people/{resident.pk}/").content.decode(),
        client.get("/api/people/").content.decode(),
        client.get(f"/api/people/{resident.pk}").content.decode(),
    ]
    for body in bodies:
        assert PHONE not in body
        assert ID_NUMBER not in body
        assert "101室" not in body
    assert "138****5678" in bodies[1]
    assert "360000********1234" in bodies[3]


def test_reveal_returns_the_full_value_and_writes_one_audit_row(county, unit_leader, resident):
    client = logged_in(unit_leader)
    before = AuditEvent.objects.filter(action="person.revealed").count()
    response = client.post(f"/people/{resident.pk}/reveal/", {"field": "phone"})
    assert PHONE in response.content.decode()
    rows = AuditEvent.objects.filter(action="person.revealed")
    assert rows.count() == before + 1
    row = rows.first()
    assert (row.actor_id, row.object_id, row.detail) == (
        unit_leader.pk,
        str(resident.pk),
        {"field": "phone"},
    )
    assert PHONE not in str(row.detail)


def test_reveal_outside_scope_is_404_and_reveals_nothing(county, outsider, resident):
    response = logged_in(outsider).post(f"/people/{resident.pk}/reveal/", {"field": "phone"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="person.revealed").exists()


def test_searching_by_full_phone_finds_the_resident_through_the_keyed_hash(
    county, unit_leader, resident
):
    items = logged_in(unit_leader).get("/api/people/", {"q": PHONE}).json()["items"]
    assert [item["id"] for item in items] == [resident.pk]


def test_the_database_holds_no_plaintext_phone_id_or_address(county, resident):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number FROM people_person WHERE id = %s", [resident.pk])
        phone, id_number = cursor.fetchone()
        cursor.execute(
            "SELECT address FROM people_household WHERE id = %s", [resident.household_id]
        )
        (address,) = cursor.fetchone()
    assert PHONE not in phone and ID_NUMBER not in id_number and "101" not in address


def test_department_staff_have_no_access_to_residents(county, resident):
    from sanzhang.conftest import make_staff

    clerk = make_staff("clerk", "department", county.county, "department")
    client = logged_in(clerk)
    assert client.get("/people/").status_code == 404
    assert client.get(f"/api/people/{resident.pk}").status_code == 404


def test_reveal_of_any_other_field_is_404_and_reveals_nothing(county, unit_leader, resident):
    client = logged_in(unit_leader)
    for field in ["name", "password", "", "phone "]:
        response = client.post(f"/people/{resident.pk}/reveal/", {"field": field})
        assert response.status_code == 404
    assert client.post(f"/people/{resident.pk}/reveal/").status_code == 404
    assert not AuditEvent.objects.filter(action="person.revealed").exists()
