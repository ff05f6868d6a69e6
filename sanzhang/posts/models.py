from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import Person
from sanzhang.places.models import Place, PlaceKind


class PostKind(models.TextChoices):
    DISTRICT_LEADER = "district_leader", _("District leader (大区长)")
    AREA_LEADER = "area_leader", _("Area leader (片区长)")
    GRID_LEADER = "grid_leader", _("Grid leader (网格长)")
    DEPUTY_GRID_LEADER = "deputy_grid_leader", _("Deputy grid leader (副网格长)")
    BUILDING_LEADER = "building_leader", _("Building leader (楼栋长)")
    UNIT_LEADER = "unit_leader", _("Unit leader (单元长)")
    # The secretary of a party branch (党支部书记): of a town grid's branch or a village's.
    BRANCH_SECRETARY = "branch_secretary", _("Party branch secretary (支部书记)")


# The post each kind of place carries (the 三长 of town and village).
POST_FOR_PLACE: dict[str, str] = {
    PlaceKind.DISTRICT: PostKind.DISTRICT_LEADER,
    PlaceKind.AREA: PostKind.AREA_LEADER,
    PlaceKind.GRID: PostKind.GRID_LEADER,
    PlaceKind.BUILDING: PostKind.BUILDING_LEADER,
    PlaceKind.UNIT: PostKind.UNIT_LEADER,
}
PLACE_KINDS_FOR_POST: dict[str, set[str]] = {
    PostKind.DISTRICT_LEADER: {PlaceKind.DISTRICT},
    PostKind.AREA_LEADER: {PlaceKind.AREA},
    PostKind.GRID_LEADER: {PlaceKind.GRID},
    PostKind.DEPUTY_GRID_LEADER: {PlaceKind.GRID},
    PostKind.BUILDING_LEADER: {PlaceKind.BUILDING},
    PostKind.UNIT_LEADER: {PlaceKind.UNIT},
    PostKind.BRANCH_SECRETARY: {PlaceKind.GRID, PlaceKind.AREA, PlaceKind.COMMUNITY},
}


class Post(models.Model):
    """A post (三长) attached to a place, with its duty list (职责清单); people hold it in turn."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="posts"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=PostKind.choices)
    seat = models.PositiveSmallIntegerField(
        _("seat"), default=1, help_text=_("Several deputies may serve one grid.")
    )
    duties = models.TextField(_("duty list"), blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["place", "kind", "seat"], name="post_unique_seat")
        ]

    def __str__(self) -> str:
        return f"{self.place.name} {self.get_kind_display()}"


class TenureQuerySet(models.QuerySet["Tenure"]):
    def current(self) -> TenureQuerySet:
        return self.filter(ended_on__isnull=True)


class Tenure(models.Model):
    """A person holding a post over a period: the post's history of holders (轮岗).

    Besides the holder, a resident may stand as reserve holder (双三长制).
    """

    class Role(models.TextChoices):
        HOLDER = "holder", _("holder")
        RESERVE = "reserve", _("reserve holder")

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="tenures"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="tenures"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.HOLDER)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    objects = TenureQuerySet.as_manager()

    class Meta:
        verbose_name = _("tenure")
        verbose_name_plural = _("tenures")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "role"],
                condition=Q(ended_on__isnull=True),
                name="tenure_one_current_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.post}"


class PostRule(models.Model):
    """What a county sets for a kind of post: the term a holder serves (任期, 轮岗) and whether
    a reserve holder (双三长) may take the holder's steps on issues, not only read them."""

    county = models.ForeignKey(
        Place,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="post_rules",
        limit_choices_to={"kind": PlaceKind.COUNTY},
    )
    kind = models.CharField(_("kind of post"), max_length=24, choices=PostKind.choices)
    term_months = models.PositiveSmallIntegerField(
        _("term in months"),
        null=True,
        blank=True,
        help_text=_("Empty: the post has no fixed term."),
    )
    reserves_act = models.BooleanField(
        _("reserve holders may act"),
        default=False,
        help_text=_("A reserve holder may take the holder's steps on issues, not only read them."),
    )

    class Meta:
        verbose_name = _("post rule")
        verbose_name_plural = _("post rules")
        constraints = [
            models.UniqueConstraint(fields=["county", "kind"], name="postrule_one_per_county_kind")
        ]

    def __str__(self) -> str:
        return f"{self.county.name} {self.get_kind_display()}"
