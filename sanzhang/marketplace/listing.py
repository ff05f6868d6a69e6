"""Merchants apply, staff list or refuse them, suspend and restore listings, and see which
listings' ratings call for a review.

Applying needs no account. Listing makes (or finds) the merchant's account by the phone's keyed
hash, one merchant per phone, and one listing per merchant and community: a retried listing
finds what the first one made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, require
from sanzhang.access.scope import in_scope, scope_filter
from sanzhang.audit.services import record as audit
from sanzhang.core.crypto import keyed_hash
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.core.photos import prepare
from sanzhang.people.models import Role, User
from sanzhang.places.models import Place, PlaceKind

from .models import Application, Booking, Listing, Merchant, ServiceKind

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sanzhang.access.actor import Actor

COMMUNITY_KINDS = (PlaceKind.COMMUNITY, PlaceKind.AREA)  # 社区 in town, 村 (片区) in the country
# A listing is reviewed when the average of its merchant's last RECENT ratings falls below
# THRESHOLD (and there are at least FEWEST of them: one unhappy customer is not a pattern).
RECENT = 10
FEWEST = 3
THRESHOLD = Decimal("3.0")


def communities_of(county: Place) -> QuerySet[Place]:
    """The communities and villages of a county, which merchants choose from by name."""
    return Place.objects.active().filter(kind__in=COMMUNITY_KINDS, code__under=county.code)


def apply(
    *,
    token: str,
    business_name: str,
    contact_name: str,
    phone: str,
    services: Sequence[str],
    prices: str,
    county: Place,
    communities: Sequence[Place],
    licence: UploadedFile[Any],
) -> Application:
    """An application to be listed (no account needed); the same form sent twice is one."""
    found = Application.objects.filter(token=token).first()
    if found is not None:
        return found
    if not business_name.strip() or not contact_name.strip():
        raise Invalid(_("Give the business name and a contact name."))
    if not services or set(services) - set(ServiceKind.values):
        raise Invalid(_("Choose at least one service from the list."))
    served = list(communities)
    allowed = set(communities_of(county).values_list("pk", flat=True))
    if not served or any(place.pk not in allowed for place in served):
        raise Invalid(_("Choose the communities you serve in this county."))
    (photo,) = prepare([licence], limit=1)
    application = Application(
        token=token,
        business_name=business_name.strip()[:100],
        contact_name=contact_name.strip()[:50],
        phone=phone,
        services=list(dict.fromkeys(services)),
        prices=prices.strip()[:2000],
        county=county,
    )
    try:
        with transaction.atomic():
            application.licence.save(photo.name or "licence.jpg", photo, save=False)
            application.save()
            application.communities.set(served)
    except IntegrityError:  # the same form, a moment earlier
        return Application.objects.get(token=token)
    audit("marketplace.applied", obj=application)
    return application


def applications_for(user: Actor) -> QuerySet[Application]:
    """Applications naming a community in the user's scope."""
    return Application.objects.filter(scope_filter(user, "communities__code")).distinct()


def _own_communities(actor: Actor, application: Application) -> list[Place]:
    mine = [p for p in application.communities.all() if in_scope(actor, p.code)]
    if not mine:
        raise NotAllowed(_("This merchant serves no community of yours."))
    return mine


def _merchant_for(application: Application) -> Merchant:
    """The merchant of the application's phone: found by its hash, else made with its account
    (role merchant; signs in by phone code, so no password)."""
    phone_hash = keyed_hash(application.phone)
    found = Merchant.objects.filter(phone_hash=phone_hash).first()
    if found is not None:
        return found
    username = f"shop{phone_hash[:20]}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=Role.MERCHANT, first_name=application.business_name)
        user.set_unusable_password()
        user.save()
    elif user.role != Role.MERCHANT:
        raise Conflict(_("This phone's account is not a merchant's."))
    return Merchant.objects.create(
        user=user,
        business_name=application.business_name,
        contact_name=application.contact_name,
        phone=application.phone,
        services=application.services,
        prices=application.prices,
        application=application,
    )


@dataclass(frozen=True)
class Listed:
    merchant: Merchant
    listings: list[Listing]


def list_merchant(
    actor: Actor, application: Application, *, request: HttpRequest | None = None
) -> Listed:
    """List the applicant in the actor's communities among those it serves. The application
    is done when every community it named has listed it; a retry lists nothing twice."""
    require(actor, Can.LIST_MERCHANTS)
    if application.state == Application.State.REFUSED:
        raise Conflict(_("This application was refused."))
    mine = _own_communities(actor, application)
    try:
        listed = _list(actor, application, mine)
    except IntegrityError:  # another tap listed it a moment earlier: find what it made
        listed = _list(actor, application, mine)
    audit("marketplace.listed", actor=actor, request=request, obj=listed.merchant)
    return listed


def _list(actor: Actor, application: Application, mine: list[Place]) -> Listed:
    now = timezone.now()
    with transaction.atomic():
        merchant = _merchant_for(application)
        # The applicant's phone is not proven theirs: an application naming a listed merchant's
        # phone lists that merchant here as it is, and never rewrites what it offers elsewhere
        # (the staff's page says whose phone it is).
        if merchant.application_id is None:
            Merchant.objects.filter(pk=merchant.pk).update(application=application)
        listings = [
            Listing.objects.get_or_create(
                merchant=merchant,
                community=place,
                defaults={"listed_by": actor, "listed_at": now},
            )[0]
            for place in mine
        ]
        served = set(application.communities.values_list("pk", flat=True))
        listed = set(merchant.listings.values_list("community_id", flat=True))
        if served <= listed:
            Application.objects.filter(pk=application.pk, state=Application.State.PENDING).update(
                state=Application.State.LISTED, decided_by=actor, decided_at=now
            )
    return Listed(merchant, listings)


def refuse(
    actor: Actor, application: Application, *, reason: str, request: HttpRequest | None = None
) -> None:
    """Refuse an application with a reason the applicant can act on."""
    require(actor, Can.LIST_MERCHANTS)
    _own_communities(actor, application)
    reason = reason.strip()
    if not reason:
        raise Invalid(_("Say why, so that the merchant can put it right."))
    moved = Application.objects.filter(pk=application.pk, state=Application.State.PENDING).update(
        state=Application.State.REFUSED,
        reason=reason[:300],
        decided_by=actor,
        decided_at=timezone.now(),
    )
    if not moved:
        raise Conflict(_("This application was already decided."))
    audit("marketplace.refused", actor=actor, request=request, obj=application)


def listings_for(user: Actor) -> QuerySet[Listing]:
    """Listings in the communities of the staff member's scope."""
    return Listing.objects.filter(scope_filter(user, "community__code")).select_related(
        "merchant", "community"
    )


def suspend(
    actor: Actor, listing: Listing, *, suspended: bool, request: HttpRequest | None = None
) -> None:
    """Suspend a listing (not shown, takes no bookings) or restore it."""
    require(actor, Can.LIST_MERCHANTS)
    if not in_scope(actor, listing.community.code):
        raise NotAllowed(_("This listing is not in your communities."))
    moved = Listing.objects.filter(pk=listing.pk, suspended=not suspended).update(
        suspended=suspended
    )
    if moved:
        action = "marketplace.suspended" if suspended else "marketplace.restored"
        audit(action, actor=actor, request=request, obj=listing)


def recent_averages(merchant_ids: Collection[int]) -> dict[int, Decimal]:
    """Merchant id → the average of their last RECENT ratings (merchants with under FEWEST
    ratings are left out), in one query for a whole list page."""
    rows = (
        Booking.objects.filter(listing__merchant_id__in=merchant_ids, stars__isnull=False)
        .order_by("listing__merchant_id", "-rated_at", "-pk")
        .values_list("listing__merchant_id", "stars")
    )
    recent: dict[int, list[int]] = defaultdict(list)
    for merchant_id, stars in rows.iterator():
        if len(recent[merchant_id]) < RECENT:
            recent[merchant_id].append(stars or 0)
    return {
        merchant_id: (Decimal(sum(stars)) / len(stars)).quantize(Decimal("0.1"))
        for merchant_id, stars in recent.items()
        if len(stars) >= FEWEST
    }


def recent_average(merchant: Merchant) -> Decimal | None:
    """The average of the merchant's last RECENT ratings; None under FEWEST of them."""
    return recent_averages([merchant.pk]).get(merchant.pk)


def to_review(user: Actor) -> list[tuple[Listing, Decimal]]:
    """The user's listings whose merchant's recent ratings fall below the threshold."""
    rated = list(
        listings_for(user).filter(merchant__listings__bookings__stars__lt=THRESHOLD).distinct()
    )
    averages = recent_averages({row.merchant_id for row in rated})
    return [
        (row, averages[row.merchant_id])
        for row in rated
        if row.merchant_id in averages and averages[row.merchant_id] < THRESHOLD
    ]


def waiting_for(user: Actor) -> list[Application]:
    """Pending applications naming a community of the user's not yet listed there."""
    pending = applications_for(user).filter(state=Application.State.PENDING)
    found = []
    for application in pending.prefetch_related("communities").order_by("created_at")[:200]:
        listed = set(
            Listing.objects.filter(merchant__phone_hash=application.phone_hash).values_list(
                "community_id", flat=True
            )
        )
        if any(
            in_scope(user, p.code) and p.pk not in listed for p in application.communities.all()
        ):
            found.append(application)
    return found


def merchant_of_phone(application: Application) -> Merchant | None:
    """The merchant listed already with the application's phone (by its hash), if any."""
    return (
        Merchant.objects.filter(phone_hash=keyed_hash(application.phone))
        .exclude(application=application)
        .first()
    )
