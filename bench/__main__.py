"""Run the benches: `python -m bench` (all) or `python -m bench subtree` (one or more by name).

With BENCH_DATABASE=postgres (`make bench-pg`) they run on PostgreSQL (bench/pg.py).

Later issues add their benches to BENCHES.
"""

import sys

from . import pg
from .announcements import bench_announcements
from .common import remove
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


# The order they run in, each on the loaded 1x county (`one`).
RUNS = [
    ("worklist", bench_worklist),  # before intake, which adds issues to the 1x database
    ("summaries", bench_summaries),  # before intake too: both read the demo history as loaded
    ("dashboard", bench_dashboard),
    ("points", bench_points),
    ("growth", bench_growth),  # before intake too: it grows the demo's data as loaded
    ("intake", bench_intake),
    ("subtree", bench_subtree),
    ("evaluations", bench_evaluations),  # on its own copy of the 1x county
    ("funds", bench_funds),  # on its own copy of the 1x county
    ("announcements", bench_announcements),  # on its own province built from the 1x county
    ("triage", bench_triage),  # on its own copy of the 1x county
    ("register_import", bench_register_import),
    ("resident_page", bench_resident_page),
    ("signup", bench_signup),  # last: it adds residents' accounts to the 1x database
]


def main(names: list[str]) -> None:
    unknown = set(names) - set(BENCHES)
    if unknown:
        sys.exit(f"unknown bench: {', '.join(sorted(unknown))}; known: {', '.join(BENCHES)}")
    if pg.ENABLED:
        print(f"bench: on PostgreSQL ({pg.SERVER}), a database per bench", flush=True)
    one = None
    try:
        print("bench: demo_load starting", flush=True)
        one = bench_demo_load()  # every bench starts from the loaded 1x county
        for name, run in RUNS:
            if not names or name in names:
                print(f"bench: {name} starting", flush=True)
                run(one)
    finally:
        try:
            if one is not None:
                remove(one)
        finally:
            if pg.ENABLED:
                pg.drop_all()  # what a failing bench left


if __name__ == "__main__":
    main(sys.argv[1:])
