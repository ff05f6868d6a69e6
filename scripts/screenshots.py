"""Take the README's screenshots from a running demo (`make demo`), in headless Chromium.

usage: .venv/bin/python scripts/screenshots.py [BASE_URL]   (default http://127.0.0.1:8000)
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
USER, PASSWORD = "office", "Sanzhang-Demo-2026"


def office_key() -> bytes:
    """The office's TOTP secret, from the demo's own database (this runs beside `make demo`):
    the office types its app's code after the password, as a person would."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")
    import django

    django.setup()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.get(user__username=USER, confirmed=True).bin_key


def main() -> None:
    from django_otp.oath import TOTP

    key = office_key()  # before Playwright's event loop, which Django's ORM would refuse
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        desktop = browser.new_page(base_url=BASE, viewport={"width": 1200, "height": 800})
        desktop.goto("/accounts/login/")
        desktop.fill("#id_username", USER)
        desktop.fill("#id_password", PASSWORD)
        with desktop.expect_navigation():
            desktop.click("main button[type=submit]")
        desktop.fill("#id_code", f"{TOTP(key).token():06d}")
        with desktop.expect_navigation():
            desktop.click("#otp-form button[type=submit]")
        desktop.screenshot(path=OUT / "console-home.png", full_page=True)
        desktop.goto("/places/GC.C01/")
        desktop.screenshot(path=OUT / "console-place.png")
        phone = browser.new_page(base_url=BASE, viewport={"width": 390, "height": 844})
        phone.goto("/board/GC.C01.G01.B001.U1/")
        phone.screenshot(path=OUT / "noticeboard-phone.png", full_page=True)
        # The phone pages as people use them: a resident, a grid leader.
        for user, pages in (
            ("resident", [("/console/", "resident-home"), ("/r/", "resident-report")]),
            ("grid", [("/issues/", "leader-worklist"), ("/visits/", "leader-visit")]),
        ):
            context = browser.new_context(base_url=BASE, viewport={"width": 390, "height": 844})
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", PASSWORD)
            with page.expect_navigation():
                page.click("button[type=submit]")
            for path, name in pages:
                page.goto(path)
                page.screenshot(path=OUT / f"{name}-phone.png")
            if user == "resident":  # "somewhere else" on the map of the community's grids
                page.goto("/r/")
                page.wait_for_load_state("load")
                page.get_by_role("button", name="在地图上选").click()
                page.locator(".grid-map").scroll_into_view_if_needed()
                page.screenshot(path=OUT / "resident-map-phone.png")
            if user == "grid":
                page.goto("/issues/")
                page.locator("td a").first.click()
                page.screenshot(path=OUT / "leader-issue-phone.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
