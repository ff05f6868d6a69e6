"""intake_per_second and intake_ratio_vs_bare: issue intake over HTTP through gunicorn.

Concurrent clients (threads with keep-alive connections) post reports to /api/issues/ as the
demo resident, each with its own idempotency key, for a fixed time; the same clients post to
/bench/bare/, a view on the same server and stack that does one insert, and to
/bench/bare-signed-in/ (the same with the session, user and form), and reports again, each at
another of the county's units (`intake_spread_*`); the four alternate in short
rounds, so a load on the machine that comes and goes weighs on each alike. Intake includes
the keywords' category, routing, the deadline, the event and queuing the report's settling and
notices; the worker then reads the report with the county's model and the grid's history,
routes it again if need be (issues/settling.py) and writes its notices, measured apart:
`intake_notices_per_second`, one worker settling and telling what the run queued. Production
settings (DEBUG off), SQLite in WAL mode on a copy of the 1x county.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from . import pg
from .common import ROOT, django_env, report

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105
CLIENTS = 8
SECONDS = 2.0  # one round of one kind of request
ROUNDS = 4  # the kinds alternate, round by round: a machine's load that drifts meets each alike


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _dev_key(label: str) -> str:
    """The key development mode derives (sanzhang.core.crypto._derived_key)."""
    digest = hashlib.sha256(f"{label}:{DEV_SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _production_env(var_dir: Path) -> dict[str, str]:
    env = django_env(var_dir, debug=False)
    if pg.ENABLED:
        env["DB_CONN_MAX_AGE"] = "60"  # as an install on PostgreSQL runs (deployment-province.md)
    # The county was loaded in development mode: the same keys read its encrypted fields.
    env.update(
        SECRET_KEY=DEV_SECRET_KEY,
        FIELD_ENCRYPTION_KEYS=_dev_key("field-encryption"),
        FIELD_HASH_KEY=_dev_key("field-hash"),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DJANGO_SETTINGS_MODULE="bench.settings",
        LOG_LEVEL="WARNING",
        # One account at one address sends hundreds of reports: the limits are raised out of
        # the way, and their counters still run on every request, as in production.
        RATE_REPORT_PER_ACCOUNT="1000000/h",
        RATE_REPORT_PER_ADDRESS="1000000/h",
        RATE_UPLOAD_PER_ACCOUNT="1000000/h",
    )
    return env


def _load(port: int, path: str, body_for, headers: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    """Requests completed by CLIENTS threads in SECONDS; every answer must be 2xx."""
    done = [0] * CLIENTS
    errors: list[str] = []
    deadline = time.perf_counter() + SECONDS

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = 0
        while time.perf_counter() < deadline:
            body = body_for(n, i)
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status >= 300:
                errors.append(f"{response.status}")
                return
            done[n] += 1
            i += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{path} answered {errors[:3]}")
    return sum(done)


def bench_intake(var_dir: Path) -> None:
    env = _production_env(var_dir)
    login = run_module_env(var_dir, env, "bench.intake_session")
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
        cookie = f"sessionid={login['session']}; csrftoken={login['csrf']}"
        form = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                "X-CSRFToken": login["csrf"], "Host": "127.0.0.1"}  # fmt: skip
        run = secrets.token_hex(4)

        def reports(load: str):  # type: ignore[no-untyped-def]
            # Keys of their own per load: a key the warm-up sent would be a retry (the first
            # issue answered again), not a new report.
            def report_body(n: int, i: int) -> str:
                return urllib.parse.urlencode(
                    {"text": f"楼道垃圾没人清扫 {n}-{i}", "intake_key": f"{run}-{load}-{n}-{i}"}
                )

            return report_body

        places = login["places"]

        def spread(load: str):  # type: ignore[no-untyped-def]
            # Each report at another of the county's units, in a stride through them: the
            # holders kept per place (posts.holding) seldom help, as on a day of scattered
            # reports; the first kind's reports all come from the resident's home.
            def report_body(n: int, i: int) -> str:
                code = places[(n * 7919 + i * 104729) % len(places)]
                return urllib.parse.urlencode(
                    {"text": f"楼道垃圾没人清扫 {n}-{i}", "place": code,
                     "intake_key": f"{run}-{load}-{n}-{i}"}
                )  # fmt: skip

            return report_body

        kinds = {
            "intake": ("/api/issues/", reports),
            "spread": ("/api/issues/", spread),
            "bare": ("/bench/bare/", lambda load: lambda n, i: ""),
            "signed_in": ("/bench/bare-signed-in/", reports),
        }
        for kind, (path, body) in kinds.items():  # warm up both workers on every path
            _load(port, path, body(f"warm-{kind}"), form)
        done = dict.fromkeys(kinds, 0)
        for round_ in range(ROUNDS):
            for kind, (path, body) in kinds.items():
                done[kind] += _load(port, path, body(f"{kind}-{round_}"), form)
        intake, spread_out, bare, signed_in = (done[k] / (SECONDS * ROUNDS) for k in kinds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    report("intake_per_second", intake, "issues/s")
    report("bare_insert_per_second", bare, "requests/s")
    report("intake_ratio_vs_bare", intake / bare, "x")
    report("intake_spread_per_second", spread_out, "issues/s")
    report("intake_spread_ratio_vs_bare", spread_out / bare, "x")
    # What the stack itself costs a signed-in form post (session, user, CSRF, the form): the
    # share of the gap that is not the intake's own work.
    report("bare_signed_in_per_second", signed_in, "requests/s")
    report("bare_signed_in_ratio_vs_bare", signed_in / bare, "x")
    # Queries per report, counted in process with every middleware (another session: the
    # server's may not be shared with a second client).
    other = run_module_env(var_dir, env, "bench.intake_session")
    other.pop("places")  # its reports come from home; the codes would crowd the command line
    counted = run_module_env(var_dir, env, "bench.intake_queries", "--login", json.dumps(other))
    report("intake_queries", counted["queries"], "queries/report")
    report("intake_ms_in_process", counted["ms"], "ms/report")
    # The worker's share, after the requests: the notices of every report the run made.
    told = run_module_env(var_dir, env, "bench.intake_notices")
    if told["left"]:
        raise RuntimeError(f"{told['left']} reports were left without their notices")
    report("intake_notices_per_second", told["told"] / told["seconds"], "reports/s")


def run_module_env(var_dir: Path, env: dict[str, str], module: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", module, *args], env=env, cwd=ROOT, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])
