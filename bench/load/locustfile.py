"""The mix of the load test (run by bench/load/run.py; Locust, headless).

Residents (most clients) report a problem with a photo from the report page (/r/) and read their
reports and notices; grid, building and unit leaders open their work list, an issue, and take
the next step on it; the county office opens the dashboard, its map data and the Excel export.
Everyone signs in through the log-in page with the demo logins (the office with a recovery code
as its second factor, one per office client: run.py makes them). Each request is named by its
kind, so Locust's statistics come out per kind.
"""

from __future__ import annotations

import io
import os
import random
import re
import uuid

from locust import HttpUser, between, task
from PIL import Image

PASSWORD = "Sanzhang-Demo-2026"  # noqa: S105 (the published demo password)
LEADERS = ("grid", "building", "unit")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="intake_key" value="([^"]+)"')
NUMBER = r"(\d{8}-\d+)"  # an issue's number: the day it came in and a serial
ISSUE_LINK = re.compile(rf'href="/issues/{NUMBER}/"')
MINE_LINK = re.compile(rf'href="/r/{NUMBER}/"')
PHOTO = re.compile(r'src="(/issues/[^"]+/photos/\d+/)"')
ACTION_FORM = re.compile(
    r'<form method="post" action="(/issues/[^"]+/(\w+)/)"[^>]*>(.*?)</form>', re.S
)
VERSION = re.compile(r'name="version" value="(\d+)"')
SELECTED = re.compile(r'<select name="(tier|category)">(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>')
# The next step a leader takes, by preference; each needs only a note, or the confirm form's
# own choices (tier and category as suggested).
STEPS = ("confirm", "start", "handle", "progress", "comment")
TEXTS = (
    "楼道里堆满了杂物，影响通行",
    "小区路灯坏了好几天，晚上很黑",
    "垃圾桶满了没人清运，有异味",
    "下水道堵塞，雨天积水严重",
    "楼上漏水到我家天花板",
    "健身器材损坏，存在安全隐患",
)
_OFFICE_CODES = [c for c in os.environ.get("LOAD_OFFICE_CODES", "").split(",") if c]
COUNTY = os.environ.get("LOAD_COUNTY", "GC")


def small_jpeg() -> bytes:
    """A phone-like photo, small: 640x480 with some structure, so it is not all one colour."""
    image = Image.new("RGB", (640, 480), (random.randint(0, 255), 120, 80))
    for y in range(0, 480, 40):
        image.paste((30, random.randint(0, 255), 200), (0, y, 640, y + 8))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


class SignedIn(HttpUser):
    abstract = True

    def csrf_of(self, html: str) -> str:
        found = CSRF.search(html)
        return found.group(1) if found else ""

    def sign_in(self, username: str) -> str:
        page = self.client.get("/accounts/login/", name="sign in: page")
        response = self.client.post(
            "/accounts/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.csrf_of(page.text),
            },
            name="sign in: password",
        )
        return response.text


class Resident(SignedIn):
    """The demo resident (every resident client shares the one login, each with its session)."""

    weight = 6
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.sign_in("resident")

    @task(2)
    def report_with_photo(self) -> None:
        form = self.client.get("/r/", name="resident: report page")
        if not form.ok:
            return  # counted as a failure already; no form to send
        key = KEY.search(form.text)
        data = {
            "text": random.choice(TEXTS),
            "intake_key": key.group(1) if key else uuid.uuid4().hex,
            "csrfmiddlewaretoken": self.csrf_of(form.text),
        }
        files = {"photos": ("photo.jpg", small_jpeg(), "image/jpeg")}
        with self.client.post(
            "/r/", data=data, files=files, name="resident: report with photo", catch_response=True
        ) as sent:
            # Accepted, the page moves to the new report (/r/<number>/); the form again means
            # refused.
            if "/r/" not in sent.url or sent.url.rstrip("/").endswith("/r"):
                sent.failure(f"report not accepted: {sent.status_code} at {sent.url}")
                return
        photo = PHOTO.search(sent.text)
        if photo is None:
            sent.failure("the new report's page shows no photo")
            return
        with self.client.get(
            photo.group(1), name="resident: own photo", catch_response=True
        ) as got:
            if got.content[:2] != b"\xff\xd8":
                got.failure("not a JPEG")

    @task(3)
    def read_reports(self) -> None:
        mine = self.client.get("/r/mine/", name="resident: my reports")
        numbers = MINE_LINK.findall(mine.text)
        if numbers:
            self.client.get(f"/r/{random.choice(numbers[:10])}/", name="resident: one report")

    @task(2)
    def read_notices(self) -> None:
        self.client.get("/notices/", name="resident: notices")


class Leader(SignedIn):
    """A grid, building or unit leader working through their list."""

    weight = 3
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.sign_in(random.choice(LEADERS))

    @task
    def work_on_an_issue(self) -> None:
        work = self.client.get("/issues/", name="leader: work list")
        numbers = ISSUE_LINK.findall(work.text)
        if not numbers:
            work = self.client.get("/issues/?all=1", name="leader: everything in my area")
            numbers = ISSUE_LINK.findall(work.text)
        if not numbers:
            return
        number = random.choice(numbers)
        page = self.client.get(f"/issues/{number}/", name="leader: issue page")
        forms = {name: (action, body) for action, name, body in ACTION_FORM.findall(page.text)}
        step = next((s for s in STEPS if s in forms), None)
        if step is None:
            return
        action, body = forms[step]
        version = VERSION.search(body)
        data = {
            "csrfmiddlewaretoken": self.csrf_of(page.text),
            "version": version.group(1) if version else "",
            "note": "已到现场查看，正在处理",
        }
        if step == "confirm":
            for field, options in SELECTED.findall(body):
                values = OPTION.findall(options)
                chosen = [v for v, selected in values if selected] or [v for v, _ in values if v]
                data[field] = chosen[0] if chosen else ""
        with self.client.post(
            action, data=data, name=f"leader: step ({step})", catch_response=True
        ) as done:
            # The step's page comes back either way; a refusal (someone else's step made the
            # page stale) is the product working, not a failure of the server.
            if done.status_code != 200:
                done.failure(f"{done.status_code}")


class Office(SignedIn):
    """The county office: the dashboard, its map data, and the dashboard's Excel."""

    weight = 1
    fixed_count = 2
    wait_time = between(5, 15)

    def on_start(self) -> None:
        html = self.sign_in("office")
        code = _OFFICE_CODES.pop() if _OFFICE_CODES else ""
        with self.client.post(
            "/accounts/otp/verify/",
            {"code": code, "csrfmiddlewaretoken": self.csrf_of(html)},
            name="sign in: second factor",
            catch_response=True,
        ) as verified:
            if "/accounts/otp/" in verified.url:
                verified.failure("the second factor was refused")

    @task(3)
    def dashboard(self) -> None:
        self.client.get(f"/supervision/dashboard/{COUNTY}/", name="office: dashboard")
        self.client.get(f"/supervision/dashboard/{COUNTY}/map/", name="office: dashboard map data")

    @task(1)
    def export(self) -> None:
        with self.client.get(
            f"/supervision/dashboard/{COUNTY}/export/",
            name="office: dashboard Excel",
            catch_response=True,
        ) as got:
            if got.content[:2] != b"PK":  # an .xlsx is a zip
                got.failure("not an Excel file")
