"""Development measurement of the triage classifier, on the demo generator's own words only
(never the evaluation set): grouped cross-validation, where the problems a fold is tested on
are never among those its model trained on, so the model must read phrasings it has not seen
(as it must on the held-out set), not recognise a template.

    .venv/bin/python -m bench.triage_dev [folds]

Prints tier and category accuracy, hard recall and lead-department accuracy (on the hard
ones), averaged over the folds. No database: the training rows are composed as the demo
composes them, in the demo history's proportions; a fold is tested on its bare problems."""

from __future__ import annotations

import json
import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")
django.setup()

from sanzhang.demo import issue_texts  # noqa: E402
from sanzhang.triage import fitting  # noqa: E402
from sanzhang.triage.services import MIN_DEPARTMENT_SAMPLES, Row  # noqa: E402

# Confirmed rows per tier in the 1x demo history (closed ones and most open ones).
ROWS = {"simple": 700, "complex": 490, "hard": 760}


def _problems() -> list[tuple[str, str, str, str]]:
    """(tier, category, problem, department) of every problem the demo composes around."""
    found = []
    for tier, table in (("simple", issue_texts.SIMPLE), ("complex", issue_texts.COMPLEX)):
        found += [(tier, c, p, "") for c, ps in table.items() for p in ps]
    for department, written in issue_texts.HARD.items():
        found += [("hard", c, p, department) for c, p in written]
    return found


def _rows(problems: list[tuple[str, str, str, str]], rng: random.Random, scale: float) -> list[Row]:
    rows = []
    departments = sorted(issue_texts.HARD)
    for tier, count in ROWS.items():
        pool = [p for p in problems if p[0] == tier]
        for n in range(max(1, round(count * scale))):
            if tier == "hard":  # written for the departments in turn, as the demo does
                wanted = departments[n % len(departments)]
                mine = [p for p in pool if p[3] == wanted] or pool
                _tier, category, problem, department = rng.choice(mine)
            else:
                _tier, category, problem, department = rng.choice(pool)
            rural = rng.random() < 0.45
            text = issue_texts._compose(rng, tier, problem, rural).rstrip("，")
            rows.append(Row(text, category, tier, department))
    return rows


def main(folds: int = 5) -> dict[str, float]:
    problems = _problems()
    random.Random(7).shuffle(problems)
    totals: dict[str, list[float]] = {}
    started = time.perf_counter()
    for k in range(folds):
        test = [p for i, p in enumerate(problems) if i % folds == k]
        train = [p for i, p in enumerate(problems) if i % folds != k]
        rng = random.Random(k)
        fitted = fitting._fit_all(_rows(train, rng, 1.0), MIN_DEPARTMENT_SAMPLES)
        # The held-out problems as bare sentences, without the demo's openers and asks (the
        # set's residents say none of them).
        held = [Row(p, c, t, d) for t, c, p, d in test]
        answers = [fitting._answer(fitted, r.text) for r in held]
        pairs = list(zip(answers, held, strict=True))
        hard = [(a, r) for a, r in pairs if r.tier == "hard"]
        x = fitted["vectoriser"]
        scores = {
            "tier": _share([a[1] == r.tier for a, r in pairs]),
            "category": _share([a[0] == r.category_code for a, r in pairs]),
            "hard_recall": _share([a[1] == "hard" for a, _r in hard]),
            "department": _share(
                [
                    fitting._best(fitted["department"], x.transform([r.text]))[0] == r.department
                    for _a, r in hard
                ]
            ),
        }
        for name, value in scores.items():
            totals.setdefault(name, []).append(value)
    result = {name: round(sum(v) / len(v), 3) for name, v in totals.items()}
    result["problems"] = len(problems)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _share(hits: list[bool]) -> float:
    return sum(hits) / len(hits) if hits else 0.0


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
