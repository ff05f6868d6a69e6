"""The held-out evaluation set of the triage classifier (bench/triage_eval/complaints.jsonl):
well formed, balanced as its README says, and independent of the demo generator's texts the
classifier learns from."""

from __future__ import annotations

import importlib
import json
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from sanzhang.demo import leaders as demo_leaders
from sanzhang.demo.issues import TEXTS

EVAL_SET = Path(__file__).resolve().parents[3] / "bench" / "triage_eval" / "complaints.jsonl"
FIELDS = {"text", "category", "tier", "department", "setting"}
TIERS = {"simple", "complex", "hard"}
SETTINGS = {"urban", "rural"}
# The functional departments the county office assigns hard issues to at its meetings.
DEPARTMENTS = set(demo_leaders.DEPARTMENTS)


def _county_categories() -> set[str]:
    # The migration that seeds the county's categories is the one list of their codes.
    seed = importlib.import_module("sanzhang.issues.migrations.0002_categories_rules_deadlines")
    return {code for code, *_ in seed.CATEGORIES}


@pytest.fixture(scope="module")
def complaints() -> list[dict[str, str]]:
    lines = EVAL_SET.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_every_line_is_a_complaint_with_the_five_fields(complaints: list[dict[str, str]]) -> None:
    assert len(complaints) >= 300
    for complaint in complaints:
        assert set(complaint) == FIELDS, complaint
        assert all(isinstance(value, str) for value in complaint.values()), complaint


def test_categories_tiers_and_settings_are_the_known_codes(
    complaints: list[dict[str, str]],
) -> None:
    categories = _county_categories()
    assert len(categories) == 9
    for complaint in complaints:
        assert complaint["category"] in categories, complaint
        assert complaint["tier"] in TIERS, complaint
        assert complaint["setting"] in SETTINGS, complaint


def test_a_department_leads_hard_complaints_only_and_is_one_of_the_twelve(
    complaints: list[dict[str, str]],
) -> None:
    for complaint in complaints:
        if complaint["tier"] == "hard":
            assert complaint["department"] in DEPARTMENTS, complaint
        else:
            assert complaint["department"] == "", complaint


def test_texts_are_between_10_and_120_characters_and_never_repeat(
    complaints: list[dict[str, str]],
) -> None:
    texts = [complaint["text"] for complaint in complaints]
    assert all(10 <= len(text) <= 120 for text in texts), [
        text for text in texts if not 10 <= len(text) <= 120
    ]
    repeated = [text for text, count in Counter(texts).items() if count > 1]
    assert repeated == []


def test_every_category_tier_and_department_is_well_represented(
    complaints: list[dict[str, str]],
) -> None:
    categories = Counter(complaint["category"] for complaint in complaints)
    for code in _county_categories():
        assert categories[code] >= (10 if code == "other" else 20), (code, categories[code])
    tiers = Counter(complaint["tier"] for complaint in complaints)
    assert min(tiers[tier] for tier in TIERS) >= 80, tiers
    assert tiers["hard"] >= 100, tiers
    departments = Counter(complaint["department"] for complaint in complaints)
    assert min(departments[name] for name in DEPARTMENTS) >= 5, departments


def test_about_45_per_cent_come_from_villages(complaints: list[dict[str, str]]) -> None:
    rural = sum(complaint["setting"] == "rural" for complaint in complaints)
    assert 0.40 <= rural / len(complaints) <= 0.50, rural


def test_no_complaint_repeats_or_contains_a_demo_text(complaints: list[dict[str, str]]) -> None:
    demo_texts = [text.strip() for texts in TEXTS.values() for text in texts]
    assert demo_texts, "the demo generator's texts could not be read"
    # Only our own texts are named on failure, so the set's writer never reads the demo's.
    borrowed = [c["text"] for c in complaints if any(demo in c["text"] for demo in demo_texts)]
    assert borrowed == []


def _meaningful(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _pairs(text: str) -> set[str]:
    return {a + b for a, b in pairwise(_meaningful(text))}


def _longest_shared_run(a: str, b: str) -> int:
    a, b = _meaningful(a), _meaningful(b)
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def near_copies(demo_texts: list[str], complaint_texts: list[str]) -> list[str]:
    """The demo problems that share a run of 8 characters with a complaint, or half their
    character pairs with one: written that close, the set would measure the model's memory of
    the demo, not its reading of a new complaint."""
    complaint_pairs = [(_pairs(c), c) for c in complaint_texts]
    near = []
    for demo in demo_texts:
        pairs = _pairs(demo)
        if any(
            len(pairs & theirs) >= 0.5 * len(pairs) or _longest_shared_run(demo, text) >= 8
            for theirs, text in complaint_pairs
        ):
            near.append(demo)
    return near


def test_no_demo_problem_is_a_near_copy_of_a_complaint(complaints: list[dict[str, str]]) -> None:
    demo_texts = sorted({text.strip() for texts in TEXTS.values() for text in texts})
    # Only the demo's own texts are named on failure, as above.
    assert near_copies(demo_texts, [c["text"] for c in complaints]) == []
