"""worklist_ratio_100x and worklist_queries: "my work" with 100x the issues against 1x.

The 100x database is a copy of the loaded county whose issues are copied 99 more times with
SQL (the same places, owners and steps, so every list grows a hundredfold). The page is timed
in-process with Django's test client for the grid leader, the unit leader, a department and
the county office, both databases served at once and asked in turn (bench.growth_side); the
headline ratio is the grid leader's (the others' are printed too), the query count the
largest of them all.

In the demo the grid leader has a handful of issues waiting (a part-page) while at 100x the
page is full (50 rows), so that ratio also counts the rendering of the extra rows; the
"everything in my area" page is full at both sizes, and its ratio shows the queries alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .common import columns, connect, finish, max_id, remove, report
from .growth_side import Served, side_by_side
from .province import copy_county

COPIES = 100
REPEAT = 15  # timed requests per page and side, the sides in turn


def _multiply_issues(one: Path, copies: int, events: bool = False) -> Path:
    """A copy of the county in `one` with its issues (and their events if `events`) `copies`
    times over: the same places, owners and steps; numbers suffixed to stay unique."""
    var_dir = copy_county(one, f"issues{copies}x")
    target = connect(var_dir)
    names = columns(target, "issues_issue")
    step = max_id(target, "issues_issue")
    for k in range(1, copies):
        select = [
            f"id + {k * step}" if c == "id"
            else f"number || '-{k}'" if c == "number"
            # Idempotency keys are unique per recorder where set: suffixed too.
            else f"CASE WHEN intake_key = '' THEN '' ELSE intake_key || '-{k}' END"
            if c == "intake_key"
            else c
            for c in names
        ]  # fmt: skip
        target.execute(
            f"INSERT INTO issues_issue ({', '.join(names)}) "
            f"SELECT {', '.join(select)} FROM issues_issue WHERE id <= {step}"
        )
    if events:
        _multiply_events(target, copies, step)
    finish(target, ["issues_issue", "issues_issueevent"] if events else ["issues_issue"])
    return var_dir


def _multiply_events(target: Any, copies: int, issue_step: int) -> None:
    names = columns(target, "issues_issueevent")
    step = max_id(target, "issues_issueevent")
    for k in range(1, copies):
        shift = {"id": k * step, "issue_id": k * issue_step}
        select = [f"{c} + {shift[c]}" if c in shift else c for c in names]
        target.execute(
            f"INSERT INTO issues_issueevent ({', '.join(names)}) "
            f"SELECT {', '.join(select)} FROM issues_issueevent WHERE id <= {step}"
        )


def bench_worklist(one: Path) -> None:
    big_dir = _multiply_issues(one, COPIES)
    small, big = Served(one, "bench.worklist_worker"), Served(big_dir, "bench.worklist_worker")
    try:
        times = side_by_side(small, big, list(small.info["queries"]), REPEAT)
    finally:
        small.close()
        big.close()
        remove(big_dir)
    report("worklist_issues_1x", small.info["issues"], "issues")
    report(f"worklist_issues_{COPIES}x", big.info["issues"], "issues")
    report("worklist_ms_1x", times["grid"][0] * 1000, "ms")
    report(f"worklist_ms_{COPIES}x", times["grid"][1] * 1000, "ms")
    report("worklist_rows_1x", small.info["rows"]["grid"], "rows")
    report(f"worklist_rows_{COPIES}x", big.info["rows"]["grid"], "rows")
    report(f"worklist_ratio_{COPIES}x", times["grid"][1] / times["grid"][0], "x")
    for name in ("unit", "dept", "office"):
        report(f"worklist_{name}_ratio_{COPIES}x", times[name][1] / times[name][0], "x")
    report(f"worklist_full_page_ratio_{COPIES}x", times["grid_all"][1] / times["grid_all"][0], "x")
    queries = [*small.info["queries"].values(), *big.info["queries"].values()]
    report("worklist_queries", max(queries), "queries")
