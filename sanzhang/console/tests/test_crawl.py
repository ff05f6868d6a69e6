"""Every link a demo role is shown answers: for each demo account, a bounded breadth-first crawl
from its start page and its menu, following same-origin <a href> links with GET only, finds no
link that answers anything but 200 (directly or at the end of its redirects)."""

from __future__ import annotations

import datetime
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import Resolver404, resolve, reverse

from sanzhang.access.menu import navigation
from sanzhang.demo.accounts import DemoAccount, ensure_demo_accounts
from sanzhang.demo.loader import load_demo
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import User

pytestmark = pytest.mark.django_db
# A fixed moment, so neither the demo's history (which ends at "now") nor the password-age rule
# (passwords set at "now") depends on today's date: the clock stays here for the whole test.
MOMENT = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MAX_PAGES = 150  # distinct pages fetched per role
# Distinct URLs fetched per URL name and name of the page showing them (the place pages linked
# from a place's breadcrumbs, the issues linked from a monthly report, ...); the menu's always.
PER_PATTERN = 5
MAX_REDIRECTS = 5
HOST = "testserver"
NOT_FOLLOWED = ("mailto:", "javascript:", "tel:", "data:")


class Links(HTMLParser):
    """The href of every <a> of a page but those that download a file."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and "download" not in found and found.get("href"):
            self.hrefs.append(str(found["href"]).strip())


@dataclass
class Failure:
    url: str
    status: str
    shown_on: str

    def __str__(self) -> str:
        return f"{self.url} -> {self.status} (shown on {self.shown_on})"


@dataclass
class Crawl:
    role: str
    user: User
    client: Client
    queue: deque[tuple[str, str]] = field(default_factory=deque)
    seen: set[str] = field(default_factory=set)
    per_pattern: Counter[str] = field(default_factory=Counter)
    fetched: int = 0
    failures: list[Failure] = field(default_factory=list)

    def offer(self, url: str, shown_on: str, *, always: bool = False) -> None:
        if url in self.seen:
            return
        pattern = f"{_pattern(url)} from {_pattern(shown_on)}"
        if not always and self.per_pattern[pattern] >= PER_PATTERN:
            return
        self.seen.add(url)
        self.per_pattern[pattern] += 1
        self.queue.append((url, shown_on))

    def run(self) -> None:
        while self.queue and self.fetched < MAX_PAGES:
            url, shown_on = self.queue.popleft()
            self.fetched += 1
            status, final_url, html = self.fetch(url)
            if status != "200":
                self.failures.append(Failure(url, status, shown_on))
                continue
            if html:
                for link in _links(final_url, html):
                    if self.follows(link):
                        self.offer(link, final_url)

    def fetch(self, url: str) -> tuple[str, str, str]:
        """The status to report ("200" when the link ends on a page), the URL it ended on, and
        the page's HTML ("" when it is not an HTML page)."""
        hops: list[str] = []
        for _ in range(MAX_REDIRECTS + 1):
            response = self.client.get(url)
            if response.status_code not in {301, 302, 303, 307, 308}:
                if response.status_code != 200:
                    return _status(response.status_code, hops), url, ""
                if urlsplit(url).path == reverse(settings.LOGIN_URL):
                    return _status("the login page", hops), url, ""
                if not response.get("Content-Type", "").startswith("text/html"):
                    return "200", url, ""
                return "200", url, response.content.decode()
            location = urljoin(url, response["Location"])
            if not _same_origin(location):
                return _status(f"{response.status_code} to another site", hops), url, ""
            hops.append(f"{response.status_code} to {_local(location)}")
            url = _local(location)
        return _status("too many redirects", hops), url, ""

    def follows(self, url: str) -> bool:
        path = urlsplit(url).path
        if "logout" in path:
            return False
        return self.user.is_staff or not path.startswith("/admin/")


def _status(status: object, hops: list[str]) -> str:
    return ", ".join([*hops, str(status)]) if hops else str(status)


def _same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"", "http", "https"} and parts.netloc in {"", HOST}


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _links(page: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        if href.startswith("#") or href.lower().startswith(NOT_FOLLOWED):
            continue
        url = urldefrag(urljoin(page, href)).url
        if _same_origin(url):
            links.append(_local(url))
    return links


def _pattern(url: str) -> str:
    """The URL's name: the same page for another object counts towards the same cap."""
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return urlsplit(url).path


def _menu(user: User) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return [href for href, _label in navigation(request)["nav"]]


def crawl(account: DemoAccount, user: User) -> Crawl:
    client = Client()
    client.force_login(user)
    run = Crawl(account.username, user, client)
    run.offer(account.start_at, "the start page", always=True)
    for href in _menu(user):
        run.offer(href, "the menu", always=True)
    run.run()
    return run


def test_every_link_a_demo_role_is_shown_answers() -> None:
    reseed()
    with time_machine.travel(MOMENT, tick=False):
        load_demo(scale=0.05)
        accounts = ensure_demo_accounts()
        report = []
        for account, user in accounts:
            started = time.monotonic()
            run = crawl(account, user)
            took = time.monotonic() - started
            print(f"{account.username}: {run.fetched} pages in {took:.1f}s")
            if run.failures:
                lines = "\n".join(f"    {failure}" for failure in run.failures)
                report.append(f"{account.username} ({account.role}):\n{lines}")
    if report:
        pytest.fail("Links that do not answer 200:\n" + "\n".join(report), pytrace=False)
