"""The audit log shipped off the machine: each run appends only the rows not yet shipped, as
JSON lines, and anchors the chain's head beside them; a log rewritten in the database (its
chain recomputed, so it holds again) no longer matches that anchor, and shipping and
`verify_audit_chain --anchor` say so."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from sanzhang.audit.models import AuditEvent
from sanzhang.audit.services import first_broken_link, record
from sanzhang.audit.shipping import AnchorMismatch, read_head, ship
from sanzhang.security.tests.test_backups import rewrite_history

pytestmark = pytest.mark.django_db


def shipped_lines(directory) -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        json.loads(line)
        for path in sorted(directory.glob("audit-*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_each_run_ships_only_the_new_rows_and_anchors_the_head(tmp_path) -> None:
    for n in range(3):
        record("test.ship", detail={"n": n, "名": "张"})
    assert ship(tmp_path) == AuditEvent.objects.count()
    assert ship(tmp_path) == 0
    record("test.ship", detail={"n": 3})
    assert ship(tmp_path) == 1
    lines = shipped_lines(tmp_path)
    ids = [line["id"] for line in lines]
    assert ids == sorted(AuditEvent.objects.values_list("id", flat=True))
    last = AuditEvent.objects.order_by("-id").first()
    head = read_head(tmp_path)
    assert head is not None and (head["id"], head["digest"]) == (last.pk, last.digest)
    assert lines[-1]["digest"] == last.digest and lines[0]["detail"]["名"] == "张"


def test_a_rewritten_log_no_longer_matches_the_shipped_head(tmp_path) -> None:
    for n in range(3):
        record("test.ship", detail={"n": n})
    ship(tmp_path)
    rewrite_history()
    assert first_broken_link() is None  # the chain in the database holds again
    with pytest.raises(AnchorMismatch):
        ship(tmp_path)
    with pytest.raises(CommandError, match="rewritten"):
        call_command("verify_audit_chain", anchor=str(tmp_path))
    with pytest.raises(CommandError, match="rewritten"):
        call_command("ship_audit", dir=str(tmp_path))


def test_verify_with_an_intact_anchor_passes(tmp_path, capsys) -> None:
    record("test.ship", detail={"n": 0})
    call_command("ship_audit", dir=str(tmp_path))
    call_command("verify_audit_chain", anchor=str(tmp_path))
    assert "intact" in capsys.readouterr().out


def test_after_a_restore_shipping_starts_again_at_the_restored_head(tmp_path) -> None:
    kept = [record("test.ship", detail={"n": n}) for n in range(2)]
    backup_head = tmp_path / "backup.head.json"
    backup_head.write_text(json.dumps({"id": kept[-1].pk, "hash": kept[-1].digest}))
    shipped = tmp_path / "shipped"
    ship(shipped)
    # What the restore brings back is the log up to the backup; shipping had gone no further
    # here, so the restored head is the anchored one and shipping goes on from it.
    call_command("ship_audit", dir=str(shipped), reanchor=str(backup_head))
    record("test.ship", detail={"n": 2})
    assert ship(shipped) == 1
    later = tmp_path / "later.head.json"
    later.write_text(json.dumps({"id": kept[0].pk, "hash": kept[0].digest}))
    with pytest.raises(CommandError, match="ends at event"):
        call_command("ship_audit", dir=str(shipped), reanchor=str(later))
