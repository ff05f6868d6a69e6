"""What the staff should know before they appoint someone: the county's rule is that post
holders are party members in service living where they serve (在职党员干部, 住在本片区). The
check warns; the staff decide (a county short of members appoints others)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from sanzhang.core.crypto import keyed_hash
from sanzhang.people.models import PartyMember, Person
from sanzhang.places.models import Place
from sanzhang.places.tree import is_under

from .models import Tenure


def appointment_concerns(
    person: Person | None,
    name: str,
    place: Place,
    *,
    sees: Callable[[str], bool],
    reserve: bool = False,
) -> list[str]:
    """Why appointing `person` (None: someone the register does not know yet, by `name`) to a
    post at `place` goes against the rule; empty when it does not. Of a person living outside
    the area of whoever asks (`sees` a place code), it says only that they do not live there
    (where they live, and whether they are a member, are not theirs to know)."""
    concerns = []
    household = person.household if person is not None else None
    if household is not None and not sees(household.place.code):
        return [
            _("%(name)s is not in the register as living in %(place)s.")
            % {"name": name, "place": place.name}
        ]
    if household is None or household.moved_away_on is not None:
        concerns.append(
            _("%(name)s is not in the register as living in %(place)s.")
            % {"name": name, "place": place.name}
        )
    elif not is_under(household.place.code, place.code):
        concerns.append(
            _("%(name)s lives in %(home)s, outside %(place)s.")
            % {"name": name, "home": household.place.name, "place": place.name}
        )
    # A reserve holder is chosen from the residents (从群众中选拔): not necessarily a member.
    if reserve:
        return concerns
    if person is None or not PartyMember.objects.filter(person=person).exists():
        concerns.append(
            _("%(name)s is not a party member registered at a community (在职党员报到).")
            % {"name": name}
        )
    return concerns


def concerns_key(concerns: list[str]) -> str:
    """A fingerprint of the concerns shown: "appoint despite them" holds only for those."""
    return keyed_hash("\n".join(concerns))[:32] if concerns else ""


def takeover_concerns(reserve: Tenure, *, sees: Callable[[str], bool]) -> list[str]:
    """What the rule says of a reserve holder becoming the holder (the party-member rule, which
    a reserve need not meet, applies to holders)."""
    return appointment_concerns(reserve.person, reserve.person.name, reserve.post.place, sees=sees)
