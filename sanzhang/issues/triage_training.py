"""What the triage model learns from (分流模型的训练数据): a county's issues as people confirmed
them, and the lead departments its meetings gave hard issues to. Retrained by the worker on a
schedule, one task per county, and by `manage.py train_triage`.

An issue counts once a person settled it: its latest tier-changing event is a confirmation
(`confirm`, by the owner or supervisor) or a meeting's assignment (a hard issue given to a
department). A report still waiting, or escalated since it was confirmed (the escalation's
tier is nobody's judgement yet), teaches nothing; the reporter's or the keywords' first guess
is never a label."""

from __future__ import annotations

import logging

from django.db.models import OuterRef, Subquery
from django.tasks import task

from sanzhang.places.models import Place, PlaceKind
from sanzhang.triage.services import MAX_ROWS, Row, train

from .models import AgendaItem, Issue, IssueEvent

log = logging.getLogger(__name__)

CONFIRMING = [IssueEvent.Kind.CONFIRMED, IssueEvent.Kind.ASSIGNED]
# Events that set an issue's tier or category: the latest of them says whether a person
# stands behind the issue's tier and category as they are.
TIER_EVENTS = [
    IssueEvent.Kind.REPORTED,
    *CONFIRMING,
    IssueEvent.Kind.ESCALATED,
    IssueEvent.Kind.OVERDUE,
    IssueEvent.Kind.RETURNED,  # sent back as mis-routed: waiting to be triaged again
]


def confirmed_rows(county_code: str, limit: int = MAX_ROWS) -> list[Row]:
    """The county's confirmed issues, newest first, as training rows (one query)."""
    latest = IssueEvent.objects.filter(issue=OuterRef("pk"), kind__in=TIER_EVENTS).order_by(
        "-at", "-id"
    )
    lead = AgendaItem.objects.filter(issue=OuterRef("pk"), lead_department__isnull=False)
    issues = (
        Issue.objects.filter(place__code__under=county_code)
        .annotate(
            settled_by=Subquery(latest.values("kind")[:1]),
            lead=Subquery(lead.order_by("-assigned_at", "-id").values("lead_department__name")[:1]),
        )
        .filter(settled_by__in=CONFIRMING)
        .order_by("-created_at", "-id")
    )
    values = issues.values_list("text", "category__code", "tier", "lead")[:limit]
    return [Row(text, category, tier, lead or "") for text, category, tier, lead in values]


def counties() -> list[str]:
    """The codes of the counties in the tree (an install of one county: its root)."""
    return list(
        Place.objects.filter(kind=PlaceKind.COUNTY).order_by("code").values_list("code", flat=True)
    )


def train_county(county_code: str) -> int | None:
    """Fit a new version of the county's model from its confirmed history; its version, or
    None when there is too little history (the keywords keep suggesting)."""
    model = train(county_code, confirmed_rows(county_code))
    return model.version if model is not None else None


@task()
def train_county_task(county_code: str) -> str:
    version = train_county(county_code)
    return f"{county_code}: " + (f"version {version}" if version else "too little history")


def train_all() -> str:
    """The scheduled run: one training task per county, so counties train side by side on
    the workers and one county's failure stops no other."""
    queued = 0
    for code in counties():
        try:
            train_county_task.enqueue(code)
            queued += 1
        except Exception:  # the queue is down: this county keeps its model until tomorrow
            log.exception("could not queue the triage training of %s", code)
    return f"{queued} counties queued"
