"""growth_*_ratio_100x: the county office's other pages and exports with 100x the data.

One 100x database serves them all: the loaded county with its issues and their events
(bench/worklist.py's _multiply_issues), its door-knocking visits and its points ledger copied 99
more times with SQL (the same places, households, leaders and members; unique keys suffixed), the
ledger's points by day made what it would keep for those entries (the same rows, points times 100:
bench.points.multiply_daily_points), and the last evening's summaries made again from it. Each page
is timed in-process with Django's test client for the county office, the 1x and 100x databases
served at once and asked in turn (bench.growth_side, median of REPEAT); a page slower than SLOW at
100x is timed fewer times, so the whole bench stays within its share of `make bench`. Each line
gives the ratio and, apart, the queries of the 100x request.
"""

from __future__ import annotations

import time
from pathlib import Path

from .common import (
    connect,
    finish,
    multiply_rows,
    remove,
    report,
    run_module,
)
from .growth_side import Served, side_by_side
from .points import DAILY, multiply_daily_points
from .worklist import _multiply_issues

COPIES = 100
REPEAT = 3
# Table → its columns made unique per copy (suffixed with the copy's number).
GROWN = {"visits_visit": ("client_key",), "points_pointentry": ("source_key",)}


def _multiply(var_dir: Path, copies: int) -> None:
    """Copy the rows of each GROWN table `copies` times over in the database of `var_dir`."""
    db = connect(var_dir)
    for table, unique in GROWN.items():
        multiply_rows(db, table, copies, unique)
    multiply_daily_points(db, copies)
    finish(db, [*GROWN, DAILY])


def bench_growth(one: Path) -> None:
    started = time.perf_counter()
    big_dir = _multiply_issues(one, COPIES, events=True)
    small = big = None
    try:
        _multiply(big_dir, COPIES)
        run_module(big_dir, "bench.dashboard_worker", "evening")
        print(f"growth: 100x built in {time.perf_counter() - started:.0f} s", flush=True)
        small = Served(one, "bench.growth_worker")
        big = Served(big_dir, "bench.growth_worker")
        for name in small.info["pages"]:
            first = time.perf_counter()
            big.time(name)
            repeat = REPEAT if time.perf_counter() - first < SLOW else 1
            (s, b) = side_by_side(small, big, [name], repeat)[name]
            report(f"growth_{name}_ms_1x", s * 1000, "ms")
            report(f"growth_{name}_ms_{COPIES}x", b * 1000, "ms")
            report(f"growth_{name}_ratio_{COPIES}x", b / s, "x")
            report(f"growth_{name}_queries", big.info["queries"][name], "queries")
    finally:
        for served in (small, big):
            if served is not None:
                served.close()
        remove(big_dir)


SLOW = 3.0  # seconds: a page this slow at 100x is timed once after its warm-up
