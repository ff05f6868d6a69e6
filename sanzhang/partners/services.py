"""The co-building verbs: the staff of a community or village (or the county office) register
a unit and bind it to a place, record the year's agreement and its commitments, and record the
activities done against them; the community's staff, acting for the community party committee,
rate the unit once at the year's end (评价权).

Retries never make a second row: each table has a unique constraint on what a form names, a
verb first looks for the row it would make, and an insert that loses a race reads the winner.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import in_scope, scope_filter
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.people.models import Role
from sanzhang.places.models import Place, PlaceKind

from .models import Activity, Agreement, Binding, Commitment, Rating, Unit
from .rating import HEADINGS

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sanzhang.access.actor import Actor, Visitor

BOUND_PLACE_KINDS = (PlaceKind.COMMUNITY, PlaceKind.AREA)  # communities and villages (片区)
RATING_OPENS = (12, 1)  # month and day of the year from which its agreements may be rated
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass(frozen=True)
class Done[T]:
    """What a verb made, or found made already (`created` False: a retry changed nothing)."""

    row: T
    created: bool


def units_visible_to(user: Visitor) -> QuerySet[Unit]:
    """The units bound (now or before) to a place in the user's scope, and for those whose
    scope is the whole county (the office, the organisation department) every unit of it."""
    bound = Binding.objects.filter(scope_filter(user, "place__code")).values("unit_id")
    return Unit.objects.filter(Q(pk__in=bound) | scope_filter(user, "county__code"))


def agreements_visible_to(user: Visitor) -> QuerySet[Agreement]:
    """The agreements of communities and villages in the user's scope."""
    return Agreement.objects.filter(scope_filter(user, "community__code"))


def sees_contact(user: Visitor, unit: Unit) -> bool:
    """The contact's phone is for the staff of the unit's own communities and villages."""
    if not can(user, Can.KEEP_PARTNERS) or getattr(user, "role", None) != Role.COMMUNITY_STAFF:
        return False
    places = Binding.objects.filter(unit=unit, until__isnull=True).values_list("place__code")
    return any(in_scope(user, code) for (code,) in places)


def _keeper_of(actor: Actor, place: Place) -> None:
    if not can(actor, Can.KEEP_PARTNERS) or not in_scope(actor, place.code):
        raise NotAllowed(_("Only the staff of this community or the county office keep its units."))
    if place.kind not in BOUND_PLACE_KINDS:
        raise Invalid(_("Units are bound to a community or a village."))


def _county_of(place: Place) -> Place:
    county = next((p for p in place.ancestors() if p.kind == PlaceKind.COUNTY), None)
    if county is None:
        raise Invalid(_("This place lies in no county."))
    return county


def register_unit(
    actor: Actor,
    *,
    place: Place,
    name: str,
    kind: str,
    binding_kind: str,
    party_organisation: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    since: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Done[Unit]:
    """Register a unit of the county and bind it to `place`. A unit already registered under
    that name in the county (by another community) is bound as it is: its details stay."""
    _keeper_of(actor, place)
    if since is not None and since > timezone.localdate():
        raise Invalid(_("The binding cannot start in the future."))
    name = " ".join(name.split())
    if not name:
        raise Invalid(_("Give the unit's name."))
    county = _county_of(place)
    with transaction.atomic():
        unit, created = Unit.objects.get_or_create(
            county=county,
            name=name[:100],
            defaults={
                "kind": kind,
                "party_organisation": party_organisation.strip()[:100],
                "contact_name": contact_name.strip()[:50],
                "contact_phone": contact_phone.strip()[:20],
                "created_by": actor,
                "created_at": timezone.now(),
            },
        )
        bound = bind(actor, unit, place, kind=binding_kind, since=since)
    if created or bound.created:
        audit(
            "partners.unit_registered",
            actor=actor,
            request=request,
            obj=unit,
            detail={"place": place.code, "new_unit": created},
        )
    return Done(unit, created or bound.created)


def bind(
    actor: Actor, unit: Unit, place: Place, *, kind: str, since: datetime.date | None = None
) -> Done[Binding]:
    """Bind `unit` to `place` (once while the binding lasts)."""
    _keeper_of(actor, place)
    found = Binding.objects.filter(unit=unit, place=place, until__isnull=True).first()
    if found is not None:
        return Done(found, False)
    try:
        with transaction.atomic():
            binding = Binding.objects.create(
                unit=unit,
                place=place,
                kind=kind,
                since=since or timezone.localdate(),
                created_by=actor,
            )
    except IntegrityError:  # the same form, a moment earlier
        return Done(Binding.objects.get(unit=unit, place=place, until__isnull=True), False)
    return Done(binding, True)


def end_binding(
    actor: Actor,
    binding: Binding,
    *,
    until: datetime.date,
    request: HttpRequest | None = None,
) -> bool:
    """End the unit's binding to a place on `until`; False if it had ended already (the
    conditional UPDATE settles two staff ending it at once). Its agreements stay."""
    _keeper_of(actor, binding.place)
    if until < binding.since or until > timezone.localdate():
        raise Invalid(_("The end must lie between its start and today."))
    ended = Binding.objects.filter(pk=binding.pk, until__isnull=True).update(until=until)
    if ended:
        audit(
            "partners.binding_ended",
            actor=actor,
            request=request,
            obj=binding.unit,
            detail={"place": binding.place.code, "until": until.isoformat()},
        )
    return bool(ended)


def record_agreement(
    actor: Actor,
    unit: Unit,
    *,
    community: Place,
    year: int,
    signed_on: datetime.date,
    request: HttpRequest | None = None,
) -> Done[Agreement]:
    """The year's agreement of `unit` with `community`, which it must be bound to."""
    _keeper_of(actor, community)
    if not Binding.objects.filter(unit=unit, place=community).exists():
        raise Invalid(_("The unit is not bound to this community or village."))
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Invalid(_("Choose this year, next year or a past year."))
    found = Agreement.objects.filter(unit=unit, community=community, year=year).first()
    if found is not None:
        return Done(found, False)
    try:
        with transaction.atomic():
            agreement = Agreement.objects.create(
                unit=unit,
                community=community,
                year=year,
                signed_on=signed_on,
                created_by=actor,
                created_at=timezone.now(),
            )
    except IntegrityError:
        return Done(Agreement.objects.get(unit=unit, community=community, year=year), False)
    audit("partners.agreement_recorded", actor=actor, request=request, obj=agreement)
    return Done(agreement, True)


def _amount(value: Decimal, message: str) -> Decimal:
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        raise Invalid(message)
    return value.quantize(Decimal("0.01"))


def add_commitment(
    actor: Actor,
    agreement: Agreement,
    *,
    kind: str,
    description: str,
    target: Decimal,
    measure: str,
    request: HttpRequest | None = None,
) -> Done[Commitment]:
    """A line of the agreement: what is promised and how much of it."""
    _keeper_of(actor, agreement.community)
    _open(agreement)
    description, measure = description.strip()[:200], measure.strip()[:10]
    if not description or not measure:
        raise Invalid(_("Say what is promised and what it is measured in."))
    target = _amount(target, _("The target must be a positive amount."))
    if target == 0:
        raise Invalid(_("The target must be a positive amount."))
    fields: dict[str, Any] = {"agreement": agreement, "kind": kind, "description": description}
    found = Commitment.objects.filter(**fields).first()
    if found is not None:
        return Done(found, False)
    try:
        with transaction.atomic():
            commitment = Commitment.objects.create(**fields, target=target, measure=measure)
    except IntegrityError:
        return Done(Commitment.objects.get(**fields), False)
    audit("partners.commitment_added", actor=actor, request=request, obj=commitment)
    return Done(commitment, True)


def _open(agreement: Agreement) -> None:
    if Rating.objects.filter(agreement=agreement).exists():
        raise Invalid(_("The year is rated: its agreement is closed."))


def record_activity(
    actor: Actor,
    commitment: Commitment,
    *,
    held_on: datetime.date,
    what: str,
    amount: Decimal,
    request: HttpRequest | None = None,
) -> Done[Activity]:
    """What the unit did toward `commitment`, on a day of the agreement's year."""
    agreement = commitment.agreement
    _keeper_of(actor, agreement.community)
    _open(agreement)
    what = what.strip()[:200]
    if not what:
        raise Invalid(_("Say what the unit did."))
    if held_on.year != agreement.year or held_on > timezone.localdate():
        raise Invalid(_("The date must lie in the agreement's year, and not in the future."))
    amount = _amount(amount, _("The amount must be zero or more."))
    fields: dict[str, Any] = {"commitment": commitment, "held_on": held_on, "what": what}
    found = Activity.objects.filter(**fields).first()
    if found is not None:
        return Done(found, False)
    try:
        with transaction.atomic():
            activity = Activity.objects.create(
                **fields, amount=amount, recorded_by=actor, recorded_at=timezone.now()
            )
    except IntegrityError:
        return Done(Activity.objects.get(**fields), False)
    audit("partners.activity_recorded", actor=actor, request=request, obj=activity)
    return Done(activity, True)


def rating_opens(year: int) -> datetime.date:
    return datetime.date(year, *RATING_OPENS)


def may_rate(user: Visitor, agreement: Agreement) -> bool:
    return can(user, Can.RATE_PARTNERS) and in_scope(user, agreement.community.code)


def rate(
    actor: Actor,
    agreement: Agreement,
    *,
    grades: dict[str, int],
    comment: str = "",
    request: HttpRequest | None = None,
) -> Done[Rating]:
    """The community party committee's rating of the unit's year: once (a second one changes
    nothing), from December of the year on, a grade for every heading."""
    if not may_rate(actor, agreement):
        raise NotAllowed(_("Only the staff of the community or village rate its units."))
    if timezone.localdate() < rating_opens(agreement.year):
        raise Invalid(_("The year's rating opens on 1 December."))
    if set(grades) != set(HEADINGS) or not all(1 <= g <= 4 for g in grades.values()):
        raise Invalid(_("Give a grade for every heading."))
    found = Rating.objects.filter(agreement=agreement).first()
    if found is not None:
        return Done(found, False)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                agreement=agreement,
                **grades,
                comment=comment.strip()[:2000],
                rated_by=actor,
                rated_at=timezone.now(),
            )
    except IntegrityError:  # rated a moment earlier from another phone: that one stands
        return Done(Rating.objects.get(agreement=agreement), False)
    audit("partners.rated", actor=actor, request=request, obj=rating, detail=grades)
    return Done(rating, True)
