"""What a report costs on the request path: a fixed number of queries, whatever the history,
the rules read from memory (issues.rulebook) and seen again as soon as the office changes them,
and the 201 answer built from what was written."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sanzhang.core.kept import forget_all
from sanzhang.issues import rulebook
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Category, Issue, RoutingRule, State, Tier

pytestmark = pytest.mark.django_db

# Session and user 2, the rate limits' counters in one statement 1, home 1, the
# transaction (begin, the id claimed, issue, event, the telling queued, commit) 6, savepoints and
# what the backend adds: a ceiling with room. The place's ancestors and holders are kept
# (posts.holding), the tier's recurrence and the owners to tell are the worker's.
MAX_QUERIES = 14


def _report(client: Client, text: str, key: str):  # type: ignore[no-untyped-def]
    return client.post("/api/issues/", {"text": text, "intake_key": key})


def _queries_of_a_report(client: Client, key: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = _report(client, "楼道里堆满了杂物没人清扫", key)
    assert response.status_code == 201, response.content
    return len(queries)


def test_a_report_costs_the_same_queries_whatever_the_history(loop, resident, unit_leader) -> None:
    forget_all()  # as if the fixtures' rows were committed: the rules may be kept from here
    client = Client()
    client.force_login(resident)
    _report(client, "warm", "warm")  # the rules and holders are read once, not per report
    first = _queries_of_a_report(client, "k1")
    for i in range(40):  # a history to scan, were it scanned
        submit(unit_leader, place=loop.unit_a1_1, text=f"垃圾桶满了 {i}", channel="patrol")
    assert _queries_of_a_report(client, "k2") == first <= MAX_QUERIES


def test_the_answer_is_the_issue_as_written(loop, resident) -> None:
    client = Client()
    client.force_login(resident)
    created = _report(client, "路灯坏了好几天", "one")
    assert created.status_code == 201
    again = _report(client, "路灯坏了好几天", "one")  # a retry reads it from the database
    assert again.status_code == 200
    fresh, stored = created.json(), again.json()
    for field in ("number", "version", "place_code", "category", "state", "text", "events"):
        assert fresh[field] == stored[field], field
    assert fresh["state"] == State.REPORTED
    assert Issue.objects.count() == 1


def test_rules_changed_by_the_office_apply_at_once(loop, unit_leader) -> None:
    text = "楼道垃圾没人清扫"
    before = submit(unit_leader, place=loop.unit_a1_1, text=text, channel="patrol").issue
    assert (before.tier, before.owner_place) == (Tier.SIMPLE, loop.unit_a1_1)  # the unit leader
    rule = RoutingRule.objects.get(place=None, tier=Tier.SIMPLE, category=None, place_kind="")
    rule.owner_levels = "grid"
    rule.save()
    after = submit(unit_leader, place=loop.unit_a1_1, text=text + "。", channel="patrol").issue
    assert (after.tier, after.owner_place) == (Tier.SIMPLE, loop.grid_a)
    retired = Category.objects.get(place=None, code="roads")
    retired.is_active = False
    retired.save()
    assert "roads" not in {c.code for c in rulebook.categories(loop.unit_a1_1.code)}


def test_another_process_sees_a_change_within_the_kept_time(loop, monkeypatch) -> None:
    """A change made elsewhere (no signal here) is read again once the copy is older than
    its time; until then this process keeps what it read."""
    forget_all()  # as if the fixtures' rows were committed
    assert "other" in {c.code for c in rulebook.categories(loop.unit_a1_1.code)}
    Category.objects.filter(place=None, code="other").update(is_active=False)  # no signal
    assert "other" in {c.code for c in rulebook.categories(loop.unit_a1_1.code)}
    monkeypatch.setattr(rulebook._kept, "max_age", 0.0)
    assert "other" not in {c.code for c in rulebook.categories(loop.unit_a1_1.code)}


def test_rules_read_in_a_transaction_that_rolls_back_are_not_kept(loop) -> None:
    forget_all()
    before = {c.code for c in rulebook.categories(loop.unit_a1_1.code)}

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        Category.objects.create(place=loop.county, code="phantom", name="幻影")
        # The writing transaction reads its own rules...
        assert {c.code for c in rulebook.categories(loop.unit_a1_1.code)} == {"phantom"}
        raise Undone
    # ...and nobody keeps them once it rolled back.
    assert {c.code for c in rulebook.categories(loop.unit_a1_1.code)} == before
