"""A new report's reading settled by the worker (分流建议): the county's triage model reads
its text and the grid's recent history is counted after the report commits, not in the
resident's request, where they were half of a report's time.

The request stores the report already routed, by the keywords' category (unless the reporter chose
one) and the category's default tier, with who held the posts a few seconds before (posts.holding),
so it always has an owner, whether or not a worker runs. The worker reads it again as `suggest`
reads any report (the model's category and tier, one tier up for a problem that keeps coming back)
before its telling, outside any transaction (a first reading loads the model); then, in the
transaction that claims the telling, routes it afresh (also when only the owner differs: a post fell
vacant meanwhile) by a conditional UPDATE that holds only while nobody has acted on it (its first
version, on no meeting's agenda), recorded as a ROUTED event of its own (the REPORTED event keeps
what the report was stored with, so a summary made late reads each evening's deadline as it stood
then). Those told are told of the owner it settled with. A report stored before this reading moved
(its REPORTED event without `category_chosen`) was read in full by its request."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from . import rulebook
from .deadlines import due_at
from .models import AgendaItem, Category, Issue, IssueEvent, State
from .routing import Owner, RoutingError, route
from .suggest import suggest_category, suggest_tier

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reading:
    """A report read otherwise than it was stored with, and whom that routes it to."""

    issue_id: int
    stored: tuple[int, str]  # its category's id and tier as stored
    category: Category
    tier: str
    owner: Owner
    due: datetime.datetime | None


def read(issue_id: int) -> Reading | None:
    """The report's reading in full when it differs from what it was stored with, or None.
    Reads only: call outside a transaction, before claiming the telling."""
    event = (
        IssueEvent.objects.select_related("issue__place", "issue__category")
        .filter(issue_id=issue_id, kind=IssueEvent.Kind.REPORTED)
        .first()
    )
    if event is None or "category_chosen" not in (event.data or {}):
        return None
    issue = event.issue
    if issue.version != 1 or not issue.notices_pending:
        return None  # acted on already, or told
    place = issue.place
    as_stored = (issue.category, issue.tier)
    # The reading, else the owner alone settled as stored (the request's holders may be
    # seconds old: nothing may stay with an empty chair because the model failed).
    for category, tier in dict.fromkeys([_reading(issue, event.data), as_stored]):
        try:
            owner = route(place, tier, category)  # holders read now
            break
        except RoutingError:
            log.warning("issue %s: no owner for %s %s", issue.pk, tier, category.code)
    else:
        return None
    settled = (category.pk, tier, owner.place.pk, _pk(owner.post), _pk(owner.organisation))
    stored = (issue.category_id, issue.tier, issue.owner_place_id, issue.owner_post_id,
              issue.owner_organisation_id)  # fmt: skip
    if settled == stored:
        return None
    due = due_at(tier, State.REPORTED, issue.created_at, code=place.code)
    return Reading(issue.pk, (issue.category_id, issue.tier), category, tier, owner, due)


def _reading(issue: Issue, reported: dict[str, Any]) -> tuple[Category, str]:
    """The category (unless the reporter chose one) and tier `suggest` reads in the report;
    as stored when the reading fails."""
    place, category = issue.place, issue.category
    try:
        if not reported["category_chosen"]:
            in_force = rulebook.categories(place.code)
            category = suggest_category(issue.text, in_force, code=place.code) or category
        return category, suggest_tier(category, place, report=issue)
    except Exception:
        log.exception(
            "issue %s could not be read in full; its owner is settled as stored", issue.pk
        )
        return issue.category, issue.tier


def _owner_ids(place: int, post: int | None, organisation: int | None) -> dict[str, int | None]:
    return {"owner_place": place, "owner_post": post, "owner_organisation": organisation}


def _pk(row: models.Model | None) -> int | None:
    return row.pk if row is not None else None


def apply(reading: Reading, issue: Issue) -> bool:
    """Route `issue` (the REPORTED event's, updated in memory for the telling) by `reading`
    if nobody has acted on it since it was stored; whether it moved. Call in the transaction
    that claims the telling; a failure here is logged and the report is told as stored."""
    now = timezone.now()
    category_id, tier = reading.stored
    owner = reading.owner
    try:
        with transaction.atomic():
            moved = (
                Issue.objects.filter(
                    pk=reading.issue_id,
                    version=1,
                    state=State.REPORTED,
                    category_id=category_id,
                    tier=tier,
                )
                .exclude(Exists(AgendaItem.objects.filter(issue=OuterRef("pk"))))
                .update(
                    category=reading.category,
                    tier=reading.tier,
                    owner_place=reading.owner.place,
                    owner_post=reading.owner.post,
                    owner_organisation=reading.owner.organisation,
                    due_at=reading.due,
                    version=F("version") + 1,
                    updated_at=now,
                )
            )
            if not moved:  # someone has acted on it since: theirs stands
                return False
            IssueEvent.objects.create(
                issue_id=reading.issue_id,
                kind=IssueEvent.Kind.ROUTED,
                from_state=State.REPORTED,
                to_state=State.REPORTED,
                data={
                    "tier": reading.tier,
                    "category": reading.category.code,
                    **_owner_ids(owner.place.pk, _pk(owner.post), _pk(owner.organisation)),
                    "reported": {
                        "tier": tier,
                        "category": issue.category.code,
                        **_owner_ids(
                            issue.owner_place_id, issue.owner_post_id, issue.owner_organisation_id
                        ),
                    },
                },
                due_at=reading.due,
                at=now,
            )
    except Exception:
        log.exception("issue %s could not be routed by its reading; told as stored", issue.pk)
        return False
    issue.category, issue.tier, issue.due_at = reading.category, reading.tier, reading.due
    issue.owner_place, issue.owner_post = reading.owner.place, reading.owner.post
    issue.owner_organisation = reading.owner.organisation
    issue.version += 1
    return True
