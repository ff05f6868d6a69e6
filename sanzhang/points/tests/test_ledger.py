"""The ledger: awards under the rule in force, rule versions, caps, idempotency, corrections
and the append-only promise."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db.models import Sum
from django.utils import timezone

from sanzhang.audit.models import AuditEvent
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.points import periods
from sanzhang.points.models import AppendOnlyError, Cause, PointEntry, PointRule
from sanzhang.points.services import Source, award, balance, change_rule, correct

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def training(n: int) -> Source:
    return Source(f"training:{n}", f"夜间课堂第{n}期")


def test_totals_equal_the_sum_of_causes_after_a_rule_change(
    rules, member_a, county_officer
) -> None:
    first = award(member_a, Cause.TASK_JOINED, Source("task:1", "送餐"), at=at("2025-06-01 10:00"))
    award(member_a, Cause.GOOD_RATING, Source("rating:1", "GC-1"), at=at("2025-06-02 10:00"))
    v2 = change_rule(
        Cause.TASK_JOINED,
        points=6,
        valid_from=timezone.localdate(),
        actor=county_officer,
        note="加大激励",
    )
    later = award(member_a, Cause.TASK_JOINED, Source("task:2", "送药"))
    assert first is not None and later is not None
    first.refresh_from_db()
    assert (first.points, first.rule_id) == (4, rules[Cause.TASK_JOINED].pk)  # never rewritten
    assert (later.points, later.rule_id) == (6, v2.pk)
    old = PointRule.objects.get(pk=rules[Cause.TASK_JOINED].pk)
    assert old.valid_to == v2.valid_from and old.points == 4
    by_cause = dict(
        PointEntry.objects.filter(person=member_a).values_list("cause").annotate(Sum("points"))
    )
    assert by_cause == {Cause.TASK_JOINED: 10, Cause.GOOD_RATING: 2}
    assert balance(member_a) == sum(by_cause.values()) == 12
    assert AuditEvent.objects.filter(action="points.rule_changed").count() == 1


def test_an_award_before_a_new_version_starts_uses_the_old_one(rules, member_a, county_officer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    change_rule(Cause.TASK_JOINED, points=9, valid_from=tomorrow, actor=county_officer)
    entry = award(member_a, Cause.TASK_JOINED, Source("task:9", "清扫"))
    assert entry is not None and entry.points == 4


def test_a_rule_change_is_never_back_dated_and_only_the_office_makes_it(
    rules, county_officer, community_staff
) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(Invalid):
        change_rule(Cause.VISIT, points=2, valid_from=yesterday, actor=county_officer)
    with pytest.raises(NotAllowed):
        change_rule(Cause.VISIT, points=2, valid_from=timezone.localdate(), actor=community_staff)
    assert PointRule.objects.filter(cause=Cause.VISIT).count() == 1


def test_a_cap_per_day_holds_and_a_new_day_starts_afresh(rules, member_a) -> None:
    given = [
        award(member_a, Cause.VISIT, Source(f"visit:{n}", "走访"), at=at("2025-05-06 09:00"))
        for n in range(5)
    ]
    assert [e.points if e else None for e in given] == [1, 1, 1, None, None]
    assert award(member_a, Cause.VISIT, Source("visit:9", "走访"), at=at("2025-05-07 08:00"))


def test_the_last_award_under_a_cap_is_cut_to_what_is_left(rules, member_a) -> None:
    points = [
        award(member_a, Cause.TRAINING_ATTENDED, training(n), at=at(f"2025-03-{n:02d} 19:00"))
        for n in (3, 10, 17)
    ]
    assert [e.points if e else None for e in points] == [5, 3, None]
    assert balance(member_a, periods.month(2025, 3)) == 8
    assert award(member_a, Cause.TRAINING_ATTENDED, training(30), at=at("2025-04-01 19:00"))


def test_an_award_retried_gives_nothing_more(rules, member_a) -> None:
    one = award(member_a, Cause.TASK_JOINED, Source("task:7", "送餐"))
    two = award(member_a, Cause.TASK_JOINED, Source("task:7", "送餐"))
    assert one is not None and two is not None and one.pk == two.pk
    assert PointEntry.objects.filter(person=member_a).count() == 1


def test_no_rule_in_force_gives_no_points(rules, member_a) -> None:
    assert award(member_a, Cause.WISH_FULFILLED, Source("wish:1", "买药")) is None
    assert (
        award(member_a, Cause.TASK_JOINED, Source("task:1", "x"), at=at("2024-12-31 10:00")) is None
    )


def test_corrections_need_a_reason_and_the_county_office(
    rules, member_a, county_officer, community_staff, unit_leader
) -> None:
    with pytest.raises(Invalid):
        correct(member_a, -2, "  ", actor=county_officer)
    for someone in (community_staff, unit_leader):
        with pytest.raises(NotAllowed):
            correct(member_a, -2, "重复计分", actor=someone)
    with pytest.raises(Invalid):
        award(member_a, Cause.CORRECTION, Source("x:1", "x"))
    entry = correct(member_a, -2, "重复计分", actor=county_officer)
    assert (entry.cause, entry.points, entry.rule, entry.recorded_by) == (
        Cause.CORRECTION,
        -2,
        None,
        county_officer,
    )
    assert balance(member_a) == -2
    assert AuditEvent.objects.filter(action="points.corrected", object_id=str(entry.pk)).exists()


def test_entries_are_never_updated_or_deleted(rules, member_a) -> None:
    entry = award(member_a, Cause.TASK_JOINED, Source("task:1", "送餐"))
    assert entry is not None
    entry.points = 100
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        PointEntry.objects.filter(pk=entry.pk).update(points=100)
    with pytest.raises(AppendOnlyError):
        PointEntry.objects.all().delete()


def test_periods_parse_months_quarters_years_and_spans() -> None:
    assert periods.parse("2026-03") == periods.month(2026, 3)
    assert periods.parse("2026-Q4").end == datetime.date(2027, 1, 1)  # type: ignore[union-attr]
    assert periods.parse("2025").start == datetime.date(2025, 1, 1)  # type: ignore[union-attr]
    span = periods.parse("2026-01-05..2026-02-04")
    assert span is not None and span.end == datetime.date(2026, 2, 5)
    assert periods.parse("2026-13") is None and periods.parse("2026-02-01..2026-01-01") is None
    assert periods.containing("week", datetime.date(2026, 3, 5)).start == datetime.date(2026, 3, 2)
