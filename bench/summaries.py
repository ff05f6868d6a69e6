"""daily_summaries_seconds_100x: one day's daily summaries for a 100-county province.

The province is the generated one (bench/province.py) with the county's issues and their events
copied into every county. The day is the summary day with the most issue events in the demo's
last 30 days, found on the 1x county and used on both. Each produce starts with no summaries
for that day (deleted before the clock starts); the figure is the median of a few runs, and
the ratio sets it against the same day on the 1x county, measured in the same bench.
"""

from pathlib import Path

from .common import remove, report, run_module
from .province import build_province

REPEAT = 3


def bench_summaries(one: Path, counties: int = 100) -> None:
    small = run_module(one, "bench.summaries_worker", str(REPEAT))
    big_dir, build_seconds = build_province(one, counties, issues=True)
    report(f"province_{counties}x_with_issues_build_seconds", build_seconds, "s")
    try:
        big = run_module(big_dir, "bench.summaries_worker", str(REPEAT), small["day"])
    finally:
        remove(big_dir)  # 1.5 GB
    assert big["events"] == small["events"] * counties, "every county must hold the day's events"
    assert big["written"] == small["written"] * counties + 1, "a summary per place (+ province)"
    report(f"daily_summaries_issues_{counties}x", big["issues"], "issues")
    report(f"daily_summaries_day_events_{counties}x", big["events"], "events")
    report("daily_summaries_places_1x", small["written"], "summaries")
    report(f"daily_summaries_places_{counties}x", big["written"], "summaries")
    report("daily_summaries_seconds_1x", small["seconds"], "s")
    report(f"daily_summaries_seconds_{counties}x", big["seconds"], "s")
    report(f"daily_summaries_ratio_{counties}x", big["seconds"] / small["seconds"], "x")
