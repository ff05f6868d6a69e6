"""Helpers for benches: throwaway SQLite databases and a Django in a subprocess per database."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def report(name: str, value: float, unit: str) -> None:
    print(f"bench: {name} = {value:.3g} {unit}", flush=True)


def new_var_dir(label: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"sanzhang-bench-{label}-"))


def manage(var_dir: Path, *args: str) -> str:
    """Run manage.py against the SQLite database in `var_dir`; returns its stdout."""
    env = {**os.environ, "VAR_DIR": str(var_dir), "DEBUG": "true"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def run_module(var_dir: Path, module: str, *args: str) -> dict:
    """Run `python -m module args` with Django on `var_dir`'s database; parse its JSON output."""
    env = {**os.environ, "VAR_DIR": str(var_dir), "DEBUG": "true"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def median_seconds(action: Callable[[], object], repeat: int = 15) -> float:
    action()  # warm the caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
