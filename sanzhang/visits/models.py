"""Leaders' visits (敲门行动, 网格巡访, 邻里串门): who was met and what was heard, the issues
found on the way, and each household's contact status (每户至少一人 in the contact group)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import Household
from sanzhang.places.models import Place


class Visit(models.Model):
    class Kind(models.TextChoices):
        DOOR_KNOCKING = "door_knocking", _("Door-knocking (敲门行动)")
        PATROL = "patrol", _("Grid patrol (网格巡访)")
        NEIGHBOUR = "neighbour", _("Neighbour visit (邻里串门)")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="visits"
    )
    met = models.CharField(_("who was met"), max_length=200, blank=True)
    heard = models.TextField(_("what was heard"), blank=True)
    contact_in_group = models.BooleanField(
        _("someone in the contact group"),
        null=True,
        blank=True,
        help_text=_("At least one member of the household is in the contact group."),
    )
    issues = models.ManyToManyField(
        "issues.Issue", verbose_name=_("issues found"), blank=True, related_name="+"
    )
    visited_at = models.DateTimeField(_("visited at"))
    # Typed on the phone, maybe offline: the phone's key makes a resend the same visit.
    client_key = models.CharField(_("idempotency key"), max_length=64)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "client_key"], name="visit_once"),
        ]
        indexes = [
            models.Index(fields=["household", "visited_at"], name="visit_household_at"),
            models.Index(fields=["visited_at"], name="visit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_at:%Y-%m-%d}"


class HouseholdContact(models.Model):
    """Whether a household has someone in its unit/building/grid contact group, as a leader last
    confirmed it (每户至少一人)."""

    household = models.OneToOneField(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="contact"
    )
    in_group = models.BooleanField(_("someone in the contact group"))
    confirmed_at = models.DateTimeField(_("confirmed at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("household contact")
        verbose_name_plural = _("household contacts")

    def __str__(self) -> str:
        return f"{self.household_id}: {self.in_group}"
