"""A resident on a phone (390×844) reports a problem somewhere else in their county: finds the
place by typing part of its name, picks it, attaches two photos taken at once, and sends."""

from __future__ import annotations

import os

import pytest
from PIL import Image
from playwright.sync_api import expect

from sanzhang.conftest import PASSWORD, build_county, log_in, make_household
from sanzhang.issues.models import Issue
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import Organisation, Person, Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SANZHANG_SHOTS", "")


def test_a_resident_reports_elsewhere_with_two_photos(browser_page, tmp_path) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    reseed()
    county = build_county()
    Organisation.objects.create(
        kind=Organisation.Kind.COUNTY_OFFICE, name="县三长办", place=county.county
    )
    household = make_household(county.unit_a1_1, "301", name="李桂兰")
    person = Person.objects.get(household=household)
    User.objects.create_user("resident", password=PASSWORD, role=Role.RESIDENT, person=person)
    photos = []
    for name, colour in (("lamp.jpg", (30, 30, 30)), ("street.jpg", (120, 90, 40))):
        Image.new("RGB", (1200, 900), colour).save(tmp_path / name, format="JPEG")
        photos.append(tmp_path / name)

    log_in(page, "resident")
    page.click("#report-button")
    page.wait_for_load_state("load")  # the page's scripts (htmx) at work before typing
    page.fill("#id_text", "第二网格的路灯坏了，晚上很黑")
    page.fill("#place-q", "第二")  # the places come as one types...
    page.wait_for_selector(f"#place-results input[value='{county.grid_b.code}']")
    page.press("#place-q", "Enter")  # ...and on Enter, which never sends the report
    expect(page.locator("#place-search.htmx-request")).to_have_count(0)  # the list settled
    assert not Issue.objects.exists()
    page.check(f"#place-results input[value='{county.grid_b.code}']")
    page.set_input_files("#id_photos", photos)
    expect(page.locator(".thumbs li")).to_have_count(2)  # made smaller and shown
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/report-elsewhere.png", full_page=True)
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=您的反映编号为")
    issue = Issue.objects.get()
    assert (issue.place, issue.photos.count()) == (county.grid_b, 2)


def test_a_resident_follows_a_like_report_instead_of_sending_it_again(browser_page) -> None:
    from sanzhang.issues.intake import submit
    from sanzhang.issues.models import IssueFollower

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    reseed()
    county = build_county()
    Organisation.objects.create(
        kind=Organisation.Kind.COUNTY_OFFICE, name="县三长办", place=county.county
    )
    first = Person.objects.get(household=make_household(county.unit_a1_1, "301"))
    reporter = User.objects.create_user("first", role=Role.RESIDENT, person=first)
    issue = submit(
        reporter, place=county.unit_a1_1, text="楼道灯坏了，晚上很黑", public_consent=True
    ).issue
    person = Person.objects.get(household=make_household(county.unit_a1_1, "302", name="赵敏"))
    User.objects.create_user("resident", password=PASSWORD, role=Role.RESIDENT, person=person)

    log_in(page, "resident")
    page.goto("/r/")
    page.fill("#id_text", "我们楼道的灯坏了")
    page.wait_for_selector("#similar-found")
    page.click("#similar-found button")
    page.wait_for_url(f"**/r/{issue.number}/")
    assert IssueFollower.objects.filter(issue=issue, user__username="resident").exists()
    assert Issue.objects.count() == 1  # nothing reported twice


def test_photos_show_as_thumbnails_can_be_removed_and_go_smaller(browser_page, tmp_path) -> None:
    import random

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    reseed()
    county = build_county()
    Organisation.objects.create(
        kind=Organisation.Kind.COUNTY_OFFICE, name="县三长办", place=county.county
    )
    person = Person.objects.get(household=make_household(county.unit_a1_1, "301"))
    User.objects.create_user("resident", password=PASSWORD, role=Role.RESIDENT, person=person)
    # A phone camera's photo: 3000×2000 of fine detail (several MB as JPEG)
    noise = random.Random(1)
    big = Image.effect_noise((3000, 2000), 80).convert("RGB")
    big.save(tmp_path / "camera.jpg", format="JPEG", quality=95)
    small = [tmp_path / "a.jpg", tmp_path / "b.jpg"]
    for path in small:
        Image.new("RGB", (800, 600), (noise.randrange(256), 90, 40)).save(path, format="JPEG")
    camera_bytes = (tmp_path / "camera.jpg").stat().st_size

    log_in(page, "resident")
    page.goto("/r/")
    page.fill("#id_text", "路边井盖丢了，很危险")
    page.set_input_files("#id_photos", [tmp_path / "camera.jpg", *small])
    expect(page.locator(".thumbs li")).to_have_count(3)  # (the page's CSP forbids eval)
    page.locator(".thumbs li button").nth(1).click()  # remove the second
    expect(page.locator(".thumbs li")).to_have_count(2)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/report-thumbnails.png", full_page=True)
    sent: list[int] = []
    page.on("request", lambda request: sent.append(len(request.post_data_buffer or b""))
            if request.method == "POST" else None)  # fmt: skip
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=您的反映编号为")
    issue = Issue.objects.get()
    assert issue.photos.count() == 2
    assert sent and sent[0] < camera_bytes / 2  # made smaller on the phone before sending


def test_a_resident_picks_the_grid_on_the_map_or_by_location_with_two_photos(
    browser_page, tmp_path
) -> None:
    from sanzhang.issues.tests.test_resident_map import bound

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    reseed()
    county = build_county()
    bound(county)  # grid B lies just east of grid A, the resident's
    Organisation.objects.create(
        kind=Organisation.Kind.COUNTY_OFFICE, name="县三长办", place=county.county
    )
    person = Person.objects.get(household=make_household(county.unit_a1_1, "301"))
    User.objects.create_user("resident", password=PASSWORD, role=Role.RESIDENT, person=person)
    photos = []
    for name, colour in (("drain.jpg", (40, 60, 90)), ("road.jpg", (90, 90, 90))):
        Image.new("RGB", (1000, 800), colour).save(tmp_path / name, format="JPEG")
        photos.append(tmp_path / name)

    log_in(page, "resident")
    page.goto("/r/")
    page.wait_for_load_state("load")
    page.fill("#id_text", "下水道堵了，路面积水")
    page.get_by_role("button", name="在地图上选").click()
    grid_b = page.locator(f".grid-map [data-pick='{county.grid_b.code}']")
    expect(grid_b).to_be_visible()
    expect(page.locator(".grid-map a.home")).to_have_count(1)  # the resident's own grid marked
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/report-map.png", full_page=True)
    grid_b.click()
    expect(page.locator(f"#place-results input[value='{county.grid_b.code}']")).to_be_checked()
    assert page.url.endswith("/r/")  # the tap chose the place; nothing was sent, nothing reloaded

    # The phone's location, once allowed, finds grid A instead.
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 26.8381, "longitude": 116.3251})
    page.get_by_role("button", name="我现在的位置").click()
    expect(page.locator(f"#place-results input[value='{county.grid_a.code}']")).to_be_checked()
    grid_b.click()  # no: it was grid B after all
    expect(page.locator(f"#place-results input[value='{county.grid_b.code}']")).to_be_checked()

    page.set_input_files("#id_photos", photos)
    expect(page.locator(".thumbs li")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=您的反映编号为")
    issue = Issue.objects.get()
    assert (issue.place, issue.photos.count(), issue.text) == (
        county.grid_b,
        2,
        "下水道堵了，路面积水",
    )
