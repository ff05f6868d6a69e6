"""Side-by-side timing of one page on two databases (1x and 100x), request by request.

The machine is shared: a page timed a minute after the other meets another load, and the ratio
moves with it. Here both databases are served at once, each by its own worker process with
Django set up on it, and the parent asks them in turn for one timed request each (the order
alternating), so both sides of a ratio meet the same moments of the machine. Each side's
figure is the median of its requests.

A worker (`serve`) reads a page name per line on stdin and answers one JSON line with the
seconds that request took; its first line describes the database (counts, queries).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .common import ROOT, django_env


class Served:
    """A worker process answering timed requests on the database of `var_dir`."""

    def __init__(self, var_dir: Path, module: str, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, "serve", *args],
            env=django_env(var_dir), cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        self.info: dict[str, Any] = self._answer()

    def _answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None  # nosec B101 # piped above
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker stopped (exit {self.process.wait()})")
        return json.loads(line)

    def time(self, name: str) -> float:
        assert self.process.stdin is not None  # nosec B101 # piped above
        self.process.stdin.write(name + "\n")
        self.process.stdin.flush()
        return float(self._answer()["seconds"])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            # Its database is removed next: the worker must not be left running on it.
            self.process.kill()
            self.process.wait()


def side_by_side(
    small: Served, big: Served, names: list[str], repeat: int
) -> dict[str, tuple[float, float]]:
    """Per page name: the median seconds on `small` and on `big`, asked in turn."""
    samples: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in names}
    for name in names:  # warm both
        small.time(name)
        big.time(name)
    for k in range(repeat):
        for name in names:
            first, second = (small, big) if k % 2 == 0 else (big, small)
            a, b = first.time(name), second.time(name)
            ours, theirs = samples[name]
            ours.append(a if first is small else b)
            theirs.append(b if first is small else a)
    return {n: (statistics.median(s), statistics.median(b)) for n, (s, b) in samples.items()}


def serve(info: dict[str, Any], pages: Mapping[str, Callable[..., object]]) -> None:
    """The worker's side: print `info`, then time the named page for each line read."""
    print(json.dumps(info), flush=True)
    for line in sys.stdin:
        name = line.strip()
        started = time.perf_counter()
        pages[name]()
        print(json.dumps({"seconds": time.perf_counter() - started}), flush=True)
