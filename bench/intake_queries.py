"""Queries and time per report in process: the demo resident's reports through Django's test
client, with every middleware, on a copy of the county (production settings, as the intake
bench's server runs). Prints JSON: queries and milliseconds per report, and with `--profile`
the functions that took the time (cProfile, cumulative), which the closing notes quote; with
PROFILE_OUT=<file> in the environment the whole profile is kept there for pstats.

    python -m bench.intake_queries --login '{"session": "..."}' [--profile] [--reports N]
    (run by bench/intake.py with its environment and a session from bench.intake_session)
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import secrets
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def main(argv: list[str]) -> None:
    profile = "--profile" in argv
    reports = int(argv[argv.index("--reports") + 1]) if "--reports" in argv else 60
    login = json.loads(argv[argv.index("--login") + 1])
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = login["session"]
    run = secrets.token_hex(4)

    def send(i: int) -> None:
        response = client.post(
            "/api/issues/", {"text": f"楼道垃圾没人清扫 {run}-{i}", "intake_key": f"{run}-{i}"}
        )
        if response.status_code != 201:
            raise SystemExit(f"report answered {response.status_code}: {response.content[:200]}")

    for i in range(10):  # warm the caches and the connection
        send(-1 - i)
    profiler = cProfile.Profile() if profile else None
    executed = [0]

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed[0] += 1
        return execute(sql, params, many, context)

    # A wrapper, not the debug cursor's log: every request start empties that log.
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        for i in range(reports):
            send(i)
        if profiler is not None:
            profiler.disable()
        seconds = time.perf_counter() - started
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
            "sanzhang|ratelimit|otp|sessions|auth", 70
        )
        print(out.getvalue(), file=sys.stderr)
        if os.environ.get("PROFILE_OUT"):
            profiler.dump_stats(os.environ["PROFILE_OUT"])
    started = time.perf_counter()
    for _ in range(reports):
        client.post("/bench/bare/")
    bare = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(reports):
        client.post("/bench/bare-signed-in/", {"text": f"{run}-{i}"})
    signed_in = time.perf_counter() - started
    print(
        json.dumps(
            {
                "queries": executed[0] / reports,
                "ms": 1000 * seconds / reports,
                "bare_ms": 1000 * bare / reports,
                "bare_signed_in_ms": 1000 * signed_in / reports,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
