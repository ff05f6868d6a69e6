"""Points from the issue loop, without the loop knowing: when an issue is rated satisfied, the
holder of the owner post at that moment, if a party member, gets `good_rating`, and also
`issue_solved_on_time` when no step before the feedback ran past its deadline.

It runs in the rating's transaction, inside a savepoint: an award that fails is logged and
never undoes the rating; `manage.py award_issue_points` gives anything missed (awards are
idempotent, so running it again changes nothing).
"""

from __future__ import annotations

import datetime
import logging
from itertools import pairwise
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from sanzhang.issues.models import NOTE_KINDS, IssueEvent, State
from sanzhang.people.models import Person
from sanzhang.posts.models import Tenure

from .models import Cause, PointEntry
from .services import award

logger = logging.getLogger(__name__)

# The steps the owner (and the inspector) answer for; waiting for the resident's rating is not.
TIMED_STATES = {
    State.REPORTED,
    State.ASSIGNED,
    State.IN_PROGRESS,
    State.HANDLED,
    State.INSPECTED,
}


def on_issue_event(sender: Any, instance: IssueEvent, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or instance.kind != IssueEvent.Kind.RATED_SATISFIED:
        return
    try:
        with transaction.atomic():
            award_for_rating(instance)
    except DatabaseError:
        logger.exception("points for the rating of issue %s not given", instance.issue_id)


def holder_at(post_id: int | None, day: datetime.date) -> Person | None:
    """Who held the post on `day`, if they are a registered party member."""
    if post_id is None:
        return None
    tenure = (
        Tenure.objects.filter(post_id=post_id, role=Tenure.Role.HOLDER, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .filter(person__party_member__isnull=False)
        .select_related("person")
        .order_by("-started_on")
        .first()
    )
    return tenure.person if tenure else None


def solved_on_time(issue_id: int) -> bool:
    """No timed step of the issue was left after its deadline, and none went overdue."""
    moves = (
        IssueEvent.objects.filter(issue_id=issue_id)
        .exclude(kind__in=NOTE_KINDS)
        .order_by("at", "id")
        .values_list("kind", "to_state", "due_at", "at")
    )
    return on_time(list(moves))


def on_time(moves: list[tuple[str, str, datetime.datetime | None, datetime.datetime]]) -> bool:
    """The same, from an issue's (kind, to_state, due_at, at) moves in order."""
    for (kind, state, due, _at), (_kind, _state, _due, left) in pairwise(moves):
        if kind == IssueEvent.Kind.OVERDUE:
            return False
        if state in TIMED_STATES and due is not None and left > due:
            return False
    return True


def award_for_rating(event: IssueEvent) -> list[PointEntry]:
    if event.data.get("on_behalf"):
        # A call-back (回访) recorded by staff earns the owner nothing: points reward the
        # residents' own ratings, which staff could otherwise write for their colleagues.
        return []
    person = holder_at(event.data.get("owner_post"), timezone.localdate(event.at))
    if person is None:
        return []
    issue = event.issue
    given = [award(person, Cause.GOOD_RATING, issue, at=event.at)]
    if solved_on_time(issue.pk):
        given.append(award(person, Cause.ISSUE_SOLVED_ON_TIME, issue, at=event.at))
    return [entry for entry in given if entry is not None]


def _party_member(person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    return Person.objects.filter(pk=person_id, party_member__isnull=False).first()


def _quietly(what: str, give: Any) -> None:
    """Give points inside a savepoint: a failure is logged, never undoes the deed itself."""
    try:
        with transaction.atomic():
            give()
    except DatabaseError:
        logger.exception("points for %s not given", what)


def on_visit(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A household visit by a party member (敲门走访)."""
    if not created or kwargs.get("raw"):
        return
    person = _party_member(instance.leader.person_id)
    if person is not None:
        _quietly(
            f"visit {instance.pk}",
            lambda: award(person, Cause.VISIT, instance, at=instance.visited_at),
        )


def on_wish_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A micro-wish the resident confirmed fulfilled: its claimer's (认领微心愿)."""
    if not created or kwargs.get("raw") or instance.kind != "confirmed":
        return
    person = _party_member(instance.wish.claimer_id)
    if person is not None:
        _quietly(
            f"wish {instance.wish_id}",
            lambda: award(person, Cause.WISH_FULFILLED, instance.wish, at=instance.at),
        )


def on_signup(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A community task a party member served in, once its hours are recorded."""
    if kwargs.get("raw") or instance.hours is None:
        return
    person = _party_member(instance.volunteer.person_id)
    if person is not None:
        _quietly(
            f"signup {instance.pk}",
            lambda: award(person, Cause.TASK_JOINED, instance, at=instance.task.starts_at),
        )
