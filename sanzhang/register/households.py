"""Keeping the household register by hand: a household moves to another unit or village grid,
or moves away from the county; each move is kept in its history and in the audit log."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import in_scope, scope_filter
from sanzhang.audit.services import record
from sanzhang.core.errors import Conflict, Invalid
from sanzhang.people.models import Household, HouseholdMove
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code

from .importing.checking import holds_households

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor, Visitor

MAX_REASON = 200


def households_visible_to(user: Visitor) -> QuerySet[Household]:
    """Households whose place lies in the user's scope (those who may see residents)."""
    if not can(user, Can.VIEW_PEOPLE):
        return Household.objects.none()
    return Household.objects.filter(scope_filter(user, "place__code"))


def may_keep(user: Visitor, household: Household) -> bool:
    """Staff of the household's community or village, or its county's office."""
    return can(user, Can.KEEP_REGISTER) and in_scope(user, household.place.code)


def _reason(text: str) -> str:
    text = text.strip()
    if not text:
        raise Invalid(_("Give the reason."))
    if len(text) > MAX_REASON:
        raise Invalid(_("Please keep it under %(n)d characters.") % {"n": MAX_REASON})
    return text


def move_household(
    actor: Actor,
    household: Household,
    to_code: str,
    *,
    reason: str,
    request: HttpRequest | None = None,
) -> HouseholdMove:
    """Move the household (with its residents) to the unit or village grid `to_code`."""
    require(actor, Can.KEEP_REGISTER, _("Only community staff and the county office do that."))
    reason = _reason(reason)
    code = normalise_code(to_code)
    to_place = Place.objects.filter(code=code, retired_at__isnull=True).first()
    if to_place is None or not in_scope(actor, code):
        raise Invalid(_("No such place in your area: %(code)s.") % {"code": code or "—"})
    if not holds_households(to_place):
        raise Invalid(_("Households belong to a unit, or a village grid."))
    with transaction.atomic():
        current = _locked(actor, household)
        if current.place_id == to_place.pk:
            raise Invalid(_("The household already lives there."))
        move = HouseholdMove.objects.create(
            household=current,
            from_place=current.place,
            to_place=to_place,
            at=timezone.now(),
            by=actor,
            reason=reason,
        )
        Household.objects.filter(pk=current.pk).update(place=to_place, moved_away_on=None)
        record(
            "household.moved",
            actor=actor,
            request=request,
            obj=current,
            detail={"from": current.place.code, "to": to_place.code},
        )
    household.refresh_from_db()
    return move


def mark_moved_away(
    actor: Actor,
    household: Household,
    *,
    on: datetime.date,
    reason: str,
    request: HttpRequest | None = None,
) -> HouseholdMove:
    """The household left the county (迁出): it stays in the register with its history, no
    longer counted among the households of its place, and may come back by a move or an
    import."""
    require(actor, Can.KEEP_REGISTER, _("Only community staff and the county office do that."))
    reason = _reason(reason)
    if on > timezone.localdate():
        raise Invalid(_("The date is in the future."))
    with transaction.atomic():
        current = _locked(actor, household)
        # Conditional: of two staff marking it at once, one wins and one is told.
        updated = Household.objects.filter(pk=current.pk, moved_away_on__isnull=True).update(
            moved_away_on=on
        )
        if not updated:
            raise Conflict(_("The household has already moved away."))
        move = HouseholdMove.objects.create(
            household=current,
            from_place=current.place,
            to_place=None,
            at=timezone.now(),
            by=actor,
            reason=reason,
        )
        record(
            "household.moved_away",
            actor=actor,
            request=request,
            obj=current,
            detail={"from": current.place.code, "on": on.isoformat()},
        )
    household.refresh_from_db()
    return move


def _locked(actor: Actor, household: Household) -> Household:
    """The household as it is now, in the actor's area (else refused)."""
    current = Household.objects.select_for_update().select_related("place").get(pk=household.pk)
    if not may_keep(actor, current):
        raise Invalid(_("This household is outside your area."))
    return current
