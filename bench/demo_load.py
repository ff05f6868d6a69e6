"""demo_load_seconds: loading the full demo county into a fresh database (SQLite, or PostgreSQL
with `make bench-pg`, then vacuumed and analysed as autovacuum would leave it, not timed)."""

import re
from pathlib import Path

from . import pg
from .common import manage, new_var_dir, report


def bench_demo_load() -> Path:
    var_dir = new_var_dir("1x")
    manage(var_dir, "migrate", "--no-input", "-v0")
    output = manage(var_dir, "load_demo", "--scale", "1")
    seconds = float(re.search(r"in ([0-9.]+) s", output).group(1))  # type: ignore[union-attr]
    report("demo_load_seconds", seconds, "s")
    if pg.ENABLED:
        pg.settle(var_dir)
    return var_dir
