"""A report is routed with who held the posts a few seconds ago (posts.holding, kept in each
process); a holder who stands down here is passed over at once, and one who left through
another process (no signal here) is caught by the worker, which routes the report afresh
before anyone is told."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanzhang.conftest import run_queued_tasks
from sanzhang.core.kept import forget_all
from sanzhang.issues import settling
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Category, Issue, IssueEvent
from sanzhang.issues.tests.conftest import reseed
from sanzhang.notifications.models import Notification
from sanzhang.posts import holding
from sanzhang.posts.models import Tenure
from sanzhang.posts.services import stand_down

pytestmark = pytest.mark.django_db

TEXT = "楼道里堆放杂物"


def report(who, loop):  # type: ignore[no-untyped-def]
    """A unit's problem (sanitation: simple, the unit leader's first)."""
    sanitation = Category.objects.get(code="sanitation", place=None)
    return submit(who, place=loop.unit_a1_1, text=TEXT, category=sanitation).issue


def _unit_tenure(loop) -> Tenure:  # type: ignore[no-untyped-def]
    return Tenure.objects.current().get(post__place=loop.unit_a1_1, role=Tenure.Role.HOLDER)


def reported_after_the_holder_left_elsewhere(resident, loop):  # type: ignore[no-untyped-def]
    """A report made once the unit leader's tenure was ended by another process: this one
    hears nothing, keeps its copy of the holders and stores the report with the one who left."""
    forget_all()
    report(resident, loop)
    run_queued_tasks()
    Tenure.objects.filter(pk=_unit_tenure(loop).pk).update(ended_on=timezone.localdate())
    return report(resident, loop)


def test_a_second_report_reads_no_holders(loop, resident) -> None:
    forget_all()  # as if the fixtures' rows were committed
    first = report(resident, loop)
    with CaptureQueriesContext(connection) as queries:
        second = report(resident, loop)
    assert second.owner_post == first.owner_post and second.owner_place == loop.unit_a1_1
    assert not [q for q in queries if "posts_tenure" in q["sql"] or "places_place" in q["sql"]]


def test_a_holder_who_stands_down_here_is_passed_over_by_the_next_report(
    loop, resident, unit_leader, building_leader
) -> None:
    forget_all()
    assert report(resident, loop).owner_place == loop.unit_a1_1
    stand_down(_unit_tenure(loop), reason="搬走了")  # a conditional UPDATE: no signal
    after = report(resident, loop)
    assert after.owner_place == loop.building_a1  # nothing routed to the empty chair


def test_a_holder_who_left_through_another_process_is_caught_by_the_worker(
    loop, resident, unit_leader, building_leader
) -> None:
    stale = reported_after_the_holder_left_elsewhere(resident, loop)
    assert stale.owner_place == loop.unit_a1_1  # as stored, from the copy
    run_queued_tasks()
    stale.refresh_from_db()
    assert stale.owner_place == loop.building_a1
    assert stale.version == 2
    routed = IssueEvent.objects.get(issue=stale, kind=IssueEvent.Kind.ROUTED)
    assert routed.data["tier"] == stale.tier  # the same tier: only the owner moved
    assert routed.data["owner_place"] == loop.building_a1.pk  # from whom to whom
    assert routed.data["reported"]["owner_place"] == loop.unit_a1_1.pk
    reported = IssueEvent.objects.get(issue=stale, kind=IssueEvent.Kind.REPORTED)
    told = set(Notification.objects.filter(event=reported).values_list("recipient", flat=True))
    assert building_leader.pk in told
    assert unit_leader.pk not in told  # the one who left hears nothing of it


def test_a_report_whose_owner_stands_is_not_routed_again(loop, resident, unit_leader) -> None:
    forget_all()
    simple = report(resident, loop)
    hard = submit(resident, place=loop.unit_a1_1, text=TEXT,
                  category=Category.objects.get(code="planning", place=None)).issue  # fmt: skip
    run_queued_tasks()
    for issue in (simple, hard):
        issue.refresh_from_db()
        assert issue.version == 1 and not issue.notices_pending
        assert not IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.ROUTED).exists()
    assert hard.owner_organisation is not None  # the county office's, as stored


def test_a_reading_that_fails_still_settles_the_owner(
    loop, resident, unit_leader, building_leader, monkeypatch
) -> None:
    """The county's model failing must not leave a report with an empty chair."""
    stale = reported_after_the_holder_left_elsewhere(resident, loop)

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("the model could not be loaded")

    monkeypatch.setattr(settling, "suggest_tier", broken)
    run_queued_tasks()
    stale.refresh_from_db()
    assert stale.owner_place == loop.building_a1
    assert not stale.notices_pending


@pytest.mark.django_db(transaction=True)
def test_a_kept_post_removed_elsewhere_is_read_again_rather_than_failing_the_report(
    loop, resident, unit_leader, building_leader
) -> None:
    reseed()  # the categories the migrations seed, flushed by the test before
    forget_all()
    unit_post = _unit_tenure(loop).post
    assert holding.held_along(loop.unit_a1_1, recent=True).posts[loop.unit_a1_1.pk] == unit_post
    with connection.cursor() as cursor:  # another process removes the post: no signal here
        cursor.execute("DELETE FROM posts_tenure WHERE post_id = %s", [unit_post.pk])
        cursor.execute("DELETE FROM posts_post WHERE id = %s", [unit_post.pk])
    issue = report(resident, loop)
    assert issue.owner_place == loop.building_a1
    assert Issue.objects.count() == 1
