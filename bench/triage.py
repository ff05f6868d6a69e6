"""triage_*: the county's triage model trained on a copy of the loaded 1x demo county's
confirmed history and measured on the held-out evaluation set (bench/triage_eval, written
apart from the demo generator, never trained on).

Reported: tier and category accuracy, recall of hard issues, lead-department accuracy on the
hard ones, the keywords' tier accuracy (the fallback: the suggested category's default tier)
side by side, the training's seconds and one prediction's milliseconds (median, in-process,
through `suggest_category`'s path: the cached model)."""

from __future__ import annotations

import os
from pathlib import Path

from .common import ROOT, remove, report, run_module
from .province import copy_county

# TRIAGE_EVAL_SET: another copy of the set (e.g. main's, before it lands on a branch).
EVAL_SET = Path(
    os.environ.get("TRIAGE_EVAL_SET", ROOT / "bench" / "triage_eval" / "complaints.jsonl")
)


def bench_triage(one: Path) -> None:
    mine = copy_county(one, "triage")  # the shared 1x county stays as the demo left it
    try:
        result = run_module(mine, "bench.triage_worker", str(EVAL_SET))
    finally:
        remove(mine)
    report("triage_train_rows", result["rows"], "issues")
    report("triage_train_seconds", result["train_seconds"], "s")
    report("triage_predict_ms", result["predict_ms"], "ms")
    if result.get("evaluated") is None:
        print(f"triage: no evaluation set at {EVAL_SET}; accuracy not measured", flush=True)
        return
    report("triage_eval_complaints", result["evaluated"], "complaints")
    report("triage_tier_accuracy", result["tier_accuracy"], "")
    report("triage_category_accuracy", result["category_accuracy"], "")
    report("triage_hard_recall", result["hard_recall"], "")
    report("triage_department_accuracy", result["department_accuracy"], "")
    report("triage_keywords_tier_accuracy", result["keywords_tier_accuracy"], "")
    report("triage_keywords_category_accuracy", result["keywords_category_accuracy"], "")
