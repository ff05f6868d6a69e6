"""A report's number (日期-编号) is written with its insert: the id it is made from is claimed
inside the report's own transaction (core.next_id), is the id the row gets, and is never
handed out twice, even after the latest row is deleted (AUTOINCREMENT's rule on SQLite, the
sequence on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.utils import timezone

from sanzhang.core.next_id import next_id
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue, IssueEvent

pytestmark = pytest.mark.django_db


def _report(loop, leader, text: str) -> Issue:  # type: ignore[no-untyped-def]
    return submit(leader, place=loop.unit_a1_1, text=text, channel="patrol").issue


def test_the_number_is_the_county_day_and_the_rows_id(loop, unit_leader) -> None:
    issue = _report(loop, unit_leader, "楼道灯不亮")
    stored = Issue.objects.get(pk=issue.pk)
    day = timezone.localtime(stored.created_at).strftime("%Y%m%d")
    assert stored.number == issue.number == f"{day}-{stored.pk:06d}"


def test_an_id_is_never_handed_out_again(loop, unit_leader) -> None:
    first = _report(loop, unit_leader, "井盖松动")
    latest = _report(loop, unit_leader, "路灯坏了")
    gone = latest.pk
    IssueEvent.objects.filter(issue=latest).delete()
    latest.delete()  # the newest row gone: its id must not come back
    after = _report(loop, unit_leader, "下水道堵了")
    assert after.pk > gone > first.pk
    assert after.number.endswith(f"-{after.pk:06d}")


def test_the_claimed_id_is_the_one_the_next_insert_takes(loop, unit_leader) -> None:
    _report(loop, unit_leader, "垃圾没人清")
    with transaction.atomic():
        claimed = next_id(Issue)
    issue = _report(loop, unit_leader, "墙面开裂")
    # SQLite claims without taking (the next insert takes it); PostgreSQL's sequence moves on.
    expected = claimed if connection.vendor == "sqlite" else claimed + 1
    assert issue.pk == expected


@pytest.mark.django_db(transaction=True)
def test_sqlite_claims_only_inside_the_inserting_transaction() -> None:
    if connection.vendor != "sqlite":
        assert next_id(Issue) >= 1  # a sequence needs no transaction
        return
    with pytest.raises(RuntimeError):
        next_id(Issue)
