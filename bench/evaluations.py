"""evaluation_results_ratio_100x: the county's public evaluation results with 100x the votes.

A copy of the loaded county gets the demo's closed quarter of evaluations
(`sanzhang.demo.evaluations`); the 100x database is that copy with its evaluations inserted 99
more times with SQL (the same holders, choices and times; each copy's voters are other ids, as
if 100x the residents had voted: the results never read who voted, and the raw copy does not
check foreign keys) and the holders' counts multiplied to match. The county office's results
page (the county's first 200 holders, of every holder with a vote) is timed in-process with
Django's test client (median of 9) on both, side by side in one run: it reads one row of
counts per holder (kept up to date by each vote), so its time follows the holders, not the
votes.
Also evaluation_results_queries, and evaluation_recount_ms: the one GROUP BY over the votes that
closing a period makes (it grows with the votes; it runs once per period).
"""

from __future__ import annotations

from pathlib import Path

from .common import columns, connect, finish, max_id, remove, report, run_module
from .province import copy_county

COPIES = 100
VOTES = "evaluations_evaluation"
RESULTS = "evaluations_result"


def _multiply_votes(one: Path, copies: int) -> Path:
    var_dir = copy_county(one, f"evaluations{copies}x")
    target = connect(var_dir)
    names = columns(target, VOTES)
    step = max_id(target, VOTES)
    people = max_id(target, "people_person")
    for k in range(1, copies):
        select = [
            f"id + {k * step}" if c == "id"
            else f"voter_id + {k * people}" if c == "voter_id"
            else c
            for c in names
        ]  # fmt: skip
        target.execute(
            f"INSERT INTO {VOTES} ({', '.join(names)}) "
            f"SELECT {', '.join(select)} FROM {VOTES} WHERE id <= {step}"
        )
    target.execute(
        f"UPDATE {RESULTS} SET satisfied = satisfied * {copies}, basic = basic * {copies}, "
        f"unsatisfied = unsatisfied * {copies}"
    )
    finish(target, [VOTES, RESULTS])
    return var_dir


def bench_evaluations(one: Path) -> None:
    mine = copy_county(one, "evaluations1x")  # the shared 1x county stays as the demo left it
    big_dir: Path | None = None
    try:
        run_module(mine, "bench.evaluations_worker", "load")
        small = run_module(mine, "bench.evaluations_worker")
        big_dir = _multiply_votes(mine, COPIES)
        big = run_module(big_dir, "bench.evaluations_worker")
    finally:
        remove(mine)
        if big_dir is not None:
            remove(big_dir)
    report("evaluation_votes_1x", small["votes"], "votes")
    report(f"evaluation_votes_{COPIES}x", big["votes"], "votes")
    report("evaluation_holders", small["holders"], "holders")
    report("evaluation_results_ms_1x", small["page"] * 1000, "ms")
    report(f"evaluation_results_ms_{COPIES}x", big["page"] * 1000, "ms")
    report(f"evaluation_results_ratio_{COPIES}x", big["page"] / small["page"], "x")
    report("evaluation_results_queries", max(small["queries"], big["queries"]), "queries")
    report("evaluation_recount_ms_1x", small["recount"] * 1000, "ms")
    report(f"evaluation_recount_ms_{COPIES}x", big["recount"] * 1000, "ms")
