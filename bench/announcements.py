"""announcement_fanout_seconds_100x: one urgent announcement to every household of a
100-county province, written and pushed (every resident account told in the app, the channels'
outbox rows written). Goal: under 60 s."""

from pathlib import Path

from .common import remove, report, run_module
from .province import build_province


def bench_announcements(one: Path, counties: int = 100) -> None:
    big, build_seconds = build_province(one, counties)
    report(f"province_{counties}x_build_seconds", build_seconds, "s")
    try:
        got = run_module(big, "bench.announcements_worker", "P")
    finally:
        remove(big)
    report(f"announcement_fanout_households_{counties}x", got["households"], "households")
    report(f"announcement_fanout_accounts_{counties}x", got["accounts"], "accounts")
    report(f"announcement_post_seconds_{counties}x", got["post_seconds"], "s")
    report(f"announcement_fanout_seconds_{counties}x", got["seconds"], "s")
