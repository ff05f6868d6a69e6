"""dashboard_ratio_100x and dashboard_queries: the county dashboard with 100x the issues.

The 100x database is the loaded county with its issues and their events copied 99 more times
(bench/worklist.py's _multiply_issues: the same places and owners, so every figure grows a
hundredfold, "today so far" included, since the events are copied too). The recorded daily
summaries the trend reads are not added: neither database has any. The page is timed in-process
with Django's test client for the county office (median of 9); the map's data, fetched by the
page's script, is timed apart and not counted in the ratio.
"""

import shutil
from pathlib import Path

from .common import report, run_module
from .worklist import _multiply_issues

COPIES = 100


def bench_dashboard(one: Path) -> None:
    small = run_module(one, "bench.dashboard_worker")
    big_dir = _multiply_issues(one, COPIES, events=True)
    try:
        big = run_module(big_dir, "bench.dashboard_worker")
    finally:
        shutil.rmtree(big_dir, ignore_errors=True)
    report(f"dashboard_issues_{COPIES}x", big["issues"], "issues")
    report(f"dashboard_events_{COPIES}x", big["events"], "events")
    report("dashboard_ms_1x", small["page"] * 1000, "ms")
    report(f"dashboard_ms_{COPIES}x", big["page"] * 1000, "ms")
    report(f"dashboard_ratio_{COPIES}x", big["page"] / small["page"], "x")
    report("dashboard_queries", max(small["page_queries"], big["page_queries"]), "queries")
    report("dashboard_map_ms_1x", small["map"] * 1000, "ms")
    report(f"dashboard_map_ms_{COPIES}x", big["map"] * 1000, "ms")
