"""Browsers ask every site for /favicon.ico: it leads to the site's icon, never a 404."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_favicon_leads_to_the_icon_and_pages_name_it() -> None:
    client = Client()
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301
    assert answer["Location"].endswith("core/favicon.svg")
    login = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in login and "core/favicon.svg" in login
