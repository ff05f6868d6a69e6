"""Weekly supervision (每周一督促): the draft rectification lists, their issue by the county
office, the responsible posts' answers, verification or sending back, and the flag on items
whose deadline passed unanswered.

What goes on a draft, for a village's or community's week (Monday 00:00 to Monday 00:00):
issues overdue when the week closed, issues a dissatisfied resident reopened during it, and
issues finished during it without an inspection (declined ones included: the office checks
that refusals were right). Ratings are satisfied or not, so a low rating is a reopening.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.audit.services import record
from sanzhang.core import lifecycle
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.issues.calendar import add_working_days
from sanzhang.issues.models import Issue, IssueEvent, State
from sanzhang.people.models import Organisation
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import is_under, nearest_in
from sanzhang.posts.models import Post, Tenure

from .models import RectificationItem, RectificationList
from .summaries import state_at

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

LIST_KINDS = [PlaceKind.COMMUNITY, PlaceKind.AREA]
WEEK = datetime.timedelta(days=7)
DEADLINE_WORKING_DAYS = 5
Reason = RectificationItem.Reason
Status = RectificationItem.Status
RECTIFICATION = "rectification"  # the machine's name: listeners hear its moves under it


def week_window(week_start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(week_start, datetime.time(0)))
    return start, start + WEEK


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def findings(week_start: datetime.date) -> dict[int, list[tuple[Issue, str]]]:
    """List place id → [(issue, reason)] for the week, as it stood when the week closed."""
    start, end = week_window(week_start)
    places = dict(Place.objects.active().filter(kind__in=LIST_KINDS).values_list("code", "pk"))
    found: dict[int, list[tuple[Issue, str]]] = defaultdict(list)
    related = ("place", "category", "owner_post", "owner_organisation")

    def add(issues: Any, reason: str) -> None:
        for issue in issues.select_related(*related).order_by("pk"):
            place_id = places.get(nearest_in(issue.place.code, places) or "")
            if place_id is not None:
                found[place_id].append((issue, reason))

    overdue = state_at(end).filter(due_then__lt=end)
    add(overdue, Reason.OVERDUE)
    reopened = IssueEvent.objects.filter(
        kind=IssueEvent.Kind.RATED_DISSATISFIED, at__gte=start, at__lt=end
    ).values("issue_id")
    add(Issue.objects.filter(pk__in=reopened), Reason.REOPENED)
    inspected = IssueEvent.objects.filter(
        issue=OuterRef("pk"), kind=IssueEvent.Kind.INSPECTED, at__lt=end
    )
    uninspected = Issue.objects.filter(
        closed_at__gte=start, closed_at__lt=end, state__in=[State.CLOSED, State.DECLINED]
    ).filter(~Exists(inspected))
    add(uninspected, Reason.UNINSPECTED)
    return found


def describe(issue: Issue, reason: str) -> str:
    """The item's wording, in the county's language (the list is a county document)."""
    with translation.override("zh-hans"):
        what = f"{issue.number} {issue.category.name}：{issue.text[:60]}"
        if reason == Reason.OVERDUE:
            return _("%(issue)s — overdue in its step; finish it and say why it was late.") % {
                "issue": what
            }
        if reason == Reason.REOPENED:
            return _("%(issue)s — the resident was not satisfied: %(why)s") % {
                "issue": what,
                "why": issue.rating_reason[:100],
            }
        return _("%(issue)s — finished without an inspection; check it on the spot.") % {
            "issue": what
        }


def draft_week(
    week_start: datetime.date, within: list[str] | None = None
) -> list[RectificationList]:
    """Draft the week's lists (one per village/community with findings, only under the codes
    `within` when given: an office drafts its own county's); returns the lists drafted now. A
    second run adds nothing; an issued list is never added to."""
    week_start = monday_of(week_start)
    now = timezone.now()
    found_by_place = findings(week_start)
    # Each list's deadline in its own county's calendar.
    codes = dict(Place.objects.filter(pk__in=found_by_place).values_list("pk", "code"))
    drafted = []
    for place_id, found in found_by_place.items():
        if within is not None and not any(is_under(codes[place_id], c) for c in within):
            continue
        deadline = add_working_days(now, DEADLINE_WORKING_DAYS, code=codes[place_id])
        with transaction.atomic():
            rectification, created = RectificationList.objects.get_or_create(
                place_id=place_id, week_start=week_start
            )
            if not created:
                continue
            RectificationItem.objects.bulk_create(
                [
                    RectificationItem(
                        rectification_list=rectification,
                        issue=issue,
                        reason=reason,
                        description=describe(issue, reason),
                        responsible_post=issue.owner_post,
                        responsible_organisation=issue.owner_organisation,
                        deadline=timezone.localdate(deadline),
                    )
                    for issue, reason in found
                ],
                ignore_conflicts=True,
            )
        drafted.append(rectification)
    return drafted


def draft_for_period(period: datetime.datetime) -> str:
    """The scheduled run, on Monday morning: the week that just ended."""
    week_start = monday_of(timezone.localtime(period).date()) - WEEK
    return f"{week_start}: {len(draft_week(week_start))} lists"


# The county office's edits and issue -------------------------------------------------------


def _office(actor: Actor) -> None:
    require(actor, Can.RUN_SUPERVISION, _("Only the county office runs the weekly supervision."))


@dataclass(frozen=True)
class ItemMoved:
    """What the rectification machine emits: an item, the move it made, who made it."""

    item: RectificationItem
    kind: str  # "issued", "answered", "verified", "sent_back", "overdue"
    actor_id: int | None


def _update(
    item: RectificationItem,
    statuses: list[str],
    actor: Actor,
    kind: str = "",
    *,
    audit: tuple[str, dict[str, Any]],
    **changes: Any,
) -> None:
    """Change an item if nobody changed it since it was read; else refuse plainly. A move
    (`kind`) is heard by the listeners (the notices), and `audit` (action, detail) is
    recorded, in the same transaction."""
    with transaction.atomic():
        lifecycle.advance(
            item,
            to_state=changes.pop("status", item.status),
            from_states=statuses,
            conflict=_("Someone else changed this item just now; please look at it again."),
            **changes,
        )
        item.refresh_from_db()
        action, detail = audit
        record(action, actor=actor, obj=item, detail=detail)
        if kind:
            lifecycle.emit(RECTIFICATION, ItemMoved(item, kind, actor.pk))


def edit_item(
    item: RectificationItem,
    actor: Actor,
    *,
    description: str,
    responsible_post: Post | None,
    responsible_organisation: Organisation | None,
    deadline: datetime.date | None,
) -> None:
    _office(actor)
    description = description.strip()
    if not description:
        raise Invalid(_("Say what is to be put right."))
    if deadline is not None and deadline < timezone.localdate():
        raise Invalid(_("The rectification deadline is in the past."))
    _update(
        item,
        [Status.DRAFT, Status.OPEN],
        actor,
        description=description,
        responsible_post=responsible_post,
        responsible_organisation=responsible_organisation,
        deadline=deadline,
        flagged_at=None,
        audit=("rectification.edit", {"deadline": str(deadline)}),
    )


def remove_item(item: RectificationItem, actor: Actor) -> None:
    _office(actor)
    deleted, _rows = RectificationItem.objects.filter(
        pk=item.pk, version=item.version, status=Status.DRAFT
    ).delete()
    if not deleted:
        raise Conflict(_("Only draft items can be removed, and this one changed."))
    record(
        "rectification.remove", actor=actor, obj=item.rectification_list, detail={"item": item.pk}
    )


def issue_list(rectification: RectificationList, actor: Actor) -> int:
    """Issue a draft list: every item needs someone responsible and a deadline."""
    _office(actor)
    items = list(rectification.items.all())
    if not items:
        raise Invalid(_("The list has no items to issue."))
    incomplete = [
        i
        for i in items
        if i.deadline is None or not (i.responsible_post_id or i.responsible_organisation_id)
    ]
    if incomplete:
        raise Invalid(
            _("%(n)d items still need someone responsible and a deadline.") % {"n": len(incomplete)}
        )
    now = timezone.now()
    with transaction.atomic():
        issued = RectificationList.objects.filter(
            pk=rectification.pk, status=RectificationList.Status.DRAFT
        ).update(status=RectificationList.Status.ISSUED, issued_at=now, issued_by=actor)
        if not issued:
            raise Conflict(_("This list was issued already."))
        opened = rectification.items.filter(status=Status.DRAFT).update(
            status=Status.OPEN, version=F("version") + 1
        )
        # An edit between the check above and now must not leave an item without them.
        if rectification.items.filter(
            Q(deadline__isnull=True)
            | Q(responsible_post__isnull=True, responsible_organisation__isnull=True)
        ).exists():
            raise Conflict(_("Someone else changed this item just now; please look at it again."))
        record("rectification.issue", actor=actor, obj=rectification, detail={"items": opened})
        for item in rectification.items.select_related("rectification_list__place"):
            lifecycle.emit(RECTIFICATION, ItemMoved(item, "issued", actor.pk))
    rectification.refresh_from_db()
    return opened


# The responsible post's answer and the office's verdict -------------------------------------


def responsible_filter(user: Actor) -> Q:
    """The items `user` answers: of the posts they hold now, or of their organisation."""
    query = Q(pk__in=[])
    if can(user, Can.HOLD_POSTS) and user.person_id:
        held = Tenure.objects.current().filter(person_id=user.person_id, role=Tenure.Role.HOLDER)
        query |= Q(responsible_post_id__in=held.values("post_id"))
    if user.organisation_id:
        query |= Q(responsible_organisation_id=user.organisation_id)
    return query


def is_responsible(user: Actor, item: RectificationItem) -> bool:
    return RectificationItem.objects.filter(responsible_filter(user), pk=item.pk).exists()


def answer(item: RectificationItem, actor: Actor, *, text: str) -> None:
    if not is_responsible(actor, item):
        raise NotAllowed(_("Only the post responsible for this item answers it."))
    text = text.strip()
    if not text:
        raise Invalid(_("Say what was put right."))
    if len(text) > 2000:
        raise Invalid(_("Please keep it under 2000 characters."))
    _update(
        item,
        [Status.OPEN],
        actor,
        "answered",
        status=Status.ANSWERED,
        answer=text,
        answered_at=timezone.now(),
        answered_by=actor,
        audit=("rectification.answer", {"answer": text}),
    )


def verify(item: RectificationItem, actor: Actor, *, note: str = "") -> None:
    _office(actor)
    _update(
        item,
        [Status.ANSWERED],
        actor,
        "verified",
        status=Status.VERIFIED,
        review_note=note.strip(),
        verified_at=timezone.now(),
        audit=("rectification.verify", {"note": note.strip()}),
    )


def send_back(item: RectificationItem, actor: Actor, *, note: str) -> None:
    _office(actor)
    note = note.strip()
    if not note:
        raise Invalid(_("Say why the answer is not enough."))
    _update(
        item,
        [Status.ANSWERED],
        actor,
        "sent_back",
        status=Status.OPEN,
        review_note=note,
        send_backs=F("send_backs") + 1,
        audit=("rectification.send_back", {"note": note}),
    )


def flag_overdue_items(today: datetime.date | None = None) -> int:
    """Flag every item past its deadline and still unanswered; the flag shows it to every level
    above the place (and the office). Flagged once: a second run flags nothing new."""
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        flagged = RectificationItem.objects.filter(
            status=Status.OPEN, deadline__lt=today, flagged_at__isnull=True
        ).update(flagged_at=now)
        if flagged:
            items = RectificationItem.objects.filter(flagged_at=now, status=Status.OPEN)
            for item in items.select_related("rectification_list__place"):
                lifecycle.emit(RECTIFICATION, ItemMoved(item, "overdue", None))
    return flagged
