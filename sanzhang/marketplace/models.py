"""The service micro-platform (服务微平台): merchants' applications, the merchants listed in
communities, residents' bookings and what happened to each.

One merchant per phone (a unique keyed hash), one listing per merchant and community, one
booking per resident's form token and one complaint issue per booking: a retry finds the row
it made and makes nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanzhang.core.crypto import EncryptedTextField, keyed_hash
from sanzhang.issues.models import Issue
from sanzhang.people.models import Household
from sanzhang.places.models import Place


class ServiceKind(models.TextChoices):
    """The fixed list of services merchants offer (服务类别)."""

    APPLIANCE_REPAIR = "appliance_repair", _("Appliance repair (家电维修)")
    CLEANING = "cleaning", _("Cleaning (卫生清理)")
    LOCKSMITH = "locksmith", _("Locksmith (开锁)")
    HOUSEKEEPING = "housekeeping", _("Housekeeping (家政)")
    PLUMBING = "plumbing", _("Plumbing and wiring (水电维修)")
    MOVING = "moving", _("Moving (搬家)")


def licence_path(instance: Application, filename: str) -> str:
    return f"marketplace/licences/{filename}"


def booking_photo_path(instance: BookingPhoto, filename: str) -> str:
    return f"marketplace/bookings/{filename}"


class Application(models.Model):
    """A merchant's request to be listed (入驻申请), sent from the public page; the staff of a
    served community (or the county office) check it and list it or refuse it with a reason."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be checked")
        LISTED = "listed", _("listed")
        REFUSED = "refused", _("refused")

    token = models.CharField(max_length=64, unique=True)  # the form's: a double submit is one
    business_name = models.CharField(_("business name"), max_length=100)
    contact_name = models.CharField(_("contact name"), max_length=50)
    phone = EncryptedTextField(_("phone"))
    phone_hash = models.CharField(max_length=64, db_index=True, editable=False)
    services = models.JSONField(_("services"), default=list)
    prices = models.TextField(_("prices as stated"), blank=True)
    county = models.ForeignKey(
        Place, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    communities = models.ManyToManyField(Place, verbose_name=_("communities served"))
    licence = models.ImageField(_("licence photo"), upload_to=licence_path)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("merchant application")
        verbose_name_plural = _("merchant applications")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.business_name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.phone_hash = keyed_hash(self.phone) if self.phone else ""
        super().save(*args, **kwargs)


class Merchant(models.Model):
    """A listed merchant or tradesperson, with the account they sign in to by phone code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="merchant"
    )
    business_name = models.CharField(_("business name"), max_length=100)
    contact_name = models.CharField(_("contact name"), max_length=50)
    phone = EncryptedTextField(_("phone"))
    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    services = models.JSONField(_("services"), default=list)
    prices = models.TextField(_("prices as stated"), blank=True)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ["business_name", "id"]

    def __str__(self) -> str:
        return self.business_name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.phone_hash = keyed_hash(self.phone) if self.phone else ""
        super().save(*args, **kwargs)

    def service_names(self) -> list[str]:
        names = dict(ServiceKind.choices)
        return [str(names[kind]) for kind in self.services if kind in names]


class Listing(models.Model):
    """A merchant listed in one community; suspended listings are not shown and take no
    bookings."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="listings")
    community = models.ForeignKey(
        Place, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    suspended = models.BooleanField(_("suspended"), default=False)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    listed_at = models.DateTimeField(_("listed at"))

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["merchant__business_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "community"], name="marketplace_listing_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.merchant} @ {self.community}"


class Booking(models.Model):
    """A resident's booking of a listed merchant: a wanted time, the problem and photos; the
    merchant answers, does the work, and the resident rates it once. Payment is between them."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACCEPTED = "accepted", pgettext_lazy("booking", "accepted")
        PROPOSED = "proposed", _("another time proposed")
        DECLINED = "declined", pgettext_lazy("booking", "declined")
        CANCELLED = "cancelled", pgettext_lazy("booking", "cancelled")
        DONE = "done", pgettext_lazy("booking", "done")
        RATED = "rated", _("rated")

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="bookings")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64)
    service = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    wanted_at = models.DateTimeField(_("wanted time"))
    proposed_at = models.DateTimeField(_("proposed time"), null=True, blank=True)
    problem = models.TextField(_("the problem"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    stars = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_words = models.CharField(_("rating words"), max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    complaint = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "token"], name="marketplace_booking_once"),
            models.CheckConstraint(
                condition=models.Q(stars__isnull=True) | models.Q(stars__gte=1, stars__lte=5),
                name="marketplace_stars_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["listing", "rated_at"], name="marketplace_rated")]

    def __str__(self) -> str:
        return f"{self.listing.merchant} {self.wanted_at:%Y-%m-%d}"


class BookingPhoto(models.Model):
    """A photo of the problem, sent with the booking."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to=booking_photo_path)

    class Meta:
        verbose_name = _("booking photo")
        verbose_name_plural = _("booking photos")

    def __str__(self) -> str:
        return self.image.name or ""


class BookingEvent(models.Model):
    """One move of a booking: who, when, from which state to which, and why (append-only)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, choices=Booking.State.choices)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.from_state} → {self.to_state}"
