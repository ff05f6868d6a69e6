"""Where a ledger line links to, per kind of source. Apps that award points add theirs."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from .models import PointEntry

LINKS: dict[str, Callable[[PointEntry], str]] = {
    "issues.issue": lambda entry: reverse("issues:detail", args=[entry.source_label]),
}


def link_of(entry: PointEntry) -> str:
    if entry.source_type_id is None or entry.source_type is None:
        return ""
    kind = f"{entry.source_type.app_label}.{entry.source_type.model}"
    make = LINKS.get(kind)
    return make(entry) if make else ""
