"""The account page's tokens: a person sees and revokes their own devices' tokens; the county
office issues a token for a department's system of its own county (shown once) and revokes it;
nobody else issues one, and no token is ever shown twice."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sanzhang.conftest import build_county, make_staff
from sanzhang.people.models import Organisation, Role
from sanzhang.security.models import ApiToken
from sanzhang.security.tokens import issue

pytestmark = pytest.mark.django_db


def browser(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_person_sees_their_devices_and_revokes_a_lost_phones_token(loop, resident) -> None:
    token, secret = issue(resident, name="旧手机")
    page = browser(resident).get("/accounts/tokens/").content.decode()
    assert "旧手机" in page and token.prefix in page and secret not in page
    assert 'href="/accounts/tokens/"' in page  # the header's name leads here
    browser(resident).post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = Client().get("/api/issues/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 401


def system_account(department):  # type: ignore[no-untyped-def]
    """A department's account made for its system: no password (the administrator made it)."""
    department.set_unusable_password()
    department.save()
    return department


def test_the_office_issues_a_departments_system_token_shown_once(
    loop, county_officer, department
) -> None:
    system_account(department)
    office = browser(county_officer)
    page = office.post("/accounts/tokens/", {"account": department.pk, "name": "住建局业务系统"})
    shown = re.search(r"<code>(sz_[0-9a-f]+)</code>", page.content.decode())
    assert shown and page["Cache-Control"].startswith("max-age=0")  # not kept by the browser
    assert shown.group(1) not in office.get("/accounts/tokens/").content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.kind, token.created_by) == (department, "system", county_officer)
    answer = Client().get("/api/issues/", HTTP_AUTHORIZATION=f"Bearer {shown.group(1)}")
    assert answer.status_code == 200  # the system acts as the department's account
    office.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_else_issues_and_no_other_county_is_offered(
    loop, county_officer, department, resident
) -> None:
    other = build_county("NF", "南丰县")
    foreign = system_account(
        make_staff("nf-housing", Role.DEPARTMENT, other.county, Organisation.Kind.DEPARTMENT)
    )
    office = browser(county_officer)
    offered = office.get("/accounts/tokens/").content.decode()
    assert f'value="{foreign.pk}"' not in offered
    # A person's account (with a password) is no system's: the office cannot act as them.
    assert f'value="{department.pk}"' not in offered
    office.post("/accounts/tokens/", {"account": department.pk, "name": "冒用"})
    assert not ApiToken.objects.exists()
    office.post("/accounts/tokens/", {"account": foreign.pk, "name": "外县系统"})
    assert not ApiToken.objects.exists()
    refused = browser(department).post(
        "/accounts/tokens/", {"account": department.pk, "name": "自己发"}
    )
    assert refused.status_code == 404 and not ApiToken.objects.exists()
    # Another person's token is not theirs to revoke.
    token, _secret = issue(resident, name="手机")
    assert browser(department).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
