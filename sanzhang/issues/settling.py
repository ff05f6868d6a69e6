"""A new report's reading settled by the worker (分流建议): the county's triage model reads
its text and the grid's recent history is counted after the report commits, not in the
resident's request, where they were half of a report's time.

The request stores the report already routed, by the keywords' category (unless the reporter
chose one) and the category's default tier, so it always has an owner, whether or not a worker
runs. The worker, in the transaction that writes the report's notices and before it writes
them, reads it again as `suggest` reads any report (the model's category and tier, one tier up
for a problem that keeps coming back) and, when that reading differs, routes it again by a
conditional UPDATE that holds only while nobody has acted on it, and records it as a ROUTED
event of its own (the REPORTED event keeps what the report was stored with, so a summary made
late reads each evening's deadline as it stood then): those told are told of the owner it
settled with. A report stored before this reading moved (its REPORTED event without
`category_chosen`) was read in full by its request and is left as it is."""

from __future__ import annotations

import logging

from django.utils import timezone

from . import rulebook
from .deadlines import due_at
from .models import Issue, IssueEvent, State
from .routing import RoutingError, route
from .suggest import suggest_category, suggest_tier

log = logging.getLogger(__name__)


def settle(event: IssueEvent) -> bool:
    """Read the report of this REPORTED `event` again in full and route it afresh if the
    reading differs from what it was stored with; whether it moved. Call in the transaction
    that claims its telling."""
    issue = event.issue
    data = event.data or {}
    if "category_chosen" not in data:
        return False
    place = issue.place
    category = issue.category
    if not data["category_chosen"]:
        in_force = rulebook.categories(place.code)
        category = suggest_category(issue.text, in_force, code=place.code) or category
    tier = suggest_tier(category, place, report=issue)
    if (category.pk, tier) == (issue.category_id, issue.tier):
        return False
    try:
        owner = route(place, tier, category)
    except RoutingError:
        log.warning("issue %s stays with its first owner: no owner for %s", issue.pk, tier)
        return False
    due = due_at(tier, State.REPORTED, issue.created_at, code=place.code)
    now = timezone.now()
    moved = Issue.objects.filter(
        pk=issue.pk,
        state=State.REPORTED,
        category_id=issue.category_id,
        tier=issue.tier,
        owner_place_id=issue.owner_place_id,
    ).update(
        category=category,
        tier=tier,
        owner_place=owner.place,
        owner_post=owner.post,
        owner_organisation=owner.organisation,
        due_at=due,
        updated_at=now,
    )
    if not moved:  # someone has acted on it since: theirs stands
        return False
    # An event of its own, not the REPORTED one rewritten: a summary made late reads the
    # deadline each evening as it stood then.
    IssueEvent.objects.create(
        issue=issue,
        kind=IssueEvent.Kind.ROUTED,
        from_state=State.REPORTED,
        to_state=State.REPORTED,
        data={
            "tier": tier,
            "category": category.code,
            "reported": {"tier": issue.tier, "category": issue.category.code},
        },
        due_at=due,
        at=now,
    )
    issue.category, issue.tier, issue.due_at = category, tier, due
    issue.owner_place, issue.owner_post = owner.place, owner.post
    issue.owner_organisation = owner.organisation
    return True
