"""ranking_ratio_100x and ranking_queries: a community's points ranking with 100x the entries.

The 100x database is the loaded county with its points entries copied 99 more times with SQL
(the same party members, causes and times; source keys suffixed to stay unique), so every
member's points in any period grow a hundredfold. The ledger's points by day
(points_dailypoints, one row per member and local day, which the ranking reads) are made what
the ledger would have kept for those entries, with SQL too: the same rows (the copies fall on
the same members and days), each one's points multiplied by 100 (`multiply_daily_points`);
ranking_daily_rows says how many rows that is. The community's ranking page for the current
year is timed in-process with Django's test client for the county office (median of 9).
Also points_demo_seconds: writing the demo's rules and ledger at scale 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .common import (
    connect,
    finish,
    multiply_rows,
    remove,
    report,
    run_module,
)
from .province import copy_county

COPIES = 100
TABLE = "points_pointentry"
DAILY = "points_dailypoints"


def multiply_daily_points(db: Any, copies: int) -> None:
    """The points by day for the entries copied `copies` times over: each copy of an entry
    has its member and day, so the rows stay the same and their points grow `copies`-fold."""
    db.execute(f"UPDATE {DAILY} SET points = points * {int(copies)}")


def _multiply_points(one: Path, copies: int) -> Path:
    var_dir = copy_county(one, f"points{copies}x")
    target = connect(var_dir)
    multiply_rows(target, TABLE, copies, ("source_key",))
    multiply_daily_points(target, copies)
    finish(target, [TABLE, DAILY])
    return var_dir


def bench_points(one: Path) -> None:
    small = run_module(one, "bench.points_worker")
    big_dir = _multiply_points(one, COPIES)
    try:
        big = run_module(big_dir, "bench.points_worker")
    finally:
        remove(big_dir)
    report("ranking_entries_1x", small["entries"], "entries")
    report(f"ranking_entries_{COPIES}x", big["entries"], "entries")
    report("ranking_daily_rows", big["daily_rows"], "rows")
    report("ranking_members", small["members"], "members")
    report("ranking_ms_1x", small["page"] * 1000, "ms")
    report(f"ranking_ms_{COPIES}x", big["page"] * 1000, "ms")
    report(f"ranking_ratio_{COPIES}x", big["page"] / small["page"], "x")
    report("ranking_queries", max(small["queries"], big["queries"]), "queries")
    demo = run_module(one, "bench.points_worker", "demo")
    report("points_demo_seconds", demo["seconds"], "s")
