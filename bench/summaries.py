"""daily_summaries_seconds_100x: one day's daily summaries for a 100-county province.

The province is the generated one (bench/province.py) with the county's issues and their events
copied into every county. The day is the summary day with the most issue events in the demo's
last 30 days, found on the 1x county and used on both. Each produce starts with no summaries
for that day (deleted before the clock starts). The 1x county and the province are served at
once and asked in turn (bench.growth_side), so both sides of the ratio meet the same load of a
shared machine; each figure is the median of its runs.

The ratio is about the counties' number by construction: a summary per place (100 times the
places), and the day's totals and open issues are counted over every issue of the province.
"""

from pathlib import Path

from .common import remove, report
from .growth_side import Served, side_by_side
from .province import build_province

REPEAT = 3


def bench_summaries(one: Path, counties: int = 100) -> None:
    big_dir, build_seconds = build_province(one, counties, issues=True)
    report(f"province_{counties}x_with_issues_build_seconds", build_seconds, "s")
    try:
        small = Served(one, "bench.summaries_worker")
        try:
            big = Served(big_dir, "bench.summaries_worker", small.info["day"])
            try:
                times = side_by_side(small, big, ["produce"], REPEAT)["produce"]
            finally:
                big.close()
        finally:
            small.close()
    finally:
        remove(big_dir)  # 1.5 GB
    small_info, big_info = small.info, big.info
    assert big_info["events"] == small_info["events"] * counties, "every county: the day's events"
    assert big_info["written"] == small_info["written"] * counties + 1, "a summary per place"
    report(f"daily_summaries_issues_{counties}x", big_info["issues"], "issues")
    report(f"daily_summaries_day_events_{counties}x", big_info["events"], "events")
    report("daily_summaries_places_1x", small_info["written"], "summaries")
    report(f"daily_summaries_places_{counties}x", big_info["written"], "summaries")
    report("daily_summaries_seconds_1x", times[0], "s")
    report(f"daily_summaries_seconds_{counties}x", times[1], "s")
    report(f"daily_summaries_ratio_{counties}x", times[1] / times[0], "x")
