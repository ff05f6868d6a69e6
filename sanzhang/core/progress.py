"""A progress bar of named stages for long management commands (the demo load, the imports)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def stage_bar(stages: list[str]) -> Iterator[Callable[[str], None]]:
    """A callback naming each stage as it starts, drawn as a bar on a terminal; tqdm leaves
    logs, CI output and tests alone (disable=None: no bar where stderr is no TTY)."""
    bar = tqdm(total=len(stages), unit="stage", disable=None, file=sys.stderr)
    begun: list[str] = []  # the stages started so far (a disabled bar keeps no state)

    def stage(name: str) -> None:
        if begun:
            bar.update(1)  # the one before is done
        begun.append(name)
        bar.set_description(name)

    try:
        yield stage
        if begun:
            bar.update(1)  # the last stage done
    finally:
        bar.close()
