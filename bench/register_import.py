"""register_import_seconds: the demo county's household register (38,000 households, its own
export written by `load_demo`) imported into an empty register (SQLite; PostgreSQL with
`make bench-pg`), the places loaded, as a county would have them before its first register
import. Goal: under 60 s."""

import re
from pathlib import Path

from .common import manage, new_var_dir, remove, report

BUILD_PLACES = (
    "import random; from sanzhang.demo.loader import SEED; "
    "from sanzhang.demo.places import build_tree; build_tree(1.0, random.Random(SEED))"
)


def bench_register_import(one: Path) -> None:
    var_dir = new_var_dir("register")
    try:
        manage(var_dir, "migrate", "--no-input", "-v0")
        manage(var_dir, "shell", "-c", BUILD_PLACES)  # the demo's tree: the first thing it builds
        output = manage(var_dir, "import_register", str(one / "demo-register.csv"))
    finally:
        remove(var_dir)
    seconds = float(re.search(r"in ([0-9.]+) s", output).group(1))  # type: ignore[union-attr]
    report("register_import_seconds", seconds, "s")
