"""Training and asking a county's triage model (分流模型).

`train` fits a new version from confirmed rows (the caller, in issues, finds them); `predict`
answers from the county's latest version. The fitted model is kept per process and the latest
versions are re-read at most every RECHECK_SECONDS, so a report costs no history scan and at
most one small query (usually none); a new version is loaded once, by the first request that
sees it."""

from __future__ import annotations

import io
import logging
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sanzhang.places.models import Place
from sanzhang.places.tree import nearest_in

from .models import TriageModel

log = logging.getLogger(__name__)

MIN_SAMPLES = 50  # fewer confirmed issues than this: the keywords suggest instead
MIN_DEPARTMENT_SAMPLES = 10
KEEP_VERSIONS = 3  # older versions are deleted after a new one is written
RECHECK_SECONDS = 60.0
MAX_ROWS = 20000  # the newest confirmed issues a training reads, bounding its time


class Row(NamedTuple):
    """One confirmed issue: its text, the category and tier a person settled, and the lead
    department a meeting gave it to ("" when none)."""

    text: str
    category_code: str
    tier: str
    department: str = ""


@dataclass(frozen=True)
class Suggestion:
    category_code: str
    tier: str
    department: str  # "" when the model has no department to suggest
    confidence: float  # the category's probability
    model_version: int


@dataclass(frozen=True)
class Loaded:
    county_code: str
    version: int
    fitted: dict[str, Any]


def train(county_code: str, rows: Sequence[Row]) -> TriageModel | None:
    """Fit and store a new version of the county's model; None (nothing written) when the
    history is too small to learn from: under MIN_SAMPLES rows or a single category."""
    from . import fitting  # scikit-learn is imported by the worker, not by every request

    rows = list(rows)[:MAX_ROWS]
    if len(rows) < MIN_SAMPLES or len({r.category_code for r in rows}) < 2:
        return None
    county = Place.objects.get(code=county_code)
    fitted, metrics = fitting.fit(rows, MIN_DEPARTMENT_SAMPLES)
    buffer = io.BytesIO()
    fitting.dump(fitted, buffer)
    hard = sum(1 for r in rows if r.department)
    metrics["tiers"] = dict(Counter(r.tier for r in rows))
    with transaction.atomic():
        # Two trainings of one county at once (a retry beside the schedule) number their
        # versions one after the other: the county's row is the lock.
        Place.objects.select_for_update().filter(pk=county.pk).first()
        latest = TriageModel.objects.filter(county=county)
        version = (latest.aggregate(v=Max("version"))["v"] or 0) + 1
        model = TriageModel.objects.create(
            county=county,
            version=version,
            trained_at=timezone.now(),
            samples=len(rows),
            hard_samples=hard,
            metrics=metrics,
            pipeline=buffer.getvalue(),
        )
        TriageModel.objects.filter(county=county, version__lte=version - KEEP_VERSIONS).delete()
    return model


def predict(code: str, text: str) -> Suggestion | None:
    """The suggestion of the model of the county at or above the place `code` (a county's own
    code, or any place in it); None when that county has no model yet."""
    loaded = model_for(code)
    if loaded is None or not text.strip():
        return None
    from . import fitting

    # One reading of a text by one version: a report asks for its category, then its tier.
    key = (loaded.county_code, loaded.version, text)
    found = _read.get(key)
    if found is None:
        try:
            found = fitting.suggest(loaded, text)
        except Exception:  # a model that cannot read: the keywords suggest, the report goes in
            _give_up(loaded.county_code, loaded.version)
            return None
        if len(_read) >= 256:
            _read.clear()
        _read[key] = found
    return found


_read: dict[tuple[str, int, str], Suggestion] = {}


def predict_department(code: str, text: str) -> str:
    """The lead department the county's model reads in a hard issue's text ("" when it has
    none to suggest)."""
    loaded = model_for(code)
    if loaded is None or not text.strip():
        return ""
    from . import fitting

    try:
        return fitting.department_for(loaded, text)
    except Exception:  # as in predict: no suggestion rather than no page
        _give_up(loaded.county_code, loaded.version)
        return ""


def _give_up(county: str, version: int) -> None:
    """A version that failed to load or to read is not tried again by this process (a corrupt
    row, a library upgraded under it): the keywords suggest until the next training."""
    log.exception("the triage model %s v%s failed; suggesting by keywords", county, version)
    with _lock:
        _broken.add((county, version))
        _loaded.pop(county, None)


# The process's cache: the latest version of every county with a model, as of `_checked`,
# and the loaded models.
_lock = threading.Lock()
_versions: dict[str, int] = {}
_loaded: dict[str, Loaded] = {}
_broken: set[tuple[str, int]] = set()
MAX_LOADED = 8  # models kept per process (each some MB): a province's web process meets many
_checked = -float("inf")
_clock = time.monotonic  # tests move it on


def _latest_versions() -> dict[str, int]:
    global _versions, _checked
    now = _clock()
    if now - _checked >= RECHECK_SECONDS:
        rows = TriageModel.objects.values_list("county__code").annotate(v=Max("version"))
        _versions, _checked = dict(rows), now
    return _versions


def model_for(code: str) -> Loaded | None:
    """The loaded latest model for the county at or above `code`, or None."""
    with _lock:
        versions = _latest_versions()
        county = nearest_in(code, versions)
        if county is None:
            return None
        if (county, versions[county]) in _broken:
            return None
        loaded = _loaded.get(county)
        if loaded is not None and loaded.version == versions[county]:
            return loaded
    # Loading takes a moment: outside the lock; two threads may both load, harmlessly.
    row = TriageModel.objects.filter(county__code=county, version=versions[county]).first()
    if row is None:  # deleted since: read the versions again next time
        forget()
        return None
    from . import fitting

    try:
        loaded = Loaded(county, row.version, fitting.load(bytes(row.pipeline)))
    except Exception:
        _give_up(county, row.version)
        return None
    with _lock:
        while len(_loaded) >= MAX_LOADED:  # the one loaded longest ago makes room
            _loaded.pop(next(iter(_loaded)))
        _loaded[county] = loaded
    return loaded


def warm_up() -> None:
    """Ready this process to suggest: jieba's dictionary, and the latest models when there are
    no more of them than the process keeps (a county's install: its own; a province's web
    process loads the counties it meets as it meets them), read now rather than by the first
    reports (1–3 s). A web process calls it in the background (sanzhang/wsgi.py)."""
    from . import features

    features.warm_up()
    with _lock:
        counties = list(_latest_versions())
    if len(counties) <= MAX_LOADED:
        for county in counties:
            model_for(county)


def forget() -> None:
    """Drop the process's cache: the next prediction reads the versions again."""
    global _checked
    with _lock:
        _versions.clear()
        _loaded.clear()
        _read.clear()
        _broken.clear()
        _checked = -float("inf")
