"""The audit log is tamper-evident (promise 9): each row's digest covers the row and the digest
before it, so an edit or a removal made behind the triggers' back is found, and
`verify_audit_chain` exits 1."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sanzhang.audit.models import AuditEvent
from sanzhang.audit.services import first_broken_link, record
from sanzhang.audit.triggers import triggers_lifted


def tamper(sql: str, params: list[object]) -> None:
    """What someone owning the table could do: lift the triggers, edit, put them back."""
    with triggers_lifted(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_untouched_chain_holds(db):
    for n in range(5):
        record("test.event", detail={"n": n})
    assert first_broken_link() is None


def test_an_edited_row_breaks_the_chain_at_that_row(db):
    rows = [record("test.event", detail={"n": n}) for n in range(5)]
    tamper("UPDATE audit_auditevent SET outcome = 'refused' WHERE id = %s", [rows[2].pk])
    assert AuditEvent.objects.get(pk=rows[2].pk).outcome == "refused"
    assert first_broken_link() == rows[2].pk


def test_a_removed_row_breaks_the_chain_at_the_next_row(db):
    rows = [record("test.event", detail={"n": n}) for n in range(3)]
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
    assert first_broken_link() == rows[2].pk


def test_the_triggers_are_back_after_tampering(db):
    event = record("test.event")
    tamper("UPDATE audit_auditevent SET outcome = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")


def test_verify_audit_chain_reports_an_intact_chain(db, capsys):
    record("test.event")
    record("test.event")
    call_command("verify_audit_chain")
    assert "intact: 2 events" in capsys.readouterr().out


def test_verify_audit_chain_exits_1_on_a_broken_chain(db):
    rows = [record("test.event", detail={"n": n}) for n in range(3)]
    tamper("UPDATE audit_auditevent SET actor_name = 'someone' WHERE id = %s", [rows[0].pk])
    with pytest.raises(CommandError, match=f"broken at event {rows[0].pk}") as raised:
        call_command("verify_audit_chain")
    assert raised.value.returncode == 1
