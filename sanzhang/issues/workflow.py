"""The six steps as a state machine (六步骤闭环): which action moves an issue from which step
to which, who may take it, and the one way every move is written.

Every move is a conditional UPDATE on (id, version, state): of two people acting on one issue
at once, one wins and the other is told the issue changed under them. The move, its event and
its in-app notices are one transaction; outgoing channels are sent after it commits, so a
failing channel never blocks or loses the step.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanzhang.access.roles import Can, require
from sanzhang.access.scope import in_scope
from sanzhang.core import lifecycle
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.core.lifecycle import Transition
from sanzhang.places.models import Place

from . import access
from .deadlines import due_at
from .models import OPEN_STATES, Category, Issue, IssueEvent, IssueFollower, State, Tier
from .routing import Owner, next_tier, route, route_up

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

OWNER = "owner"
SUPERVISOR = "supervisor"
REPORTER = "reporter"
HELPER = "helper"
VIEWER = "viewer"


ISSUE_LOOP = "issue"  # the machine's name: listeners hear its events under it
Action = Transition

ACTIONS: dict[str, Action] = {
    "confirm": Action(
        gettext_lazy("Confirm tier and owner"),
        frozenset({State.REPORTED}),
        frozenset({OWNER, SUPERVISOR}),
    ),
    "start": Action(
        gettext_lazy("Start handling"), frozenset({State.ASSIGNED}), frozenset({OWNER})
    ),
    "handle": Action(
        gettext_lazy("Mark handled"), frozenset({State.IN_PROGRESS}), frozenset({OWNER})
    ),
    "pass_inspection": Action(
        gettext_lazy("Pass inspection"), frozenset({State.HANDLED}), frozenset({SUPERVISOR})
    ),
    "send_back": Action(
        gettext_lazy("Send back"), frozenset({State.HANDLED}), frozenset({SUPERVISOR})
    ),
    "feed_back": Action(
        gettext_lazy("Feed the result back"),
        frozenset({State.INSPECTED}),
        frozenset({OWNER, SUPERVISOR}),
    ),
    "rate": Action(gettext_lazy("Rate"), frozenset({State.FED_BACK}), frozenset({REPORTER})),
    "return": Action(
        gettext_lazy("Return as mis-routed"),
        frozenset({State.REPORTED, State.ASSIGNED}),
        frozenset({OWNER}),
    ),
    "escalate": Action(
        gettext_lazy("Escalate"),
        frozenset({State.REPORTED, State.ASSIGNED, State.IN_PROGRESS}),
        frozenset({OWNER, SUPERVISOR}),
    ),
    "merge": Action(
        gettext_lazy("Merge as duplicate"),
        frozenset({State.REPORTED, State.ASSIGNED, State.IN_PROGRESS}),
        frozenset({OWNER, SUPERVISOR}),
    ),
    "decline": Action(
        gettext_lazy("Decline"),
        frozenset({State.REPORTED, State.ASSIGNED}),
        frozenset({OWNER, SUPERVISOR}),
    ),
    "progress": Action(
        gettext_lazy("Report progress"),
        frozenset({State.ASSIGNED, State.IN_PROGRESS}),
        frozenset({OWNER, HELPER}),
    ),
    "comment": Action(
        gettext_lazy("Comment"),
        frozenset(State.values),
        frozenset({VIEWER}),
    ),
}


def capacities(user: Actor, issue: Issue) -> set[str]:
    """In which capacities `user` stands to `issue` (the issue is assumed visible to them)."""
    found = {VIEWER}
    if access.is_owner(user, issue):
        found.add(OWNER)
    if access.is_supervisor(user, issue):
        found.add(SUPERVISOR)
    if access.is_reporter(user, issue):
        found.add(REPORTER)
    if access.is_helper(user, issue):
        found.add(HELPER)
    return found


def allowed_actions(user: Actor, issue: Issue) -> list[str]:
    """The actions `user` may take on `issue` now, in the order of the loop."""
    allowed = lifecycle.allowed(ACTIONS, issue.state, capacities(user, issue))
    if issue.tier == Tier.HARD and issue.owner_organisation_id and "confirm" in allowed:
        # Hard issues at the county office leave triage at an assignment meeting.
        office = issue.owner_organisation
        if office is not None and office.kind == "county_office":
            allowed.remove("confirm")
    if issue.tier == Tier.HARD and "escalate" in allowed:
        allowed.remove("escalate")
    return allowed


def check(user: Actor, issue: Issue, name: str) -> None:
    """Refuse, with the reason, an action `user` may not take on `issue` now."""
    action = ACTIONS[name]
    if name in allowed_actions(user, issue):
        return
    if issue.state not in action.from_states:
        raise NotAllowed(
            _("“%(action)s” cannot be done while the issue is “%(state)s”.")
            % {"action": action.label, "state": State(issue.state).label}
        )
    if name == "confirm" and issue.tier == Tier.HARD:
        raise NotAllowed(_("Hard issues are assigned to departments at an assignment meeting."))
    if name == "escalate" and issue.tier == Tier.HARD:
        raise NotAllowed(_("A hard issue is already at the county office."))
    raise NotAllowed(
        _("You may not “%(action)s” this issue: it is not in your charge.")
        % {"action": action.label}
    )


def _require(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(message)
    if len(text) > 2000:
        raise Invalid(_("Please keep it under 2000 characters."))
    return text


def move(
    issue: Issue,
    actor: Actor | None,
    *,
    kind: str,
    to_state: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    due: datetime.datetime | bool | None = True,
    at: datetime.datetime | None = None,
) -> IssueEvent:
    """Write one move: the conditional UPDATE, the event, its listeners (the notices). The only
    writer."""
    now = at or timezone.now()
    changes = dict(changes or {})
    tier = changes.get("tier", issue.tier)
    if isinstance(due, bool):  # True (the default): the step's own deadline
        place = changes.get("place") or issue.place  # the county whose deadlines apply
        moved = to_state != issue.state or changes
        due = due_at(tier, to_state, now, code=place.code) if moved else issue.due_at
    if to_state in (State.CLOSED, State.DECLINED, State.MERGED):
        changes.setdefault("closed_at", now)
        due = None
    with transaction.atomic():
        conflict = _("Someone else acted on issue %(number)s just now; please look at it again.")
        lifecycle.advance(
            issue,
            state_field="state",
            to_state=to_state,
            conflict=conflict % {"number": issue.number},
            updated_at=now,
            due_at=due,
            **changes,
        )
        event = IssueEvent.objects.create(
            issue=issue,
            kind=kind,
            actor=actor,
            from_state=issue.state,
            to_state=to_state,
            note=note,
            data=data or {},
            due_at=due,
            at=now,
        )
        issue.refresh_from_db()
        event.issue = issue
        lifecycle.emit(ISSUE_LOOP, event)
    return event


def _owner_changes(owner: Owner) -> dict[str, Any]:
    return {
        "owner_place": owner.place,
        "owner_post": owner.post,
        "owner_organisation": owner.organisation,
    }


def _owner_data(issue: Issue) -> dict[str, Any]:
    """Who owned the issue, for events that count for or against an owner."""
    return {
        "owner_place": issue.owner_place_id,
        "owner_post": issue.owner_post_id,
        "owner_organisation": issue.owner_organisation_id,
    }


def confirm(
    issue: Issue,
    actor: Actor,
    *,
    tier: str | None = None,
    category: Category | None = None,
    place: Place | None = None,
    note: str = "",
) -> IssueEvent:
    """Triage (分流): settle tier, category and place; the routed owner then has it. A hard
    issue goes up to the county office to wait for an assignment meeting."""
    check(actor, issue, "confirm")
    tier = tier or issue.tier
    if tier not in Tier.values:
        raise Invalid(_("Unknown tier."))
    category = category or issue.category
    place = place or issue.place
    if place.is_retired:
        raise Invalid(_("That place is retired."))
    owner = route(place, tier, category)
    to_state = State.REPORTED if tier == Tier.HARD else State.ASSIGNED
    return move(
        issue,
        actor,
        kind=IssueEvent.Kind.CONFIRMED,
        to_state=to_state,
        note=note,
        data={"tier": tier, "category": category.code, "place": place.code},
        changes={"tier": tier, "category": category, "place": place, **_owner_changes(owner)},
    )


def start(issue: Issue, actor: Actor, *, note: str = "") -> IssueEvent:
    check(actor, issue, "start")
    due: datetime.datetime | bool = True
    item = issue.agenda_items.exclude(due_on=None).order_by("-pk").first()
    if item is not None and item.due_on is not None:
        # A meeting's deadline binds the department, not the default step length.
        due = timezone.make_aware(datetime.datetime.combine(item.due_on, datetime.time(18)))
    return move(
        issue,
        actor,
        kind=IssueEvent.Kind.STARTED,
        to_state=State.IN_PROGRESS,
        note=note,
        due=due,
    )


def handle(issue: Issue, actor: Actor, *, note: str) -> IssueEvent:
    check(actor, issue, "handle")
    note = _require(note, _("Say what was done."))
    return move(
        issue,
        actor,
        kind=IssueEvent.Kind.HANDLED,
        to_state=State.HANDLED,
        note=note,
        data=_owner_data(issue),
    )


def pass_inspection(issue: Issue, actor: Actor, *, note: str = "") -> IssueEvent:
    check(actor, issue, "pass_inspection")
    return move(issue, actor, kind=IssueEvent.Kind.INSPECTED, to_state=State.INSPECTED, note=note)


def send_back(issue: Issue, actor: Actor, *, reason: str) -> IssueEvent:
    check(actor, issue, "send_back")
    reason = _require(reason, _("Give the reason for sending it back."))
    return move(
        issue,
        actor,
        kind=IssueEvent.Kind.SENT_BACK,
        to_state=State.IN_PROGRESS,
        note=reason,
        data=_owner_data(issue),
    )


def feed_back(issue: Issue, actor: Actor, *, message: str) -> IssueEvent:
    check(actor, issue, "feed_back")
    message = _require(message, _("Write what the reporter should be told."))
    return move(issue, actor, kind=IssueEvent.Kind.FED_BACK, to_state=State.FED_BACK, note=message)


def rate(issue: Issue, actor: Actor, *, satisfied: bool, reason: str = "") -> IssueEvent:
    """The reporter's rating (评议): satisfied closes the issue; dissatisfied reopens it to the
    same owner with the reason, and counts against that owner."""
    check(actor, issue, "rate")
    if satisfied:
        return move(
            issue,
            actor,
            kind=IssueEvent.Kind.RATED_SATISFIED,
            to_state=State.CLOSED,
            note=reason.strip(),
            data=_owner_data(issue),
            changes={"rating_reason": reason.strip()},
        )
    reason = _require(reason, _("Please say why you are not satisfied."))
    return move(
        issue,
        actor,
        kind=IssueEvent.Kind.RATED_DISSATISFIED,
        to_state=State.IN_PROGRESS,
        note=reason,
        data=_owner_data(issue),
        changes={"reopen_count": F("reopen_count") + 1, "rating_reason": reason},
    )


def rate_on_behalf(
    issue: Issue, actor: Actor, *, satisfied: bool, reason: str = "", how: str = "phone"
) -> IssueEvent:
    """A call-back (回访): the resident did not rate a fed-back issue in time, so the community
    or county office asks them and records their answer for them. The event says so (it is
    counted apart from the residents' own ratings); the issue moves as a rating moves it."""
    require(
        actor, Can.CALL_BACK_RESIDENTS, _("Only community staff and the county office call back.")
    )
    if not in_scope(actor, issue.place.code):
        raise NotAllowed(_("This issue is outside your area."))
    if issue.state != State.FED_BACK:
        raise Conflict(_("Only a result fed back and not yet rated is called back."))
    fed_back = issue.events.filter(kind=IssueEvent.Kind.FED_BACK).order_by("-at").first()
    waited = timezone.now() - (fed_back.at if fed_back else issue.updated_at)
    if waited < datetime.timedelta(days=settings.CALLBACK_AFTER_DAYS):
        raise Conflict(_("The resident still has time to rate it themselves."))
    reason = reason.strip()
    data = {**_owner_data(issue), "on_behalf": True, "how": how}
    if satisfied:
        return move(
            issue, actor, kind=IssueEvent.Kind.RATED_SATISFIED, to_state=State.CLOSED,
            note=reason, data=data, changes={"rating_reason": reason},
        )  # fmt: skip
    reason = _require(reason, _("Say what the resident is not satisfied with."))
    return move(
        issue, actor, kind=IssueEvent.Kind.RATED_DISSATISFIED, to_state=State.IN_PROGRESS,
        note=reason, data=data,
        changes={"reopen_count": F("reopen_count") + 1, "rating_reason": reason},
    )  # fmt: skip


def return_misrouted(issue: Issue, actor: Actor, *, reason: str) -> IssueEvent:
    """The owner hands a mis-routed issue back up, to be triaged again."""
    check(actor, issue, "return")
    reason = _require(reason, _("Say why this issue is not yours."))
    owner = route_up(issue.owner_place)
    return move(
        issue,
        actor,
        kind=IssueEvent.Kind.RETURNED,
        to_state=State.REPORTED,
        note=reason,
        data=_owner_data(issue),
        changes=_owner_changes(owner),
    )


def escalate(
    issue: Issue, actor: Actor | None, *, reason: str, kind: str = IssueEvent.Kind.ESCALATED
) -> IssueEvent:
    """Up one tier (simple → complex → hard), routed afresh, to be triaged by the new owner."""
    if actor is not None:
        check(actor, issue, "escalate")
    reason = _require(reason, _("Give the reason for escalating."))
    tier = next_tier(issue.tier)
    if tier is None:
        raise NotAllowed(_("A hard issue is already at the county office."))
    owner = route(issue.place, tier, issue.category)
    return move(
        issue,
        actor,
        kind=kind,
        to_state=State.REPORTED,
        note=reason,
        data={**_owner_data(issue), "from_tier": issue.tier, "tier": tier},
        changes={
            "tier": tier,
            "escalation_count": F("escalation_count") + 1,
            **_owner_changes(owner),
        },
    )


def merge(issue: Issue, actor: Actor, *, into: Issue, note: str = "") -> IssueEvent:
    """Close a duplicate into the surviving issue; its reporter follows the survivor."""
    check(actor, issue, "merge")
    if into.pk == issue.pk:
        raise Invalid(_("An issue cannot be merged into itself."))
    if into.state not in OPEN_STATES:
        raise Invalid(_("Merge only into an issue that is still open."))
    if not access.issues_visible_to(actor).filter(pk=into.pk).exists():
        raise Invalid(_("No such issue in your area."))
    with transaction.atomic():
        event = move(
            issue,
            actor,
            kind=IssueEvent.Kind.MERGED,
            to_state=State.MERGED,
            note=note,
            data={"into": into.number},
            changes={"merged_into": into},
        )
        for user_id in {issue.reporter_id, *issue.followers.values_list("user_id", flat=True)}:
            if user_id is not None and user_id != into.reporter_id:
                IssueFollower.objects.get_or_create(issue=into, user_id=user_id)
        add_note(
            into,
            actor,
            kind=IssueEvent.Kind.DUPLICATE_JOINED,
            note=note,
            data={"duplicate": issue.number},
        )
    return event


def decline(issue: Issue, actor: Actor, *, reason: str) -> IssueEvent:
    """Not taken up, with a reason the reporter sees (e.g. a private dispute for the courts)."""
    check(actor, issue, "decline")
    reason = _require(reason, _("Give the reason the reporter will see."))
    return move(issue, actor, kind=IssueEvent.Kind.DECLINED, to_state=State.DECLINED, note=reason)


def add_note(
    issue: Issue,
    actor: Actor,
    *,
    kind: str = IssueEvent.Kind.COMMENTED,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> IssueEvent:
    """A timeline entry that moves nothing (comment, progress, photo): no version bump, so it
    never makes somebody's concurrent step fail."""
    with transaction.atomic():
        event = IssueEvent.objects.create(
            issue=issue,
            kind=kind,
            actor=actor,
            from_state=issue.state,
            to_state=issue.state,
            note=note,
            data=data or {},
            at=timezone.now(),
        )
        Issue.objects.filter(pk=issue.pk).update(updated_at=event.at)
        lifecycle.emit(ISSUE_LOOP, event)
    return event


def comment(issue: Issue, actor: Actor, *, note: str) -> IssueEvent:
    check(actor, issue, "comment")
    note = _require(note, _("Write a comment."))
    return add_note(issue, actor, note=note)


def report_progress(issue: Issue, actor: Actor, *, note: str) -> IssueEvent:
    check(actor, issue, "progress")
    note = _require(note, _("Say what progress was made."))
    return add_note(issue, actor, kind=IssueEvent.Kind.PROGRESS, note=note)
