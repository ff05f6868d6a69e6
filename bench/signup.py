"""signup_per_second and signup_ratio_vs_bare: residents signing up with their phone and a code,
over HTTP through gunicorn with production settings (DEBUG off), SQLite in WAL mode on the 1x
county, the same server as the intake bench (2 workers x 4 threads, bench.bare_urls).

Concurrent clients (threads with keep-alive connections) each sign residents up one after
another, for a fixed time, as a phone's browser does (no static files): GET /signup/ (the form
and the CSRF cookie), POST /signup/ with the number (302 to /signup/code/), GET /signup/code/,
POST /signup/code/ with the code read from the texts (302), GET the page it lands on, which
must answer 200. That is five requests per sign-up, counted as one. Each sign-up has its own
number (none used twice in a run) and its own cookies: a new account, a new session.
signup_per_second: made-up numbers (139 and 8 digits), landing on /signup/home/ (the
resident names their home; a number the demo register happened to hold would join that
household and land on /console/, counted in signup_known_to_register).
signup_register_per_second: a second run, the same clients with numbers the demo register
holds (bench.signup_phones): each account joins its household and lands on /console/.
Then the same clients post to /bench/bare/ (one insert, same stack) and the bench prints the
rates and their ratios, all in the same run.

The texts: production settings refuse the development outbox, so bench.signup_settings turns
it on (see there) and the codes are read from VAR_DIR/dev-sms.txt, in the bench's temporary
copy of the county.

The limits: codes.py allows 5 codes per number and 20 per address an hour. The limits are
not raised. Each sign-up uses a fresh number, and the server runs with TRUSTED_PROXIES=1, as
an install behind one reverse proxy does: sanzhang.audit.services.client_ip then takes the
address the proxy appended to X-Forwarded-For, and each sign-up sends its own (10.x.y.z), as
residents on their own phones would arrive (the bench plays the proxy; an install that sets
TRUSTED_PROXIES without a proxy in front would let anyone pick their address).
The limit queries still run on every code.
"""

from __future__ import annotations

import http.client
import http.cookies
import itertools
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from .common import ROOT, report
from .intake import CLIENTS, SECONDS, _free_port, _load, _production_env

PHONE_BASE = 139_0000_0000  # 139 and 8 digits: a valid mainland mobile number
KNOWN_PHONES = 3000  # register numbers fetched for the second run
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CODE_TEXT = re.compile(r"(\d{6})")


class Outbox:
    """The development outbox, read as it grows: the latest code texted to each number."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.codes: dict[str, str] = {}
        self.lock = threading.Lock()

    def _read_new(self) -> None:
        if not self.path.exists():
            return
        with self.path.open("rb") as outbox:
            outbox.seek(self.offset)
            chunk = outbox.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]  # a line being written waits
        self.offset += len(complete)
        for line in complete.decode("utf-8").splitlines():
            _date, _time, phone, text = line.split(" ", 3)
            self.codes[phone] = CODE_TEXT.search(text).group(1)  # type: ignore[union-attr]

    def code_for(self, phone: str) -> str:
        for _ in range(50):
            with self.lock:
                code = self.codes.pop(phone, None)
                if code is None:
                    self._read_new()
                    code = self.codes.pop(phone, None)
            if code is not None:
                return code
            time.sleep(0.02)
        raise RuntimeError(f"no code texted to {phone}")


class Browser:
    """One resident's browser on a shared keep-alive connection: its own cookies."""

    def __init__(self, conn: http.client.HTTPConnection, address: str) -> None:
        self.conn = conn
        self.cookies: dict[str, str] = {}
        self.headers = {"Host": "127.0.0.1", "X-Forwarded-For": address}

    def request(self, method: str, path: str, form: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), text


def _expect(step: str, got: int, want: int, text: str) -> None:
    if got != want:
        errors = re.findall(r'class="errors">(.*?)</div>', text, re.S)
        raise RuntimeError(f"{step}: {got}, expected {want} {errors[:1]}")


def _sign_up(conn: http.client.HTTPConnection, outbox: Outbox, k: int, phone: str) -> str:
    """One resident signs up from 10.x.y.z (k); returns the path they land on."""
    browser = Browser(conn, f"10.{k >> 16 & 255}.{k >> 8 & 255}.{k & 255}")
    status, _where, page = browser.request("GET", "/signup/")
    _expect("GET /signup/", status, 200, page)
    token = CSRF_FIELD.search(page).group(1)  # type: ignore[union-attr]
    status, where, page = browser.request(
        "POST", "/signup/", {"csrfmiddlewaretoken": token, "phone": phone}
    )
    _expect("POST /signup/", status, 302, page)
    status, _where, page = browser.request("GET", where)
    _expect(f"GET {where}", status, 200, page)
    token = CSRF_FIELD.search(page).group(1)  # type: ignore[union-attr]
    code = outbox.code_for(phone)
    status, where, page = browser.request(
        "POST", "/signup/code/", {"csrfmiddlewaretoken": token, "code": code}
    )
    _expect("POST /signup/code/", status, 302, page)
    landing = urllib.parse.urlsplit(where).path
    status, _where, page = browser.request("GET", landing)
    _expect(f"GET {landing}", status, 200, page)
    return landing


def _signups(port: int, outbox: Outbox, numbers: itertools.count, phone_for, seconds: float):  # type: ignore[no-untyped-def]
    """Sign-ups completed by CLIENTS threads started for `seconds`, the wall time until the
    last one finished, and where they landed."""
    landed: list[Counter[str]] = [Counter() for _ in range(CLIENTS)]
    errors: list[str] = []
    started = time.perf_counter()
    deadline = started + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while time.perf_counter() < deadline and not errors:
                k = next(numbers)
                landed[n][_sign_up(conn, outbox, k, phone_for(k))] += 1
        except Exception as error:  # reported below, after the join
            errors.append(str(error))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"sign-up failed: {errors[:3]}")
    return sum(landed, Counter()), elapsed


def _register_phones(env: dict[str, str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.signup_phones", str(KNOWN_PHONES)],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])["phones"]


def bench_signup(var_dir: Path) -> None:
    env = _production_env(var_dir)
    env.update(DJANGO_SETTINGS_MODULE="bench.signup_settings", TRUSTED_PROXIES="1")
    env.pop("SMS_DEV_OUTBOX", None)  # production settings refuse it; bench.signup_settings
    known = _register_phones(env)
    outbox = Outbox(var_dir / "dev-sms.txt")
    outbox.path.unlink(missing_ok=True)
    numbers = itertools.count()  # next() is atomic under the GIL: one per sign-up

    def made_up(k: int) -> str:
        return f"{PHONE_BASE + k}"

    def register(k: int) -> str:
        return known[k - first_known]  # an IndexError: KNOWN_PHONES too few for this machine

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "sanzhang.wsgi", "-w", "2", "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        _signups(port, outbox, numbers, made_up, SECONDS / 3)  # warm up both workers
        landed, elapsed = _signups(port, outbox, numbers, made_up, SECONDS)
        first_known = next(numbers) + 1
        joined, joined_elapsed = _signups(port, outbox, numbers, register, SECONDS)
        bare = _load(port, "/bench/bare/", lambda n, i: "", {"Host": "127.0.0.1"}) / SECONDS
    finally:
        server.terminate()
        server.wait(timeout=10)
        outbox.path.unlink(missing_ok=True)  # the texts held the codes
    if set(joined) != {"/console/"}:
        raise RuntimeError(f"register numbers landed on {dict(joined)}")
    signups = sum(landed.values()) / elapsed
    report("signup_count", sum(landed.values()), f"sign-ups in {elapsed:.1f} s")
    report("signup_known_to_register", landed["/console/"], "sign-ups (landed on /console/)")
    report("signup_per_second", signups, "sign-ups/s")
    report("signup_bare_insert_per_second", bare, "requests/s")
    report("signup_ratio_vs_bare", signups / bare, "x")
    joined_rate = sum(joined.values()) / joined_elapsed
    report("signup_register_per_second", joined_rate, "sign-ups/s")
    report("signup_register_ratio_vs_bare", joined_rate / bare, "x")
