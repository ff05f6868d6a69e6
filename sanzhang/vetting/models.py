"""Cadre vetting in the grid (干部考察进网格): before a cadre is promoted, the county's
organisation department (组织部) asks the party branch and the grid leader where the cadre
lives what the neighbours say of the cadre's family conduct.

A vetting is confidential: the department of its county and the reviewers assigned to it see
it, nobody else (not the cadre). The reviewers are resolved when it is opened and stored as
`Reviewer` rows: a new holder of the post does not see a vetting opened before their time
until the department reassigns the reviewers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanzhang.party.models import PartyOrganisation
from sanzhang.people.models import Household, Person
from sanzhang.places.models import Place
from sanzhang.posts.models import Post

if TYPE_CHECKING:
    from sanzhang.access.actor import Visitor


class Status(models.TextChoices):
    OPEN = "open", _("collecting views")
    SUBMITTED = "submitted", _("findings submitted")
    DECIDED = "decided", _("decided")


class Conclusion(models.TextChoices):
    SATISFACTORY = "satisfactory", _("satisfactory")
    NOT_SATISFACTORY = "not_satisfactory", _("not satisfactory")


class Decision(models.TextChoices):
    PROMOTE = "promote", _("promote")
    DEFER = "defer", _("defer")


# The fields of the grid's findings under their set headings, in the order shown.
HEADINGS = ["family_conduct", "neighbours", "law_abiding", "community_affairs"]


def heading(name: str) -> str:
    """The heading of a findings field, in the reader's language."""
    field = Vetting._meta.get_field(name)
    assert isinstance(field, models.Field)  # nosec B101 # for mypy: a column, not a relation
    return str(field.verbose_name)


class VettingQuerySet(models.QuerySet["Vetting"]):
    def visible_to(self, user: Visitor) -> VettingQuerySet:
        from .access import visible_filter

        return self.filter(visible_filter(user))


class Vetting(models.Model):
    """One cadre's vetting in the grid(s) where they live: opened by the department, views and
    findings by the reviewers, the decision by the department, once. `version` settles races."""

    county = models.ForeignKey(
        Place, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    cadre_name = models.CharField(_("cadre's name"), max_length=50)
    current_post = models.CharField(_("current post and work unit"), max_length=200)
    proposed_post = models.CharField(_("post considered for"), max_length=200)
    # The cadre in the register, when found: kept away from their own vetting.
    cadre_person = models.ForeignKey(
        Person,
        verbose_name=_("cadre in the register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    households = models.ManyToManyField(
        Household, verbose_name=_("households where the cadre lives"), related_name="+"
    )
    branches = models.ManyToManyField(
        PartyOrganisation, verbose_name=_("party branches asked"), related_name="+"
    )
    deadline = models.DateField(_("deadline for the findings"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))
    # Rendered into the opening form: the same form posted twice opens one vetting.
    token = models.UUIDField(_("form token"), null=True, blank=True, unique=True, editable=False)
    family_conduct = models.TextField(_("Family upbringing and conduct (家教家风)"), blank=True)
    neighbours = models.TextField(_("Relations with neighbours (邻里关系)"), blank=True)
    law_abiding = models.TextField(_("Observing law and discipline (遵纪守法)"), blank=True)
    community_affairs = models.TextField(
        _("Taking part in community affairs (参与社区事务)"), blank=True
    )
    conclusion = models.CharField(
        _("conclusion"), max_length=20, choices=Conclusion.choices, blank=True
    )
    reasons = models.TextField(_("reasons"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("findings submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("findings submitted at"), null=True, blank=True)
    decision = models.CharField(
        _("the department's decision"), max_length=10, choices=Decision.choices, blank=True
    )
    decision_note = models.TextField(_("note on the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decision recorded at"), null=True, blank=True)

    objects = VettingQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre vetting")
        verbose_name_plural = _("cadre vettings")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["county", "status"], name="vetting_county_status")]

    def __str__(self) -> str:
        # Neutral: the audit log keeps str(obj), and must not name the cadre vetted.
        return str(_("vetting #%(number)s") % {"number": self.pk})


class Reviewer(models.Model):
    """A reviewer assigned to a vetting: the holder, at opening, of a branch secretary's or
    grid leader's post concerned. Ended (not deleted) when the department reassigns."""

    vetting = models.ForeignKey(
        Vetting, verbose_name=_("vetting"), on_delete=models.CASCADE, related_name="reviewers"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("reviewer since"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [
            models.UniqueConstraint(
                fields=["vetting", "post", "person"],
                condition=models.Q(ended_at__isnull=True),
                name="vetting_reviewer_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.post}"


class View(models.Model):
    """A view heard by a reviewer: who gave it (a neighbour, a branch member) and what they
    said. Never shown outside the vetting; the export leaves the givers out."""

    class Giver(models.TextChoices):
        NEIGHBOUR = "neighbour", _("neighbour")
        BRANCH_MEMBER = "branch_member", _("branch member")
        OTHER = "other", _("other resident")

    vetting = models.ForeignKey(
        Vetting, verbose_name=_("vetting"), on_delete=models.CASCADE, related_name="views"
    )
    giver_kind = models.CharField(_("given by a"), max_length=16, choices=Giver.choices)
    giver = models.CharField(_("name of who gave it"), max_length=50)
    relationship = models.CharField(_("relationship to the cadre"), max_length=50, blank=True)
    said = models.TextField(_("what they said"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("view")
        verbose_name_plural = _("views")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.said[:30]
