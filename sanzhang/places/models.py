from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .tree import TreeCodeField

if TYPE_CHECKING:
    from sanzhang.access.actor import Visitor


class PlaceKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    COMMUNITY = "community", _("Community")
    DISTRICT = "district", _("District")
    AREA = "area", pgettext_lazy("place kind", "Area")  # 片区, not "Area" (管辖区域) elsewhere
    GRID = "grid", _("Grid")
    BUILDING = "building", _("Building")
    UNIT = "unit", _("Unit")


# Which kinds may sit directly under which. A grid takes buildings only in town (under a
# community); a rural grid (under an area) holds households directly.
CHILD_KINDS: dict[str | None, set[str]] = {
    None: {PlaceKind.PROVINCE, PlaceKind.CITY, PlaceKind.COUNTY},
    PlaceKind.PROVINCE: {PlaceKind.CITY, PlaceKind.COUNTY},
    PlaceKind.CITY: {PlaceKind.COUNTY},
    PlaceKind.COUNTY: {PlaceKind.COMMUNITY, PlaceKind.DISTRICT},
    PlaceKind.COMMUNITY: {PlaceKind.GRID},
    PlaceKind.DISTRICT: {PlaceKind.AREA},
    PlaceKind.AREA: {PlaceKind.GRID},
    PlaceKind.GRID: {PlaceKind.BUILDING},
    PlaceKind.BUILDING: {PlaceKind.UNIT},
    PlaceKind.UNIT: set(),
}


def jurisdiction_field() -> models.ForeignKey[Place | None, Place | None]:
    """The place a rule belongs to (辖区): a county's own, a province's defaults, or none for
    the default of the whole install (see `issues.jurisdiction`)."""
    return models.ForeignKey(
        "places.Place",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty for the default of the whole install."),
    )


class PlaceQuerySet(models.QuerySet["Place"]):
    def active(self) -> PlaceQuerySet:
        return self.filter(retired_at__isnull=True)

    def under(self, code: str) -> PlaceQuerySet:
        return self.filter(code__under=code)

    def visible_to(self, user: Visitor) -> PlaceQuerySet:
        from sanzhang.access.scope import scope_filter

        return self.filter(scope_filter(user, "code"))


class Place(models.Model):
    """A place in the county's tree (统一命名、统一编号): county down to the unit (单元).

    `code` is the place's address in the tree and changes only when the place moves; every
    code it had before stays in PlaceCodeAlias, so a code printed on a board still resolves.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = TreeCodeField(_("code"), unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    is_rural = models.BooleanField(_("rural"), default=False)
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    centre_lng = models.FloatField(_("centre longitude"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "code"], name="place_kind_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def ancestors(self) -> list[Place]:
        """From the root down to the parent, in one query, kept on this object while its code
        stays (routing and the tier's suggestion both ask during one report)."""
        kept = getattr(self, "_ancestors", None)
        if kept is not None and kept[0] == self.code:
            return list(kept[1])
        parts = self.code.split(".")
        codes = [".".join(parts[:i]) for i in range(1, len(parts))]
        found = list(Place.objects.filter(code__in=codes).order_by("depth"))
        self._ancestors = (self.code, found)
        return list(found)


class PlaceCodeAlias(models.Model):
    """A code a place had before it moved; printed codes keep resolving (and are never reused)."""

    code = TreeCodeField(_("old code"), unique=True)
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="old_codes", verbose_name=_("place")
    )
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)

    class Meta:
        verbose_name = _("old place code")
        verbose_name_plural = _("old place codes")

    def __str__(self) -> str:
        return f"{self.code} → {self.place.code}"


class PlaceEvent(models.Model):
    """Append-only history of a place: created, renamed, moved, retired, imported."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        RENAMED = "renamed", _("renamed")
        MOVED = "moved", _("moved")
        RETIRED = "retired", _("retired")
        UPDATED = "updated", _("updated")

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="events", verbose_name=_("place")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("place event")
        verbose_name_plural = _("place events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.place_id} {self.action} {self.at:%Y-%m-%d}"
