"""fund_ledger_ratio_100x: a county's fund balances page with 100x the ledger entries.

The 1x database is the loaded county with this year's funds (`demo/funds.py`, loaded here if
the demo did not), on its own copy; the 100x database copies its ledger lines 99 more times
with SQL (same accounts and times), leaving the stored balances as they were. The balances page
reads one stored row per account, so its time should not grow with the ledger (goal ≤ 2).
Timed in-process with Django's test client for the county office (median of 9).
"""

from __future__ import annotations

from pathlib import Path

from .common import columns, connect, finish, max_id, remove, report, run_module
from .province import copy_county

COPIES = 100
TABLE = "funds_entry"


def _multiply(one: Path, copies: int) -> Path:
    var_dir = copy_county(one, f"funds{copies}x")
    target = connect(var_dir)
    names = columns(target, TABLE)
    step = max_id(target, TABLE)
    for k in range(1, copies):
        select = [f"id + {k * step}" if c == "id" else c for c in names]
        target.execute(
            f"INSERT INTO {TABLE} ({', '.join(names)}) "
            f"SELECT {', '.join(select)} FROM {TABLE} WHERE id <= {step}"
        )
    finish(target, [TABLE])
    return var_dir


def bench_funds(one: Path) -> None:
    small_dir = copy_county(one, "funds1x")
    try:
        run_module(small_dir, "bench.funds_worker", "load")
        small = run_module(small_dir, "bench.funds_worker")
        big_dir = _multiply(small_dir, COPIES)
        try:
            big = run_module(big_dir, "bench.funds_worker")
        finally:
            remove(big_dir)
    finally:
        remove(small_dir)
    report("fund_entries_1x", small["entries"], "entries")
    report(f"fund_entries_{COPIES}x", big["entries"], "entries")
    report("fund_accounts", small["accounts"], "accounts")
    report("fund_ledger_ms_1x", small["page"] * 1000, "ms")
    report(f"fund_ledger_ms_{COPIES}x", big["page"] * 1000, "ms")
    report(f"fund_ledger_ratio_{COPIES}x", big["page"] / small["page"], "x")
    report("fund_balances_queries", max(small["queries"], big["queries"]), "queries")
