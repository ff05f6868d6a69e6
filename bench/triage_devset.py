"""Development measurement of the triage classifier on the development set
(bench/triage_dev_set, written apart from the demo generator and from the held-out set): the
model trained as the demo county's is, on the demo's history, then asked about each complaint.

    .venv/bin/python -m bench.triage_devset [seeds]

Prints tier and category accuracy, hard recall, and the lead department on the hard ones (as
the meeting page asks for it, whatever tier the model read), averaged over `seeds` draws of
the demo's history (3 by default: one draw's figures move by a point or two), with the tiers'
confusion counts of the first draw. No database: the history is composed as the demo composes
it (bench.triage_dev), in the 1x history's proportions.

For tuning only: the set is never training data, neither of the shipped demo nor here."""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import triage_dev  # sets Django up
from sanzhang.triage import fitting
from sanzhang.triage.services import MIN_DEPARTMENT_SAMPLES

DEV_SET = Path(__file__).resolve().parent / "triage_dev_set" / "complaints.jsonl"
TIERS = ["simple", "complex", "hard"]


def complaints() -> list[dict[str, str]]:
    with DEV_SET.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def score(fitted: dict[str, Any], rows: list[dict[str, str]]) -> dict[str, Any]:
    """The figures of one fitted model on `rows`."""
    answers = [fitting._answer(fitted, r["text"]) for r in rows]
    pairs = list(zip(answers, rows, strict=True))
    hard = [(a, r) for a, r in pairs if r["tier"] == "hard"]
    x = fitted["vectoriser"]
    return {
        "tier": _share([a[1] == r["tier"] for a, r in pairs]),
        "category": _share([a[0] == r["category"] for a, r in pairs]),
        "hard_recall": _share([a[1] == "hard" for a, _r in hard]),
        "hard_precision": _share([r["tier"] == "hard" for a, r in pairs if a[1] == "hard"]),
        "department": _share(
            [
                fitting._best(fitted["department"], x.transform([r["text"]]))[0] == r["department"]
                for _a, r in hard
            ]
        ),
        # (labelled, answered): how often
        "confusion": Counter(f"{r['tier']}>{a[1]}" for a, r in pairs),
    }


def main(seeds: int = 3) -> dict[str, Any]:
    rows = complaints()
    problems = triage_dev._problems()
    started = time.perf_counter()
    totals: dict[str, list[float]] = {}
    confusion: Counter[str] = Counter()
    for seed in range(seeds):
        history = triage_dev._rows(problems, random.Random(100 + seed), 1.0)
        scores = score(fitting._fit_all(history, MIN_DEPARTMENT_SAMPLES), rows)
        if seed == 0:
            confusion = scores.pop("confusion")
        else:
            scores.pop("confusion")
        for name, value in scores.items():
            totals.setdefault(name, []).append(value)
    result: dict[str, Any] = {name: round(sum(v) / len(v), 3) for name, v in totals.items()}
    result["complaints"] = len(rows)
    result["tiers"] = {
        f"{t}>{u}": confusion[f"{t}>{u}"] for t in TIERS for u in TIERS if confusion[f"{t}>{u}"]
    }
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _share(hits: list[bool]) -> float:
    return sum(hits) / len(hits) if hits else 0.0


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)))
