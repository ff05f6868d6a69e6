"""core.prepared_insert: a report's rows compiled before its transaction (on SQLite the write
lock is held only while the statements run) are the rows `save()` would have written, with
the same signals, and the locked part runs one statement per row and builds no SQL."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanzhang.core import prepared_insert
from sanzhang.core.prepared_insert import PreparedInsert
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue, IssueEvent, State

pytestmark = pytest.mark.django_db


def _event(issue: Issue, actor, note: str) -> IssueEvent:  # type: ignore[no-untyped-def]
    return IssueEvent(
        issue=issue,
        kind=IssueEvent.Kind.COMMENTED,
        actor=actor,
        to_state=State.REPORTED,
        note=note,
        data={"tier": "simple", "nested": [1, "二"]},
        due_at=issue.due_at,
        at=timezone.now(),
    )


def _stored(event: IssueEvent) -> dict:
    row = IssueEvent.objects.filter(pk=event.pk).values().get()
    row.pop("id")
    return row


@pytest.fixture
def issue(loop, unit_leader) -> Issue:  # type: ignore[no-untyped-def]
    return submit(unit_leader, place=loop.unit_a1_1, text="楼道灯不亮", channel="patrol").issue


def test_the_row_is_the_one_save_writes(issue, unit_leader) -> None:  # type: ignore[no-untyped-def]
    at = timezone.now()
    saved = _event(issue, unit_leader, "已联系物业")
    saved.at = at
    saved.save()
    prepared = _event(issue, unit_leader, "已联系物业")
    prepared.at = at
    PreparedInsert(prepared).run()
    assert prepared.pk is not None and prepared.pk != saved.pk  # the database's id, returned
    assert not prepared._state.adding
    assert _stored(prepared) == _stored(saved)


def test_late_values_are_filled_in_when_it_runs(issue, unit_leader) -> None:  # type: ignore[no-untyped-def]
    event = _event(issue, unit_leader, "待补")
    insert = PreparedInsert(event, late=("note",))
    insert.run(note="补上的说明")
    assert event.note == "补上的说明"
    assert IssueEvent.objects.get(pk=event.pk).note == "补上的说明"


def test_it_builds_no_sql_inside_the_transaction(issue, unit_leader) -> None:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as compiling:
        insert = PreparedInsert(_event(issue, unit_leader, "说明"), late=("note",))
    assert len(compiling) == 0  # compiled, not run
    with transaction.atomic(), CaptureQueriesContext(connection) as running:
        insert.run(note="说明")
    inserts = [q for q in running if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1


def test_the_signals_save_sends_are_sent(issue, unit_leader) -> None:  # type: ignore[no-untyped-def]
    heard: list[tuple[str, bool | None, int | None]] = []

    def before(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
        heard.append(("pre", None, instance.pk))

    def after(sender, instance, created, **kwargs):  # type: ignore[no-untyped-def]
        heard.append(("post", created, instance.pk))

    pre_save.connect(before, sender=IssueEvent, dispatch_uid="test-prepared-pre")
    post_save.connect(after, sender=IssueEvent, dispatch_uid="test-prepared-post")
    try:
        event = _event(issue, unit_leader, "说明")
        insert = PreparedInsert(event)
        assert heard == [("pre", None, None)]  # before the SQL is built: a receiver may change it
        insert.run()
    finally:
        pre_save.disconnect(sender=IssueEvent, dispatch_uid="test-prepared-pre")
        post_save.disconnect(sender=IssueEvent, dispatch_uid="test-prepared-post")
    assert heard == [("pre", None, None), ("post", True, event.pk)]


def test_every_late_field_needs_one_value(issue, unit_leader) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="no field"):
        PreparedInsert(_event(issue, unit_leader, "说明"), late=("colour",))
    insert = PreparedInsert(_event(issue, unit_leader, "说明"), late=("note", "issue"))
    with pytest.raises(ValueError, match="late field"):
        insert.run(note="只给了一个")
    with pytest.raises(ValueError, match="late field"):
        insert.run(note="x", issue=issue, colour="红")
    with pytest.raises(ValueError, match="late field"):
        insert.run(note="x", issue=issue, issue_id=issue.pk)  # one field given twice
    assert not IssueEvent.objects.filter(note__in=["只给了一个", "x"]).exists()


def test_a_reports_issue_and_event_carry_the_claimed_id(issue) -> None:  # type: ignore[no-untyped-def]
    stored = Issue.objects.get(pk=issue.pk)
    assert stored.number.endswith(f"-{stored.pk:06d}")
    event = IssueEvent.objects.get(issue=stored, kind=IssueEvent.Kind.REPORTED)
    assert event.note == "楼道灯不亮"
    assert event.data["category"] == stored.category.code


def _raw_row(model, pk: int) -> tuple:  # type: ignore[no-untyped-def]
    """The row as stored, not as Django decodes it."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 (our table)
        return cursor.fetchone()


def _issue_like(issue: Issue, number: str) -> Issue:
    copy = Issue.objects.get(pk=issue.pk)
    copy.pk = None
    copy._state.adding = True
    copy.number = number
    copy.intake_key = ""
    return copy


@pytest.mark.parametrize("kept", [False, True], ids=["built", "kept"])
def test_a_late_id_and_number_write_the_row_save_writes(issue, kept) -> None:  # type: ignore[no-untyped-def]
    if not kept:
        prepared_insert._statements.clear()  # else the fixture's report kept it
    saved = _issue_like(issue, "saved")
    saved.save(force_insert=True)
    prepared = _issue_like(issue, "placeholder")
    insert = PreparedInsert(prepared, late=("id", "number"))
    with transaction.atomic():
        pk = saved.pk + 1000
        insert.run(id=pk, number="saved-too")
    assert prepared.pk == pk and prepared.number == "saved-too"
    saved_row, prepared_row = _raw_row(Issue, saved.pk), _raw_row(Issue, pk)
    columns = [f.column for f in Issue._meta.concrete_fields]
    differ = {
        columns[i] for i, (a, b) in enumerate(zip(saved_row, prepared_row, strict=True)) if a != b
    }
    assert differ == {"id", "number"}


def test_running_builds_no_sql(issue, unit_leader, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db.models.sql.compiler import SQLInsertCompiler

    insert = PreparedInsert(_event(issue, unit_leader, "说明"))

    def refuse(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the INSERT was built again")

    monkeypatch.setattr(SQLInsertCompiler, "as_sql", refuse)
    with transaction.atomic():
        insert.run()
    assert IssueEvent.objects.filter(pk=insert._obj.pk).exists()


def test_values_that_are_expressions_are_refused(issue, unit_leader) -> None:  # type: ignore[no-untyped-def]
    from django.db.models import Value
    from django.db.models.functions import Upper

    event = _event(issue, unit_leader, "说明")
    event.note = Upper(Value("x"))
    with pytest.raises(ValueError, match="expression"):
        PreparedInsert(event, late=("kind",))


def test_it_runs_once(issue, unit_leader) -> None:  # type: ignore[no-untyped-def]
    insert = PreparedInsert(_event(issue, unit_leader, "一次"))
    insert.run()
    with pytest.raises(ValueError, match="once"):
        insert.run()
    assert IssueEvent.objects.filter(note="一次").count() == 1


def test_a_failed_insert_marks_the_transaction_for_rollback(issue) -> None:  # type: ignore[no-untyped-def]
    from django.db import IntegrityError

    again = _issue_like(issue, "dup")
    insert = PreparedInsert(again, late=("id",))

    class Leave(Exception):
        pass

    with pytest.raises(Leave), transaction.atomic():
        with pytest.raises(IntegrityError):
            insert.run(id=issue.pk)  # taken
        assert transaction.get_connection().needs_rollback
        raise Leave  # the block rolls back, as a caller's would


def test_the_statement_is_built_once_per_model(issue, unit_leader, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db.models.sql.compiler import SQLInsertCompiler

    at = timezone.now()
    first = _event(issue, unit_leader, "第一条")
    first.at = at
    prepared_insert._statements.clear()  # the fixture's report kept one
    PreparedInsert(first).run()  # built by the compiler, and kept

    def refuse(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the INSERT was built again")

    monkeypatch.setattr(SQLInsertCompiler, "as_sql", refuse)
    again = _event(issue, unit_leader, "第二条")
    again.at = at
    with transaction.atomic():
        PreparedInsert(again, late=("note",)).run(note="第一条")
    monkeypatch.undo()
    saved = _event(issue, unit_leader, "第一条")
    saved.at = at
    saved.save()
    assert _stored(again) == _stored(first) == _stored(saved)


def test_a_kept_statement_still_refuses_expressions(issue, unit_leader) -> None:  # type: ignore[no-untyped-def]
    from django.db.models import Value

    PreparedInsert(_event(issue, unit_leader, "先建一次")).run()
    event = _event(issue, unit_leader, "说明")
    event.note = Value("x")
    with pytest.raises(ValueError, match="expression"):
        PreparedInsert(event)


def test_an_id_given_or_returned_are_two_statements(issue) -> None:  # type: ignore[no-untyped-def]
    returned = _issue_like(issue, "returned")
    PreparedInsert(returned).run()  # the database makes the id
    given = _issue_like(issue, "given")
    PreparedInsert(given, late=("id",)).run(id=returned.pk + 500)
    returned_too = _issue_like(issue, "returned-too")
    PreparedInsert(returned_too).run()
    assert given.pk == returned.pk + 500
    assert returned_too.pk not in (returned.pk, given.pk)
    written = Issue.objects.filter(pk__in=[returned.pk, given.pk, returned_too.pk])
    assert {i.number for i in written} == {"returned", "given", "returned-too"}


def test_every_relation_late_leaves_nothing_to_check(issue, unit_leader) -> None:  # type: ignore[no-untyped-def]
    unsaved = Issue()  # the report's own issue is not saved when its event is prepared
    event = IssueEvent(
        issue=unsaved,
        kind=IssueEvent.Kind.COMMENTED,
        actor=None,
        to_state=State.REPORTED,
        note="全部迟给",
        data={},
        at=timezone.now(),
    )
    insert = PreparedInsert(event, late=("issue", "actor"))
    insert.run(issue=issue, actor=unit_leader)
    stored = IssueEvent.objects.get(pk=event.pk)
    assert (stored.issue_id, stored.actor_id) == (issue.pk, unit_leader.pk)


def test_an_unsaved_related_object_not_late_is_refused(issue, unit_leader) -> None:  # type: ignore[no-untyped-def]
    event = _event(issue, unit_leader, "说明")
    event.issue = Issue()
    with pytest.raises(ValueError, match="unsaved related object 'issue'"):
        PreparedInsert(event)
