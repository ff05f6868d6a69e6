"""Micro-wishes (微心愿): a resident's small wish, checked by the community, claimed by one
party member (认领), fulfilled, and confirmed by the resident; every step is a `WishEvent`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import Household, Person
from sanzhang.places.models import Place


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for review")
    APPROVED = "approved", _("open for claiming")
    REJECTED = "rejected", _("not accepted")
    CLAIMED = "claimed", _("claimed")
    FULFILLED = "fulfilled", _("fulfilled, to be confirmed")
    CONFIRMED = "confirmed", _("confirmed by the resident")


class Late(models.TextChoices):
    NONE = "", _("on time")
    UNCLAIMED = "unclaimed", _("not claimed in time")
    UNFULFILLED = "unfulfilled", _("not fulfilled in time")


def photo_path(instance: Wish, filename: str) -> str:
    return f"wishes/{instance.created_at:%Y/%m}/{filename}"


class Wish(models.Model):
    """A micro-wish of a household (微心愿). `place` is the household's place, copied so that
    "wishes under a place" is one prefix query; `version` settles races (one claimer wins)."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="wishes"
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="wishes"
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        related_name="posted_wishes",
    )
    for_person = models.ForeignKey(
        Person,
        verbose_name=_("wished by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wishes",
    )
    text = models.TextField(_("wish"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason not accepted"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    claim_by = models.DateTimeField(_("to be claimed by"), null=True, blank=True)
    claimer = models.ForeignKey(
        Person,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_wishes",
    )
    claimed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed through the account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    fulfil_by = models.DateTimeField(_("to be fulfilled by"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    fulfil_note = models.TextField(_("how it was fulfilled"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    late = models.CharField(_("late"), max_length=12, choices=Late.choices, blank=True)
    flagged_at = models.DateTimeField(_("flagged late at"), null=True, blank=True)
    post_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    post_digest = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("posted at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["posted_by", "post_key"],
                condition=~models.Q(post_key=""),
                name="wish_post_key_once",
            )
        ]
        indexes = [
            models.Index(fields=["status", "claim_by"], name="wish_status_claim_by"),
            models.Index(fields=["status", "fulfil_by"], name="wish_status_fulfil_by"),
            models.Index(fields=["status", "place"], name="wish_status_place"),
        ]

    def __str__(self) -> str:
        return self.text[:30]


class WishEvent(models.Model):
    """One entry of a wish's timeline (who, when, from which status to which): append-only."""

    class Kind(models.TextChoices):
        POSTED = "posted", _("wish posted")
        APPROVED = "approved", _("checked and shown")
        REJECTED = "rejected", _("not accepted")
        CLAIMED = "claimed", _("claimed")
        RELEASED = "released", _("given back")
        FULFILLED = "fulfilled", _("fulfilled")
        CONFIRMED = "confirmed", _("confirmed by the resident")
        LATE_CLAIM = "late_claim", _("flagged: not claimed in time")
        LATE_FULFIL = "late_fulfil", _("flagged: not fulfilled in time")

    wish = models.ForeignKey(
        Wish, verbose_name=_("micro-wish"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(_("from status"), max_length=12, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("micro-wish event")
        verbose_name_plural = _("micro-wish events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.wish_id} {self.kind}"
