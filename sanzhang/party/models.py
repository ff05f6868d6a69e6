"""The party organisation that mirrors the places (四级组织体系).

Town: the community's working committee (社区党工委) > a grid's branch (网格党支部, one per urban
grid) > building or unit groups (党小组). Village: the township committee (乡镇党委) > the
village's branch > a grid's group (网格党小组). Each organisation sits at a place; its scope is
that place's subtree. A branch's secretary is a post at the branch's place (`posts`), held over
periods like the 三长's.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import PartyMember
from sanzhang.places.models import Place


class PartyOrganisationQuerySet(models.QuerySet["PartyOrganisation"]):
    def branches(self) -> PartyOrganisationQuerySet:
        return self.filter(kind=PartyOrganisation.Kind.BRANCH)

    def groups(self) -> PartyOrganisationQuerySet:
        return self.filter(kind=PartyOrganisation.Kind.GROUP)

    def visible_to(self, user) -> PartyOrganisationQuerySet:  # type: ignore[no-untyped-def]
        from sanzhang.access.scope import scope_filter

        return self.filter(scope_filter(user, "place__code"))


class PartyOrganisation(models.Model):
    """A party committee (党委), working committee (党工委), branch (党支部) or group (党小组)."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Party committee (党委)")
        WORKING_COMMITTEE = "working_committee", _("Party working committee (党工委)")
        BRANCH = "branch", _("Party branch (党支部)")
        GROUP = "group", _("Party group (党小组)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("above"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="party_organisations",
        help_text=_("The grid, community, village or county it serves."),
    )
    work_unit = models.CharField(
        _("work unit"),
        max_length=100,
        blank=True,
        help_text=_("For a branch of a work unit rather than of a place."),
    )
    # The county's own number for it, by which an import finds it again.
    ref = models.CharField(_("reference"), max_length=40, blank=True)

    objects = PartyOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["place__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "kind", "name"], name="party_organisation_name_per_place"
            ),
            models.UniqueConstraint(
                fields=["ref"], condition=~Q(ref=""), name="party_organisation_unique_ref"
            ),
            # A group always sits under a branch; only a top committee has nothing above.
            models.CheckConstraint(
                condition=~Q(kind="group") | Q(parent__isnull=False),
                name="party_group_has_branch",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """The branch or group a registered party member belongs to (组织关系)."""

    member = models.OneToOneField(
        PartyMember,
        verbose_name=_("party member"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("branch or group"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.member} · {self.organisation}"
