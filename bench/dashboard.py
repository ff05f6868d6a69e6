"""dashboard_ratio_100x and dashboard_queries: the county dashboard with 100x the issues.

The 100x database is the loaded county with its issues and their events copied 99 more times
(bench/worklist.py's _multiply_issues: the same places and owners, so every figure grows a
hundredfold, "today so far" included, since the events are copied too). The last recorded
evening's summaries are made again on the 100x copy (summaries.produce), so the running totals
and stocks the headline starts from are the 100x county's. The page is timed in-process with
Django's test client for the county office, both databases served at once and asked in turn
(bench.growth_side); the map's data, fetched by the page's script, is timed apart and not
counted in the ratio.
"""

from pathlib import Path

from .common import remove, report, run_module
from .growth_side import Served, side_by_side
from .worklist import _multiply_issues

COPIES = 100
REPEAT = 9


def bench_dashboard(one: Path) -> None:
    big_dir = _multiply_issues(one, COPIES, events=True)
    small = big = None
    try:
        run_module(big_dir, "bench.dashboard_worker", "evening")
        small, big = (
            Served(one, "bench.dashboard_worker"),
            Served(big_dir, "bench.dashboard_worker"),
        )
        times = side_by_side(small, big, ["page", "map"], REPEAT)
    finally:
        for served in (small, big):
            if served is not None:
                served.close()
        remove(big_dir)
    report(f"dashboard_issues_{COPIES}x", big.info["issues"], "issues")
    report(f"dashboard_events_{COPIES}x", big.info["events"], "events")
    report("dashboard_ms_1x", times["page"][0] * 1000, "ms")
    report(f"dashboard_ms_{COPIES}x", times["page"][1] * 1000, "ms")
    report(f"dashboard_ratio_{COPIES}x", times["page"][1] / times["page"][0], "x")
    queries = max(small.info["page_queries"], big.info["page_queries"])
    report("dashboard_queries", queries, "queries")
    report("dashboard_map_ms_1x", times["map"][0] * 1000, "ms")
    report(f"dashboard_map_ms_{COPIES}x", times["map"][1] * 1000, "ms")
    report(f"dashboard_map_ratio_{COPIES}x", times["map"][1] / times["map"][0], "x")
    report("dashboard_map_queries", big.info["map_queries"], "queries")
