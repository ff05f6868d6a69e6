"""The audit log is append-only (promise 9): the ORM refuses changes, and database triggers
refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) sent as raw SQL; `check --deploy` says
when they are missing."""

import pytest
from django.db import DatabaseError, connection, transaction

from sanzhang.audit.checks import audit_triggers_present
from sanzhang.audit.models import AppendOnlyError, AuditEvent
from sanzhang.audit.services import record
from sanzhang.audit.triggers import triggers_lifted


@pytest.fixture
def event(db: None) -> AuditEvent:
    return record("test.something", detail={"n": 1})


def raw(sql: str, params: list[object] | None = None) -> None:
    # A savepoint, so PostgreSQL's failed statement does not abort the test's transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_the_orm_refuses_to_update_or_delete_audit_rows(event: AuditEvent):
    event.outcome = "refused"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(outcome="refused")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_raw_sql_update_is_refused_by_the_database(event: AuditEvent):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_auditevent SET outcome = 'refused' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).outcome == "ok"


def test_raw_sql_delete_is_refused_by_the_database(event: AuditEvent):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_truncate_is_refused_on_postgresql(event: AuditEvent):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_inserting_new_rows_still_works(event: AuditEvent):
    record("test.another")
    assert AuditEvent.objects.count() == 2


def test_check_deploy_reports_missing_triggers(db):
    assert audit_triggers_present() == []
    with triggers_lifted(connection):
        assert [error.id for error in audit_triggers_present()] == ["audit.E001"]
    assert audit_triggers_present() == []
