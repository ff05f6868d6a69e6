"""Passwords (promise 1): rules, no reuse of the last five, changed at first login and every
90 days, with every page and API call asking for the change until it is done."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from sanzhang.conftest import PASSWORD, County
from sanzhang.people.models import User


@pytest.mark.parametrize(
    "password",
    ["short-A1", "alllowercaseletters", "ALLUPPER12345", "123456789012345", "password12345"],
)
def test_weak_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_mixed_password_passes(db):
    validate_password("Lotus-Town-2026!")


def test_the_last_five_passwords_cannot_be_reused(county: County, unit_leader):
    for i in range(5):
        unit_leader.set_password(f"Fresh-Password-{i}x")
        unit_leader.save()
    with pytest.raises(ValidationError):
        validate_password("Fresh-Password-1x", unit_leader)
    validate_password(PASSWORD, unit_leader)  # six passwords ago: allowed again


def login(client: Client, username: str, password: str = PASSWORD) -> None:
    client.post("/accounts/login/", {"username": username, "password": password})


def test_after_90_days_every_page_and_api_call_asks_for_a_change(county: County, unit_leader):
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=91)
    with time_machine.travel(later, tick=False):
        client = Client()
        login(client, "unit-leader")
        assert client.get("/console/")["Location"] == "/accounts/password_change/"
        assert client.get(f"/places/{county.unit_a1_1.code}/").status_code == 302
        api = client.get("/api/places/")
        assert api.status_code == 403 and "密码" in api.json()["detail"]
        assert client.get("/accounts/password_change/").status_code == 200


def test_changing_the_password_lets_the_user_back_in(county: County, unit_leader):
    User.objects.filter(pk=unit_leader.pk).update(must_change_password=True)
    client = Client()
    login(client, "unit-leader")
    assert client.get("/console/").status_code == 302
    client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "New-Lotus-Path-77",
            "new_password2": "New-Lotus-Path-77",
        },
    )
    assert client.get("/console/").status_code == 200
    assert not User.objects.get(pk=unit_leader.pk).must_change_password


def test_an_account_created_in_the_admin_must_change_its_password(county: County):
    admin = User.objects.create_user(
        "sysadmin", password=PASSWORD, role="system_admin", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(admin)
    client.post(
        "/admin/people/user/add/",
        {
            "username": "newbie",
            "password1": "Start-Here-2026!",
            "password2": "Start-Here-2026!",
            "usable_password": "true",
        },
    )
    assert User.objects.get(username="newbie").must_change_password
