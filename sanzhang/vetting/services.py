"""The life of a cadre vetting: the department opens it > the reviewers record views and
submit the grid's findings > the department decides (promote or defer), once.

Each move is a conditional UPDATE on (id, version, status) through `core.lifecycle.advance`:
of two decisions taken at the same moment exactly one is kept, the other is told someone
decided just now. Every move writes an audit row in its transaction (the audit log is the
vetting's timeline, read by the auditor only, like everything about a vetting).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanzhang.access.roles import Can, can, roles_granted
from sanzhang.audit.services import record
from sanzhang.core import lifecycle
from sanzhang.core.crypto import keyed_hash
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.notifications.services import tell
from sanzhang.party.models import PartyOrganisation
from sanzhang.people.models import Household, Person, User
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import is_under, lineage, nearest_in
from sanzhang.posts.models import Post, PostKind, Tenure

from . import access
from .access import DEPARTMENT, REVIEWER
from .models import HEADINGS, Conclusion, Decision, Reviewer, Status, Vetting, View

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

MAX_TEXT = 2000

MOVES: dict[str, lifecycle.Transition] = {
    "view": lifecycle.Transition(
        gettext_lazy("Record a view"), frozenset({Status.OPEN}), frozenset({REVIEWER})
    ),
    "submit": lifecycle.Transition(
        gettext_lazy("Submit the findings"), frozenset({Status.OPEN}), frozenset({REVIEWER})
    ),
    "decide": lifecycle.Transition(
        gettext_lazy("Record the decision"), frozenset({Status.SUBMITTED}), frozenset({DEPARTMENT})
    ),
    "reassign": lifecycle.Transition(
        gettext_lazy("Reassign the reviewers"),
        frozenset({Status.OPEN}),
        frozenset({DEPARTMENT}),
    ),
}


def allowed_moves(user: Actor, vetting: Vetting) -> list[str]:
    return lifecycle.allowed(MOVES, vetting.status, access.capacities(user, vetting))


def _require_move(user: Actor, vetting: Vetting, move: str) -> None:
    if access.capacities(user, vetting) & MOVES[move].capacities == set():
        raise NotAllowed(_("You may not do this on this vetting."))
    if vetting.status not in MOVES[move].from_states:
        raise Conflict(
            _("This vetting is now “%(status)s”; please look at it again.")
            % {"status": Status(vetting.status).label}
        )


def _text(text: str, message: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = (text or "").strip()
    if required and not text:
        raise Invalid(message)
    if len(text) > limit:
        raise Invalid(_("Please keep it under %(n)d characters.") % {"n": limit})
    return text


def stale_message() -> str:
    return _("Someone else acted on this vetting just now; please look again.")


# Opening ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cadre:
    """Who is vetted, as the department writes it down."""

    name: str
    current_post: str
    proposed_post: str
    id_number: str = ""  # only to find them in the register; never stored


def department_county(actor: Actor) -> Place:
    """The county whose vettings the department's account opens."""
    if not can(actor, Can.OPEN_VETTINGS) or actor.organisation is None:
        raise NotAllowed(_("Only the organisation department opens vettings."))
    return actor.organisation.place


def grid_of(household: Household) -> Place | None:
    """The grid a household lies in (its unit's, or its own in a village)."""
    codes = lineage(household.place.code)
    return Place.objects.filter(code__in=codes, kind=PlaceKind.GRID).first()


def branch_of(household: Household) -> PartyOrganisation | None:
    """The nearest party branch above a household: at its grid in a town, at its village
    in the countryside (a village's grids hold party groups, its branch sits at the village)."""
    codes = lineage(household.place.code)
    found = PartyOrganisation.objects.branches().filter(place__code__in=codes)
    by_code = {b.place.code: b for b in found.select_related("place").order_by("pk")}
    nearest = nearest_in(household.place.code, by_code)
    return by_code[nearest] if nearest else None


def default_branches(households: Iterable[Household]) -> list[PartyOrganisation]:
    """The nearest party branch of each of these households."""
    found = {b.pk: b for b in map(branch_of, households) if b is not None}
    return list(found.values())


def _check_households(county: Place, households: list[Household]) -> None:
    if not households:
        raise Invalid(_("Choose the household where the cadre lives."))
    for household in households:
        if household.moved_away_on or not is_under(household.place.code, county.code):
            raise Invalid(_("That household is not in the county's register."))


def _check_branches(county: Place, branches: list[PartyOrganisation]) -> None:
    if not branches:
        raise Invalid(_("No party branch is set up at the grid of that household; choose one."))
    for branch in branches:
        if branch.kind != PartyOrganisation.Kind.BRANCH:
            raise Invalid(_("Only party branches are asked."))
        if not is_under(branch.place.code, county.code):
            raise Invalid(_("That party branch is not in the county."))


def find_cadre(cadre: Cadre, households: list[Household]) -> Person | None:
    """The cadre in the register: by ID number if given, else the one member of their
    households with their name."""
    if cadre.id_number.strip():
        by_id = Person.objects.filter(id_number_hash=keyed_hash(cadre.id_number.strip()))
        return by_id.first()
    named = Person.objects.filter(household__in=households, name=cadre.name)
    return named.first() if named.count() == 1 else None


def current_reviewer_posts(vetting: Vetting, *, family: bool = False) -> list[tuple[Post, Person]]:
    """The posts whose holders review now: the secretary of each branch and the grid leader of
    each grid concerned (the households' grids and the branches' grids); never the cadre, nor
    (unless `family`) a member of the cadre's households."""
    branch_places = {b.place_id for b in vetting.branches.all()}
    grids = {g.pk for g in map(grid_of, vetting.households.select_related("place")) if g}
    grids |= set(
        Place.objects.filter(pk__in=branch_places, kind=PlaceKind.GRID).values_list("pk", flat=True)
    )
    wanted = Q(post__kind=PostKind.BRANCH_SECRETARY, post__place_id__in=branch_places) | Q(
        post__kind=PostKind.GRID_LEADER, post__place_id__in=grids
    )
    tenures = Tenure.objects.current().filter(wanted, role=Tenure.Role.HOLDER)
    if vetting.cadre_person_id is not None:
        tenures = tenures.exclude(person_id=vetting.cadre_person_id)
    else:  # the cadre not found in the register: at least not someone of their name
        tenures = tenures.exclude(person__name=vetting.cadre_name)
    if not family:
        # Nor the cadre's household: a spouse leading the grid does not vet the cadre.
        tenures = tenures.exclude(person__household__in=vetting.households.all())
    tenures = tenures.select_related("post", "person")
    return [(t.post, t.person) for t in tenures.order_by("post__place__code", "post__kind")]


def open_vetting(
    actor: Actor,
    *,
    cadre: Cadre,
    households: list[Household],
    branches: list[PartyOrganisation] | None,
    deadline: datetime.date,
    token: uuid.UUID | None = None,
) -> Vetting:
    """Open a vetting of a cadre; its reviewers are the current holders of the posts
    concerned, stored now (see the module of the models for why). With the opening form's
    `token`, the same form posted again (a double click, a retry) gives back the vetting it
    opened instead of a second one."""
    county = department_county(actor)
    if token is not None and (again := _opened_with(token, county)) is not None:
        return again
    name = _text(cadre.name, _("Write the cadre's name."), limit=50)
    current = _text(cadre.current_post, _("Write the cadre's current post."), limit=200)
    proposed = _text(cadre.proposed_post, _("Write the post considered."), limit=200)
    _check_households(county, households)
    chosen = branches if branches else default_branches(households)
    _check_branches(county, chosen)
    if deadline < timezone.localdate():
        raise Invalid(_("The deadline has passed already."))
    now = timezone.now()
    try:
        with transaction.atomic():
            vetting = Vetting.objects.create(
                county=county,
                cadre_name=name,
                current_post=current,
                proposed_post=proposed,
                cadre_person=find_cadre(cadre, households),
                deadline=deadline,
                opened_by=actor,
                opened_at=now,
                token=token,
            )
            vetting.households.set(households)
            vetting.branches.set(chosen)
            found = _assign_reviewers(vetting, now)
            record("vetting.opened", actor=actor, obj=vetting, detail={"reviewers": found})
    except IntegrityError:
        # The same form's other post won the race (the token is unique): give back its vetting.
        again = _opened_with(token, county) if token is not None else None
        if again is None:
            raise
        return again
    return vetting


def _opened_with(token: uuid.UUID, county: Place) -> Vetting | None:
    found = Vetting.objects.filter(token=token).first()
    if found is not None and found.county_id != county.pk:
        raise Invalid(_("Please open the form again."))
    return found


def _assign_reviewers(vetting: Vetting, now: datetime.datetime) -> int:
    """Store the reviewers of a vetting being opened; refuse when nobody may review it."""
    found = current_reviewer_posts(vetting)
    if not found and current_reviewer_posts(vetting, family=True):
        raise Invalid(
            _(
                "The only holders of the branch secretary's or grid leader's post there "
                "belong to the cadre's household; choose another party branch."
            )
        )
    if not found:
        raise Invalid(_("Nobody holds the branch secretary's or grid leader's post there."))
    Reviewer.objects.bulk_create(
        Reviewer(vetting=vetting, post=post, person=person, assigned_at=now)
        for post, person in found
    )
    _tell_reviewers(vetting, [person.pk for _post, person in found])
    return len(found)


def _tell_reviewers(vetting: Vetting, person_ids: list[int]) -> None:
    """A notice in the reviewers' own inbox, naming no one (channels are group chats and
    phones: a vetting goes to none of them)."""
    reviewers = User.objects.filter(
        person_id__in=person_ids, is_active=True, role__in=roles_granted(Can.REVIEW_VETTINGS)
    )  # a resident's account of the same person may not open it: not told either
    readers = dict.fromkeys(reviewers.values_list("pk", flat=True), "reviewer")
    if not readers:
        return
    text = _("A cadre vetting in your grid waits for your views and findings by %(day)s.") % {
        "day": vetting.deadline.isoformat()
    }
    tell(
        # Fixed length (subjects hold 60 characters); one per reader by (recipient, subject).
        subject=f"vetting:{vetting.pk}:assigned:{timezone.now():%Y%m%d%H%M%S%f}",
        text=text,
        link=reverse("vetting:detail", args=[vetting.pk]),
        place_code=vetting.county.code,
        readers=readers,
        channels=False,
    )


def reassign(vetting: Vetting, actor: Actor) -> tuple[int, int]:
    """Bring the reviewers up to the posts' current holders: those who left a post stop
    seeing the vetting, its new holders start. Returns (added, ended)."""
    _require_move(actor, vetting, "reassign")
    now = timezone.now()
    with transaction.atomic():
        wanted = {(post.pk, person.pk) for post, person in current_reviewer_posts(vetting)}
        current = vetting.reviewers.filter(ended_at__isnull=True)
        gone = [r.pk for r in current if (r.post_id, r.person_id) not in wanted]
        ended = Reviewer.objects.filter(pk__in=gone).update(ended_at=now)
        have = {(r.post_id, r.person_id) for r in current.exclude(pk__in=gone)}
        new = [
            Reviewer(vetting=vetting, post_id=post_id, person_id=person_id, assigned_at=now)
            for post_id, person_id in sorted(wanted - have)
        ]
        Reviewer.objects.bulk_create(new)
        _tell_reviewers(vetting, [r.person_id for r in new])
        record(
            "vetting.reassigned",
            actor=actor,
            obj=vetting,
            detail={"added": len(new), "ended": ended},
        )
    return len(new), ended


# The reviewers ----------------------------------------------------------------------------


def record_view(
    vetting: Vetting, actor: Actor, *, giver_kind: str, giver: str, relationship: str, said: str
) -> View:
    """A view heard from a neighbour or a branch member, while the vetting is open."""
    _require_move(actor, vetting, "view")
    if giver_kind not in View.Giver.values:
        raise Invalid(_("Say who gave the view."))
    view = View(
        vetting=vetting,
        giver_kind=giver_kind,
        giver=_text(giver, _("Write who gave the view."), limit=50),
        relationship=_text(relationship, "", required=False, limit=50),
        said=_text(said, _("Write what they said.")),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    with transaction.atomic():
        # Re-read in the write's transaction: the findings may have been submitted meanwhile.
        if not Vetting.objects.filter(pk=vetting.pk, status=Status.OPEN).exists():
            raise Conflict(stale_message())
        view.save()
        record("vetting.view_recorded", actor=actor, obj=vetting, detail={"view": view.pk})
    return view


def submit_findings(
    vetting: Vetting,
    actor: Actor,
    *,
    findings: dict[str, str],
    conclusion: str,
    reasons: str = "",
) -> None:
    """The grid's findings under the set headings and its conclusion; then the department
    decides. Not satisfactory needs its reasons."""
    _require_move(actor, vetting, "submit")
    if not vetting.views.exists():
        raise Invalid(_("Record at least one view before submitting the findings."))
    missing = _("Write the findings under every heading.")
    texts = {h: _text(findings.get(h, ""), missing) for h in HEADINGS}
    if conclusion not in Conclusion.values:
        raise Invalid(_("Choose the conclusion."))
    needed = conclusion == Conclusion.NOT_SATISFACTORY
    reasons = _text(reasons, _("Give the reasons it is not satisfactory."), required=needed)
    with transaction.atomic():
        lifecycle.advance(
            vetting,
            to_state=Status.SUBMITTED,
            conflict=stale_message(),
            conclusion=conclusion,
            reasons=reasons,
            submitted_by=actor,
            submitted_at=timezone.now(),
            **texts,
        )
        record("vetting.submitted", actor=actor, obj=vetting, detail={"conclusion": conclusion})
    vetting.refresh_from_db()


def decide(vetting: Vetting, actor: Actor, *, decision: str, note: str = "") -> None:
    """The department's decision, taken once: a second one, even at the same moment, is
    refused (the conditional UPDATE finds the vetting decided already)."""
    _require_move(actor, vetting, "decide")
    if decision not in Decision.values:
        raise Invalid(_("Choose the decision."))
    note = _text(note, "", required=False)
    with transaction.atomic():
        lifecycle.advance(
            vetting,
            to_state=Status.DECIDED,
            conflict=_("The decision was recorded just now by someone else."),
            decision=decision,
            decision_note=note,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        record("vetting.decided", actor=actor, obj=vetting, detail={"decision": decision})
    vetting.refresh_from_db()


# Figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    opened: int
    concluded: int
    deferred: int


def figures(rows: QuerySet[Vetting], year: int | None = None) -> Figures:
    """Vettings opened, concluded (decided) and deferred: in `year` (by the day each was
    opened, decided) or over all time."""
    opened = rows.filter(opened_at__year=year) if year else rows
    decided = rows.filter(decided_at__year=year) if year else rows
    counts = decided.aggregate(
        concluded=Count("pk", filter=Q(status=Status.DECIDED)),
        deferred=Count("pk", filter=Q(status=Status.DECIDED, decision=Decision.DEFER)),
    )
    return Figures(opened.count(), counts["concluded"], counts["deferred"])
