"""Recording a visit, from a phone that may have been offline when it was typed.

A visit carries the phone's key: the same key from the same leader is the same visit, so a
resend after a lost answer stores nothing twice; a problem found becomes an issue through the
issue loop's own intake (the leader's channel), keyed on the visit, so it is not doubled either.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, require
from sanzhang.access.scope import acts_in
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.issues.intake import submit
from sanzhang.people.models import Household
from sanzhang.places.models import Place

from .models import HouseholdContact, Visit

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

# A phone may hold visits for a while; older than this is more likely a wrong clock.
MAX_AGE = datetime.timedelta(days=30)
MAX_TEXT = 2000


@dataclass(frozen=True)
class Recorded:
    visit: Visit
    created: bool


def record_visit(
    actor: Actor,
    *,
    client_key: str,
    kind: str,
    household: Household | None = None,
    place: Place | None = None,
    met: str = "",
    heard: str = "",
    contact_in_group: bool | None = None,
    problem: str = "",
    visited_at: datetime.datetime | None = None,
) -> Recorded:
    """Store one visit (and the issue for a problem found); a resend with the key returns it."""
    require(actor, Can.RECORD_VISITS, _("Visits are recorded by leaders and community staff."))
    client_key = (client_key or "").strip()
    if not client_key or len(client_key) > 64:
        raise Invalid(_("Each visit needs a key of at most 64 characters from the phone."))
    found = Visit.objects.filter(leader=actor, client_key=client_key).first()
    if found is not None:
        return Recorded(found, created=False)
    if kind not in Visit.Kind.values:
        raise Invalid(_("Choose the kind of visit."))
    if household is not None:
        place = household.place
    if place is None:
        raise Invalid(_("Choose the household or the place visited."))
    if not acts_in(actor, place.code):
        raise NotAllowed(_("That place is outside your area."))
    if kind == Visit.Kind.DOOR_KNOCKING and household is None:
        raise Invalid(_("A door-knocking visit is to a household."))
    if len(heard) > MAX_TEXT or len(problem) > MAX_TEXT:
        raise Invalid(_("Please keep it under 2000 characters."))
    now = timezone.now()
    visited_at = visited_at or now
    if visited_at > now + datetime.timedelta(minutes=5) or visited_at < now - MAX_AGE:
        raise Invalid(_("The visit's time is not plausible; check the phone's clock."))
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                kind=kind,
                leader=actor,
                household=household,
                place=place,
                met=met.strip()[:200],
                heard=heard.strip(),
                contact_in_group=contact_in_group,
                visited_at=visited_at,
                client_key=client_key,
            )
            if household is not None and contact_in_group is not None:
                HouseholdContact.objects.update_or_create(
                    household=household,
                    defaults={
                        "in_group": contact_in_group,
                        "confirmed_at": visited_at,
                        "confirmed_by": actor,
                    },
                )
            if problem.strip():
                issue = submit(
                    actor,
                    place=place,
                    household=household,
                    text=problem,
                    channel=kind,
                    intake_key=f"visit:{client_key}",
                ).issue
                visit.issues.add(issue)
    except IntegrityError:
        # The same visit sent twice at once: the other request stored it.
        found = Visit.objects.filter(leader=actor, client_key=client_key).first()
        if found is None:
            raise
        return Recorded(found, created=False)
    return Recorded(visit, created=True)
