"""ranking_ratio_100x and ranking_queries: a community's points ranking with 100x the entries.

The 100x database is the loaded county with its points entries copied 99 more times with SQL
(the same party members, causes and times; source keys suffixed to stay unique), so every
member's points in any period grow a hundredfold. The community's ranking page for the current
year is timed in-process with Django's test client for the county office (median of 9).
Also points_demo_seconds: writing the demo's rules and ledger at scale 1.
"""

from __future__ import annotations

from pathlib import Path

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


def _multiply_points(one: Path, copies: int) -> Path:
    var_dir = copy_county(one, f"points{copies}x")
    target = connect(var_dir)
    multiply_rows(target, TABLE, copies, ("source_key",))
    finish(target, [TABLE])
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
    report("ranking_members", small["members"], "members")
    report("ranking_ms_1x", small["page"] * 1000, "ms")
    report(f"ranking_ms_{COPIES}x", big["page"] * 1000, "ms")
    report(f"ranking_ratio_{COPIES}x", big["page"] / small["page"], "x")
    report("ranking_queries", max(small["queries"], big["queries"]), "queries")
    demo = run_module(one, "bench.points_worker", "demo")
    report("points_demo_seconds", demo["seconds"], "s")
