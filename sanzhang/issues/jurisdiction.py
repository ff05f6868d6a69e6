"""Whose rules are in force at a place (辖区): a county's own, else its province's, else the
install's defaults (rows with no place).

Rules that work as a set (categories, routing rules) come whole from the nearest jurisdiction
that has any: `in_force(Category.objects.all(), code)`. Rules keyed by something (a step's
deadline by tier and step, a point rule by cause) come from the nearest jurisdiction that has a
row for that key: filter by the key first, `in_force(StepDeadline.objects.filter(tier=t,
state=s), code)`. Holidays add up: `layered` gives every jurisdiction's rows, nearest last, so
a county's row for a date wins over the default one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, F, Model, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, roles_granted
from sanzhang.core.errors import NotAllowed
from sanzhang.places.models import Place
from sanzhang.places.tree import lineage

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor


def _lineage_q(code: str | None) -> Q:
    """Rows of the defaults, or of any place from the root down to `code`."""
    if code is None:
        return Q(place__isnull=True)
    return Q(place__isnull=True) | Q(place__code__in=lineage(code))


def in_force[M: Model](rows: QuerySet[M], code: str | None) -> QuerySet[M]:
    """The `rows` of the nearest jurisdiction at `code` that has any, else the defaults (one
    query: the nearest place is a subquery)."""
    if code is None:
        return rows.filter(place__isnull=True)
    nearest = (
        rows.filter(place__code__in=lineage(code)).order_by("-place__depth").values("place_id")[:1]
    )
    defaults = Q(place__isnull=True) & ~Exists(nearest)
    return rows.filter(Q(place_id=Subquery(nearest)) | defaults)


def layered[M: Model](rows: QuerySet[M], code: str | None) -> QuerySet[M]:
    """`rows` of every jurisdiction at `code`: the defaults first, then down to the nearest,
    so building a dict from them lets the nearest row win."""
    return rows.filter(_lineage_q(code)).order_by(F("place__depth").asc(nulls_first=True))


def own_place(actor: Actor) -> Place | None:
    """The jurisdiction whose rules `actor` changes: their organisation's place (a county's
    office, its county's; a province's office, the province's defaults). The office at the top
    of the tree (a county or a province with nothing above it) changes the install's defaults,
    which are its own: an install of one county keeps working as it did. Those without an
    organisation (the system administrator) change the defaults too."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        if getattr(actor, "role", None) in roles_granted(Can.CHANGE_ISSUE_RULES):
            raise NotAllowed(_("This office account belongs to no office."))
        return None
    if organisation.place.parent_id is None:
        return None
    return organisation.place


def code_of(place: Place | None) -> str | None:
    return place.code if place is not None else None


def home_code(user: Actor) -> str | None:
    """Where a user's rules come from: the first place of their scope (an organisation's place,
    a post holder's post), else their household's place (a resident)."""
    from sanzhang.access.scope import scope_codes

    codes = scope_codes(user)  # known already on most pages (staff, office, post holders)
    if codes:
        return codes[0]
    person = getattr(user, "person", None)
    if person is not None and person.household_id is not None:
        return str(person.household.place.code)
    return None
