"""Shared builders for tests: a small county with town and village branches, and the three
standing users of access tests (the holder, a colleague in the same grid, an outsider)."""

from __future__ import annotations

import datetime
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.db import connection
from django.test import Client, override_settings
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from sanzhang.people.models import Household, Organisation, Person, Role, User
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.services import create_place
from sanzhang.posts.models import PostKind
from sanzhang.posts.services import appoint, open_post

PASSWORD = "Lotus-Town-2026!"

# `make test-future`: SANZHANG_TEST_CLOCK_OFFSET_DAYS=365 runs the whole session with the clock
# that many days ahead (time_machine, ticking), so a test that leans on today's date (a fixed day
# the real clock will pass) fails now rather than next year. Tests that freeze their own "now"
# with time_machine.travel still do so inside it.
CLOCK_OFFSET_ENV = "SANZHANG_TEST_CLOCK_OFFSET_DAYS"
_session_clock: list[time_machine.travel] = []


def pytest_configure(config: pytest.Config) -> None:
    days = float(os.environ.get(CLOCK_OFFSET_ENV) or 0)  # 365.25: a year and six hours
    if days:
        now = datetime.datetime.now(datetime.UTC)
        travel = time_machine.travel(now + datetime.timedelta(days=days), tick=True)
        travel.start()
        _session_clock.append(travel)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _session_clock:
        _session_clock.pop().stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    if _session_clock:
        return f"{CLOCK_OFFSET_ENV}: the clock reads {datetime.datetime.now():%Y-%m-%d %H:%M}"
    return None


@pytest.fixture(autouse=True)
def _totp_only_where_tested(request: pytest.FixtureRequest, settings) -> None:  # type: ignore[no-untyped-def]
    """The second factor is demanded only in tests marked `totp`. Many tests sign in the county
    office or an administrator with force_login or the login form to test something else; with
    TOTP on, each would need a device and a code first. The demand itself, and that it holds on
    every page and API call, is tested in security/tests/test_totp.py, with it on."""
    settings.TOTP_REQUIRED = request.node.get_closest_marker("totp") is not None


# An in-memory SQLite database shared between threads answers "table is locked" at once
# instead of waiting; `make test` runs SQLite on a file (SQLITE_TEST_NAME), as production does.
needs_real_concurrency = pytest.mark.skipif(
    connection.vendor == "sqlite" and not os.environ.get("SQLITE_TEST_NAME"),
    reason="needs PostgreSQL or a SQLite test database file (SQLITE_TEST_NAME)",
)


def simultaneously[T](user_calls: list[tuple[User, Callable[[Client], T]]]) -> list[T]:
    """Each call made by its user's own client in its own thread (and connection), all let go
    at the same moment; the results, in the order they finished."""
    start = threading.Barrier(len(user_calls))
    results: list[T] = []

    def run(user: User, call: Callable[[Client], T]) -> None:
        client = Client()
        client.force_login(user)
        try:
            start.wait()
            results.append(call(client))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in user_calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@dataclass
class County:
    county: Place
    community: Place
    grid_a: Place
    grid_b: Place
    building_a1: Place
    building_a2: Place
    unit_a1_1: Place
    unit_a1_2: Place
    unit_a2_1: Place
    unit_b1_1: Place
    district: Place
    area: Place
    rural_grid: Place


def run_queued_tasks() -> None:
    """Run what the database queue holds (a new report's notices, deliveries) with
    `manage.py db_worker --batch`, then return. Inside a test's transaction the worker's
    check for stale connections would close the test's own (it is not in autocommit): that
    check alone is left out there."""
    from unittest import mock

    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    batch = ("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    if not connection.in_atomic_block:
        call_command(*batch, verbosity=0)
        return
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command(*batch, verbosity=0)


def build_county(segment: str = "GC", name: str = "广昌县", parent: Place | None = None) -> County:
    """A small county; tests of several counties build more beside it (or under a province)."""
    county = create_place(parent=parent, kind=PlaceKind.COUNTY, segment=segment, name=name)
    community = create_place(
        parent=county, kind=PlaceKind.COMMUNITY, segment="C01", name="莲花社区"
    )
    grid_a = create_place(parent=community, kind=PlaceKind.GRID, segment="G01", name="第一网格")
    grid_b = create_place(parent=community, kind=PlaceKind.GRID, segment="G02", name="第二网格")
    b_a1 = create_place(parent=grid_a, kind=PlaceKind.BUILDING, segment="B01", name="1栋")
    b_a2 = create_place(parent=grid_a, kind=PlaceKind.BUILDING, segment="B02", name="2栋")
    b_b1 = create_place(parent=grid_b, kind=PlaceKind.BUILDING, segment="B01", name="1栋")
    district = create_place(parent=county, kind=PlaceKind.DISTRICT, segment="D01", name="旴江镇")
    area = create_place(parent=district, kind=PlaceKind.AREA, segment="A01", name="城东村")
    return County(
        county=county,
        community=community,
        grid_a=grid_a,
        grid_b=grid_b,
        building_a1=b_a1,
        building_a2=b_a2,
        unit_a1_1=create_place(parent=b_a1, kind=PlaceKind.UNIT, segment="U1", name="1单元"),
        unit_a1_2=create_place(parent=b_a1, kind=PlaceKind.UNIT, segment="U2", name="2单元"),
        unit_a2_1=create_place(parent=b_a2, kind=PlaceKind.UNIT, segment="U1", name="1单元"),
        unit_b1_1=create_place(parent=b_b1, kind=PlaceKind.UNIT, segment="U1", name="1单元"),
        district=district,
        area=area,
        rural_grid=create_place(parent=area, kind=PlaceKind.GRID, segment="G01", name="上屋组"),
    )


def make_household(place: Place, door: str = "101", *, name: str = "王秀英") -> Household:
    household = Household.objects.create(place=place, door=door, address=f"{place.name}{door}室")
    Person.objects.create(
        name=name,
        gender="F",
        birth_year=1950,
        phone="13812345678",
        id_number="360000195001011234",
        household=household,
    )
    return household


def make_leader(place: Place, kind: str, username: str, *, name: str = "") -> User:
    """A post holder with a login: a person holding the post of `kind` at `place`."""
    person = Person.objects.create(name=name or username, phone="13900001111")
    appoint(open_post(place, kind), person, start=datetime.date(2025, 1, 1))
    return User.objects.create_user(
        username=username, password=PASSWORD, role=Role.LEADER, person=person
    )


def make_staff(username: str, role: str, place: Place, kind: str) -> User:
    org, _ = Organisation.objects.get_or_create(
        name=f"{place.name}{kind}", place=place, defaults={"kind": kind}
    )
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, organisation=org
    )


@pytest.fixture
def county(db: None) -> County:
    return build_county()


@pytest.fixture
def unit_leader(county: County) -> User:
    """The holder: unit leader of unit 1 in building 1 of grid A."""
    return make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit-leader")


@pytest.fixture
def colleague(county: County) -> User:
    """A colleague in the same grid: building leader of building 2 in grid A."""
    return make_leader(county.building_a2, PostKind.BUILDING_LEADER, "colleague")


@pytest.fixture
def outsider(county: County) -> User:
    """An outsider: grid leader of grid B."""
    return make_leader(county.grid_b, PostKind.GRID_LEADER, "outsider")


@pytest.fixture
def county_officer(county: County) -> User:
    return make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")


@pytest.fixture
def community_staff(county: County) -> User:
    return make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def browser_page(live_server, monkeypatch):  # type: ignore[no-untyped-def]
    """A Playwright page in Debian's headless Chromium, pointed at the live test server."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        if _session_clock:  # the browser's clock moved ahead with the server's
            context.clock.install(time=datetime.datetime.now(datetime.UTC))
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        context.close()
        browser.close()


def log_in(page, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():  # a goto right after must not cut the sign-in short
        page.click("main button[type=submit]")  # the form's, never the header's log-out


@pytest.fixture(autouse=True)
def _rules_read_afresh() -> None:
    """Each test reads the county's rules from its own database: a copy kept in memory from an
    earlier test (core.kept: issues.rulebook, the outgoing channels; the triage models) would
    name rows that test rolled back."""
    from sanzhang.core.kept import forget_all
    from sanzhang.triage.services import forget as forget_triage_models

    forget_all()
    forget_triage_models()


TEST_REDIS_DB = 15


def redis_test_url() -> str:
    """REDIS_URL's server, a database of the tests' own."""
    url = urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    return urlunsplit(url._replace(path=f"/{TEST_REDIS_DB}"))


@pytest.fixture
def redis_engine() -> Iterator[Redis]:
    """The Redis task engine (django-tasks-rq) on the tests' Redis database, flushed before and
    after; the connection is yielded."""
    url = redis_test_url()
    connection = Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisConnectionError as error:
        pytest.skip(f"Redis server at {url} is unreachable ({error})")
    connection.flushdb()
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks, RQ_QUEUES={"default": {"URL": url}}):
        yield connection
    connection.flushdb()
    connection.close()
