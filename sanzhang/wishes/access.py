"""Who sees a wish and who may act on it.

Sight: the county office, community staff and post holders see the wishes in their part of
the tree; a resident their household's wishes and those they posted. Anyone who may claim
also sees the checked wishes of their own county (open, claimed or fulfilled).

Claiming: registered party members (在职党员, a `PartyMember` row for the account's person),
post holders (who are party members or volunteers in their own right) and registered volunteer
riders (莲乡红骑兵).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from sanzhang.access.actor import standing
from sanzhang.access.roles import Can, can
from sanzhang.access.scope import acts_in, in_scope, scope_codes, scope_filter
from sanzhang.people.models import PartyMember
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import lineage

from .models import Status, Wish

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor, Visitor

SHOWN = [Status.APPROVED, Status.CLAIMED, Status.FULFILLED, Status.CONFIRMED]


def party_member(user: Actor) -> PartyMember | None:
    """The account's party-member registration (read once per request)."""
    return standing(user).party_member


def may_claim(user: Visitor) -> bool:
    """Party members, post holders and volunteer riders claim wishes; the claim is recorded on
    their person."""
    if not user.is_authenticated or not user.is_active or not user.person_id:
        return False
    return can(user, Can.CLAIM_WISHES) or party_member(user) is not None or _rider(user) is not None


def in_staff_menu(user: Actor) -> bool:
    """The staff menu's 微心愿 leads to the review queue or the open wishes: shown to those who
    may open one of them (residents who claim find the wishes from their own page)."""
    return can(user, Can.USE_CONSOLE) and (can(user, Can.REVIEW_WISHES) or may_claim(user))


def _rider(user: Actor) -> Any:
    from sanzhang.volunteers.services import volunteer_of

    return volunteer_of(user)


def wishes_visible_to(user: Visitor) -> QuerySet[Wish]:
    wishes = Wish.objects.all()
    if not user.is_authenticated or not user.is_active:
        return wishes.none()
    seen = Q(pk__in=[])
    if can(user, Can.OVERSEE_WISHES):
        seen |= scope_filter(user, "place__code")
    if can(user, Can.ACT_AS_RESIDENT):
        seen |= Q(posted_by=user)
        if user.person is not None and user.person.household_id is not None:
            seen |= Q(household_id=user.person.household_id)
    if may_claim(user):
        # Once checked, a wish of their county stays visible to claimers (without the
        # household's details): one who came a moment too late learns it was claimed.
        seen |= Q(status__in=SHOWN) & _under_any(claim_counties(user))
    return wishes.filter(seen)


def _under_any(codes: list[str]) -> Q:
    query = Q(pk__in=[])
    for code in codes:
        query |= Q(place__code__under=code)
    return query


def claim_counties(user: Actor) -> list[str]:
    """The counties whose wishes the user may claim: those of the places they call home (their
    community, their rider's place, the posts they hold)."""
    codes = {c for code in home_codes(user) for c in lineage(code)}
    counties = Place.objects.filter(code__in=codes, kind=PlaceKind.COUNTY)
    return list(counties.values_list("code", flat=True))


def claim_places(user: Actor) -> QuerySet[Place]:
    """The places of the counties whose wishes the user may claim (to filter the open wishes)."""
    query = Q(pk__in=[])
    for code in claim_counties(user):
        query |= Q(code__under=code)
    return Place.objects.active().filter(query)


def home_codes(user: Actor) -> list[str]:
    """Where "near me" is: the community a party member or a volunteer rider registered at,
    else the places a post holder holds."""
    member = party_member(user)
    if member is not None:
        return [member.community.code]
    rider = _rider(user)
    if rider is not None:
        return [rider.place.code]
    return scope_codes(user) or []


def open_near(user: Actor, under: str = "") -> QuerySet[Wish]:
    """Wishes open for claiming, those in the user's own community first, then the county's."""
    wishes = Wish.objects.filter(_under_any(claim_counties(user)), status=Status.APPROVED)
    if under:
        wishes = wishes.filter(place__code__under=under)
    near = Q(pk__in=[])
    for code in home_codes(user):
        near |= Q(place__code__under=code)
    rank = Case(When(near, then=Value(0)), default=Value(1), output_field=IntegerField())
    return wishes.annotate(far=rank).order_by("far", "claim_by", "id")


def may_review(user: Actor, wish: Wish) -> bool:
    """Community staff over the wish's place, or the county office, check it before it shows."""
    return can(user, Can.REVIEW_WISHES) and in_scope(user, wish.place.code)


def may_post_for(user: Actor, household_code: str) -> bool:
    """Post holders and staff post for a household in their scope (the county office: any)."""
    return can(user, Can.OVERSEE_WISHES) and acts_in(user, household_code)


def is_claimer(user: Actor, wish: Wish) -> bool:
    return bool(user.person_id) and wish.claimer_id == user.person_id


def is_resident_of(user: Actor, wish: Wish) -> bool:
    """The poster, or a resident of the wish's household, confirms it was fulfilled."""
    if wish.posted_by_id == user.pk:
        return True  # a leader who posted for someone with no account confirms for them
    person = user.person if user.person_id else None
    return (
        can(user, Can.ACT_AS_RESIDENT)
        and person is not None
        and person.household_id == wish.household_id
    )


def allowed_actions(user: Actor, wish: Wish) -> list[str]:
    """The moves `user` may make on `wish` now (the services check again when they run)."""
    found = []
    if wish.status == Status.SUBMITTED and may_review(user, wish):
        found += ["approve", "reject"]
    if wish.status == Status.APPROVED and may_claim(user):
        own = user.person.household_id if user.person else None
        if own is None or own != wish.household_id:
            found.append("claim")
    if wish.status == Status.CLAIMED and is_claimer(user, wish):
        found += ["fulfil", "release"]
    if wish.status == Status.FULFILLED and is_resident_of(user, wish):
        found.append("confirm")
    return found


def may_see_household(user: Actor, wish: Wish) -> bool:
    """The door and the wisher's name: for the household, the claimer and staff over it."""
    if is_claimer(user, wish) or is_resident_of(user, wish):
        return True
    return can(user, Can.OVERSEE_WISHES) and in_scope(user, wish.place.code)
