"""Every page a role's menu leads to reads in Chinese: rendered in zh-hans, the words people
see (header and main, not markup, codes or names) hold no English outside a short list."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from sanzhang.access.menu import entries_for
from sanzhang.conftest import County, make_household, make_leader, make_staff
from sanzhang.issues.intake import submit
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.posts.models import PostKind

pytestmark = pytest.mark.django_db

# Allowed in Chinese pages: the language switch and file formats (and the users' names).
ALLOWED = {"English", "Excel", "PDF", "CSV", "XLSX", "GeoJSON", "UTF", "API", "ID"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


class VisibleText(HTMLParser):
    """The text a person reads: no script, style, attribute or code element."""

    HIDDEN = {"script", "style", "code", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def english_words(html: str, names: set[str]) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    words = set(ENGLISH_WORD.findall(" ".join(parser.parts)))
    return {w for w in words if w not in ALLOWED and w.lower() not in names}


def test_every_menu_page_of_every_role_reads_in_chinese(county: County) -> None:
    reseed()
    Organisation.objects.create(
        kind=Organisation.Kind.COUNTY_OFFICE, name="县三长办", place=county.county
    )
    household = make_household(county.unit_a1_1, "301", name="李桂兰")
    person = Person.objects.get(household=household)
    resident = User.objects.create_user("resident", role=Role.RESIDENT, person=person)
    users = {
        "resident": resident,
        "unit": make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit"),
        "grid": make_leader(county.grid_a, PostKind.GRID_LEADER, "grid"),
        "staff": make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee"),
        "office": make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office"),
        "dept": make_staff("dept", Role.DEPARTMENT, county.county, "department"),
        "orgdept": make_staff("orgdept", Role.ORG_DEPARTMENT, county.county, "department"),
    }
    submit(resident, place=county.unit_a1_1, text="楼道灯坏了")
    names = {name.lower() for name in users} | {u.username for u in users.values()}
    found: dict[str, set[str]] = {}
    for name, user in users.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user)
        pages = ["/console/", "/notices/", *_menu(user)]
        for path in pages:
            response = client.get(path, follow=True)
            assert response.status_code == 200, f"{name} {path}: {response.status_code}"
            if "html" not in response.get("Content-Type", ""):
                continue
            words = english_words(response.content.decode(), names)
            if words:
                found[f"{name} {path}"] = words
    assert not found, found


def _menu(user: User) -> list:  # type: ignore[type-arg]
    from django.urls import reverse

    return [reverse(entry.url_name) for entry in entries_for(user)]
