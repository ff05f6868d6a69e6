"""What the classifier reads in a report: jieba's words (违章建筑, 拖欠工资, 内涝 are one word
each) and character n-grams (they catch what the dictionary splits or misses, and typos).

Both tokenisers are module-level functions: the fitted vectoriser refers to them by name when
it is serialised."""

from __future__ import annotations

import logging
import re
import threading

import jieba  # type: ignore[import-untyped]

jieba.setLogLevel(logging.WARNING)  # it announces loading its dictionary on every process
_ready = threading.Lock()
_WORD = re.compile(r"\w", re.UNICODE)
_DIGITS = re.compile(r"\d+")


def _clean(text: str) -> str:
    # Numbers say where (3号楼, 12户), not what: one token for all of them.
    return _DIGITS.sub("0", text.lower())


def warm_up() -> None:
    """Load jieba's dictionary now (about a second, once per process), not on a request."""
    with _ready:
        if not jieba.dt.initialized:
            jieba.initialize()


def words(text: str) -> list[str]:
    """jieba's segmentation (precise mode, no HMM guesses), punctuation and spaces left out."""
    warm_up()
    return [w for w in jieba.lcut(_clean(text), HMM=False) if _WORD.search(w)]


def chars(text: str) -> str:
    """The text as the character n-gram vectoriser reads it."""
    return _clean(text)
