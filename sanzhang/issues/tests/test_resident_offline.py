"""A resident on a phone with no signal (headless Chromium, 390×844): the report page opens
from the phone's copy after one load, a report typed on it waits on the phone with a visible
count, its photos with it, and is stored once when the network returns, even when the first
answer is lost."""

from __future__ import annotations

import pytest
from PIL import Image
from playwright.sync_api import expect

from sanzhang.conftest import PASSWORD, build_county, log_in, make_household
from sanzhang.issues.models import Issue
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import Organisation, Person, Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_typed_offline_is_sent_once_when_the_network_returns(
    browser_page, tmp_path
) -> None:
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

    log_in(page, "resident")
    page.goto("/r/")
    # kept on the phone from the first load (the worker installs, then fetches its copy)
    page.wait_for_selector("#report-form[data-kept]", timeout=30_000)
    # One report sent with signal first: the copy on the phone must not reuse its key.
    page.fill("#id_text", "垃圾桶满了")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=您的反映编号为")
    page.goto("/r/")
    page.wait_for_selector("#report-form[data-kept]", timeout=30_000)
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#report-form")).to_be_visible()
    page.fill("#id_text", "楼道灯坏了，晚上很黑")
    photos = []
    for name, colour in (("lamp.jpg", (30, 30, 30)), ("stairs.jpg", (120, 90, 40))):
        Image.new("RGB", (1200, 900), colour).save(tmp_path / name, format="JPEG")
        photos.append(tmp_path / name)
    page.set_input_files("#id_photos", photos)
    expect(page.locator(".thumbs li")).to_have_count(2)
    page.click("#report-form button[type=submit]")
    expect(page.locator("#waiting-count")).to_have_text("1")
    expect(page.locator("#queue-status")).to_contain_text("没有信号")
    assert "照片无法离线保存" not in page.inner_text("#queue-status")  # the photos wait too
    expect(page.locator(".thumbs li")).to_have_count(0)  # the form is empty for the next one
    assert Issue.objects.count() == 1

    lost: list[str] = []

    def lose_first_answer(route) -> None:  # type: ignore[no-untyped-def]
        if not lost:
            route.fetch()  # the server stores the report...
            lost.append("x")
            route.abort()  # ...and the phone never hears so
        else:
            route.continue_()

    page.route("**/api/v1/issues/", lose_first_answer)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#waiting-count")).to_have_text("0", timeout=30_000)
    assert lost and Issue.objects.count() == 2
    issue = Issue.objects.latest("pk")
    assert (issue.text, issue.place) == ("楼道灯坏了，晚上很黑", county.unit_a1_1)
    assert issue.photos.count() == 2
    assert issue.channel == "online"
    assert not page.locator("#refused").is_visible()
