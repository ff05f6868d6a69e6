"""Run the benches: `python -m bench` (all) or `python -m bench subtree` (one or more by name).

Later issues add their benches to BENCHES.
"""

import shutil
import sys

from .announcements import bench_announcements
from .dashboard import bench_dashboard
from .demo_load import bench_demo_load
from .evaluations import bench_evaluations
from .funds import bench_funds
from .growth import bench_growth
from .intake import bench_intake
from .points import bench_points
from .register_import import bench_register_import
from .resident_page import bench_resident_page
from .signup import bench_signup
from .subtree import bench_subtree
from .summaries import bench_summaries
from .triage import bench_triage
from .worklist import bench_worklist

BENCHES = [
    "demo_load",
    "subtree",
    "intake",
    "worklist",
    "summaries",
    "dashboard",
    "points",
    "register_import",
    "resident_page",
    "signup",
    "evaluations",
    "funds",
    "announcements",
    "triage",
    "growth",
]


def main(names: list[str]) -> None:
    unknown = set(names) - set(BENCHES)
    if unknown:
        sys.exit(f"unknown bench: {', '.join(sorted(unknown))}; known: {', '.join(BENCHES)}")
    one = bench_demo_load()  # every bench starts from the loaded 1x county
    try:
        if not names or "worklist" in names:
            bench_worklist(one)  # before intake, which adds issues to the 1x database
        if not names or "summaries" in names:
            bench_summaries(one)  # before intake too: both read the demo history as loaded
        if not names or "dashboard" in names:
            bench_dashboard(one)
        if not names or "points" in names:
            bench_points(one)
        if not names or "growth" in names:
            bench_growth(one)  # before intake too: it grows the demo's data as loaded
        if not names or "intake" in names:
            bench_intake(one)
        if not names or "subtree" in names:
            bench_subtree(one)
        if not names or "evaluations" in names:
            bench_evaluations(one)  # on its own copy of the 1x county
        if not names or "funds" in names:
            bench_funds(one)  # on its own copy of the 1x county
        if not names or "announcements" in names:
            bench_announcements(one)  # on its own province built from the 1x county
        if not names or "triage" in names:
            bench_triage(one)  # on its own copy of the 1x county
        if not names or "register_import" in names:
            bench_register_import(one)
        if not names or "resident_page" in names:
            bench_resident_page(one)
        if not names or "signup" in names:
            bench_signup(one)  # last: it adds residents' accounts to the 1x database
    finally:
        shutil.rmtree(one, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
