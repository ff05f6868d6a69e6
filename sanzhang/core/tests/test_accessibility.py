"""An accessibility check (axe-core, vendored from npm) on the pages people use most, on a
phone (390×844): the resident's report, their reports and one report; the work list and an
issue page; the visit page. No serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanzhang.conftest import PASSWORD, build_county, log_in, make_household, make_leader
from sanzhang.issues.intake import submit
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.posts.models import PostKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Serious and critical violations on the page as it stands, one line each."""
    page.evaluate(AXE + "\n;0")  # run by the test driver: the page's own CSP allows no script
    found = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))"
    )
    return list(found)


def test_the_most_used_pages_have_no_serious_violations(browser_page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    reseed()
    county = build_county()
    Organisation.objects.create(
        kind=Organisation.Kind.COUNTY_OFFICE, name="县三长办", place=county.county
    )
    household = make_household(county.unit_a1_1, "301", name="李桂兰")
    person = Person.objects.get(household=household)
    resident = User.objects.create_user(
        "resident", password=PASSWORD, role=Role.RESIDENT, person=person
    )
    make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit-leader")
    make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader")
    issue = submit(resident, place=county.unit_a1_1, text="楼道灯坏了").issue

    found: dict[str, list[str]] = {}
    log_in(page, "resident")
    for path in ["/r/", "/r/mine/", f"/r/{issue.number}/", "/console/", "/notices/"]:
        page.goto(path)
        found[path] = violations(page)
    page.context.clear_cookies()
    log_in(page, "grid-leader")
    for path in ["/issues/", f"/issues/{issue.number}/", "/visits/", "/console/"]:
        page.goto(path)
        found[f"leader {path}"] = violations(page)
    assert not any(found.values()), {k: v for k, v in found.items() if v}
