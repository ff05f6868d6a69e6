"""Shipping the audit log off the machine, with its chain's head anchored outside the database.

Every run appends the rows not yet shipped, as JSON lines, to a file of the day in
AUDIT_SHIP_DIR (a mount of the log host, or a folder a forwarder such as rsyslog or Filebeat
reads), then writes the chain's head (last id and digest) to `head.json` there. Before that it
checks the database still holds the head it anchored last time: a log rewritten in the
database (its chain recomputed by someone who can write it) no longer matches the copy
outside, which the database's owner cannot reach.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import AuditEvent

HEAD = "head.json"
FIELDS = [
    "id",
    "at",
    "actor_id",
    "actor_name",
    "actor_role",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "detail",
    "previous_digest",
    "digest",
]


class AnchorMismatch(Exception):
    """The database's row at the anchored id is missing or has another digest."""


def read_head(directory: Path) -> dict[str, Any] | None:
    path = directory / HEAD
    if not path.exists():
        return None
    return dict(json.loads(path.read_text()))


def check_anchor(head: dict[str, Any]) -> None:
    """Raise AnchorMismatch unless the database still holds the anchored row unchanged."""
    digest = AuditEvent.objects.filter(pk=head["id"]).values_list("digest", flat=True).first()
    if digest != head["digest"]:
        raise AnchorMismatch(
            f"audit event {head['id']} is {'missing' if digest is None else 'changed'} in the "
            "database: the log was rewritten after it was shipped"
        )


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_suffix(".partial")
    with open(partial, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


def ship(directory: Path, now: datetime.datetime | None = None) -> int:
    """Append the rows after the last shipped one to today's file; the number shipped."""
    directory.mkdir(parents=True, exist_ok=True)
    head = read_head(directory)
    if head is not None:
        check_anchor(head)
    after = head["id"] if head else 0
    rows = AuditEvent.objects.filter(pk__gt=after).order_by("id").values(*FIELDS)
    day = timezone.localtime(now or timezone.now()).date()
    count, last = 0, None
    with open(directory / f"audit-{day:%Y-%m-%d}.jsonl", "a", encoding="utf-8") as out:
        for row in rows.iterator(chunk_size=2000):
            out.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n")
            count, last = count + 1, row
        out.flush()
        os.fsync(out.fileno())
    if last is not None:
        # The head is written after the rows are safe: a crash between the two ships a few
        # rows twice (each carries its id), never skips one.
        anchor = {"id": last["id"], "digest": last["digest"], "shipped_at": str(timezone.now())}
        _write_atomically(directory / HEAD, json.dumps(anchor))
    return count


def reanchor(directory: Path, head: dict[str, Any]) -> None:
    """After a restore from a backup older than the last shipment: anchor shipping at the
    restored log's head (the `.head.json` beside the archive) once the database is shown to
    hold it. The files shipped before stay as they are: the record of the lost rows."""
    digest = head.get("digest") or head.get("hash")  # a backup's head names it "hash"
    check_anchor({"id": head["id"], "digest": digest})
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    if last != head["id"]:
        raise AnchorMismatch(f"the log ends at event {last}, not at {head['id']}")
    directory.mkdir(parents=True, exist_ok=True)
    anchor = {"id": head["id"], "digest": digest, "reanchored_at": str(timezone.now())}
    _write_atomically(directory / HEAD, json.dumps(anchor))


def ship_configured() -> int:
    """The scheduled run: ship to settings.AUDIT_SHIP_DIR."""
    from django.conf import settings

    return ship(Path(settings.AUDIT_SHIP_DIR))
