"""Who sees a vetting, and in which capacity: the organisation department of its county, and
the reviewers assigned to it while they still hold the post they were assigned for (never the
cadre, even when assigned; a leader's or a village staff account carrying the reviewer's
person). Everyone else gets 404, a former holder too, before the department reassigns.

Pages, the export and the services all ask here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import in_scope, scope_filter

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor, Visitor

    from .models import Reviewer, Vetting

DEPARTMENT = "department"
REVIEWER = "reviewer"


def visible_filter(user: Visitor) -> Q:
    """A Q on vettings: those of the department's county, or those the user reviews."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if can(user, Can.OPEN_VETTINGS):
        return scope_filter(user, "county__code")
    if can(user, Can.REVIEW_VETTINGS) and user.person_id:
        # A subquery, so that the join on reviewers never repeats a vetting in a list.
        assigned = _current_reviewers(user.person_id).values("vetting_id")
        return Q(pk__in=assigned) & ~Q(cadre_person_id=user.person_id)
    return Q(pk__in=[])


def _current_reviewers(person_id: int) -> QuerySet[Reviewer]:
    """The person's reviewer rows that still count: not ended, and the person still holds
    the reviewer's post (a holder whose tenure ended stops reviewing at once, before the
    department reassigns)."""
    from sanzhang.posts.models import Tenure

    from .models import Reviewer

    holding = Tenure.objects.current().filter(
        role=Tenure.Role.HOLDER, post_id=OuterRef("post_id"), person_id=OuterRef("person_id")
    )
    mine = Reviewer.objects.filter(person_id=person_id, ended_at__isnull=True)
    return mine.filter(Exists(holding))


def capacities(user: Actor, vetting: Vetting) -> set[str]:
    """The capacities in which `user` acts on `vetting` (empty: they may not see it)."""
    held: set[str] = set()
    if not user.is_active:
        return held
    if can(user, Can.OPEN_VETTINGS) and in_scope(user, vetting.county.code):
        held.add(DEPARTMENT)
    if is_reviewer(user, vetting):
        held.add(REVIEWER)
    return held


def is_reviewer(user: Actor, vetting: Vetting) -> bool:
    if not can(user, Can.REVIEW_VETTINGS) or not user.person_id:
        return False
    if vetting.cadre_person_id == user.person_id:
        return False
    return _current_reviewers(user.person_id).filter(vetting_id=vetting.pk).exists()


def reviews_any(user: Actor) -> bool:
    """The user is a current reviewer of some vetting (the menu shows them the list)."""
    if not can(user, Can.REVIEW_VETTINGS) or not user.person_id:
        return False
    mine = _current_reviewers(user.person_id)
    return mine.exclude(vetting__cadre_person_id=user.person_id).exists()


def in_menu(user: Actor) -> bool:
    return can(user, Can.OPEN_VETTINGS) or reviews_any(user)
