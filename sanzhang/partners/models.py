"""Co-building units (共建单位): government bodies, enterprises, schools and hospitals that build
a community or village together with it (共建) or are assigned to help it (帮扶); each year's
agreement of commitments per community, the activities recorded against them, and the
community party committee's year-end rating of the unit (评价权).

A unit is registered once per county (its name is unique there) and bound to each community or
village it works with; what a unit does is always counted per agreement, that is per unit,
community and year.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanzhang.places.models import Place


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("Government body (机关单位)")
    ENTERPRISE = "enterprise", _("Enterprise (企业)")
    SCHOOL = "school", _("School (学校)")
    HOSPITAL = "hospital", _("Hospital (医院)")
    OTHER = "other", pgettext_lazy("co-building unit", "Other")


class Unit(models.Model):
    """A co-building unit of a county, with its party organisation and the person to contact
    there (whose phone only the staff of the unit's communities see)."""

    county = models.ForeignKey(
        Place, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("unit name"), max_length=100)
    kind = models.CharField(
        pgettext_lazy("co-building", "kind"), max_length=12, choices=UnitKind.choices
    )
    party_organisation = models.CharField(_("party organisation"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(pgettext_lazy("co-building", "registered at"))

    class Meta:
        verbose_name = _("co-building unit")
        verbose_name_plural = _("co-building units")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="partners_unit_name_per_county")
        ]

    def __str__(self) -> str:
        return self.name


class BindingKind(models.TextChoices):
    CO_BUILDING = "co_building", _("Co-building unit (共建单位)")
    HELPING = "helping", _("Helping unit (帮扶单位)")


class Binding(models.Model):
    """A unit bound to a community or village, from `since` (until `until`, when it ends)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="bindings"
    )
    place = models.ForeignKey(
        Place, verbose_name=_("community or village"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("bound as"), max_length=12, choices=BindingKind.choices)
    since = models.DateField(pgettext_lazy("co-building", "since"))
    until = models.DateField(pgettext_lazy("co-building", "until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("binding")
        verbose_name_plural = _("bindings")
        ordering = ["place__code", "id"]
        constraints = [
            # A unit is bound to a place once at a time: a form sent twice is one binding.
            models.UniqueConstraint(
                fields=["unit", "place"],
                condition=Q(until__isnull=True),
                name="partners_binding_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.place_id}"


class Agreement(models.Model):
    """The year's agreement (共建协议) of a unit with one community or village."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="agreements"
    )
    community = models.ForeignKey(
        Place, verbose_name=_("community or village"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    signed_on = models.DateField(_("signed on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("co-building agreement")
        verbose_name_plural = _("co-building agreements")
        ordering = ["-year", "unit__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "community", "year"], name="partners_agreement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class CommitmentKind(models.TextChoices):
    RESOURCES = "resources", _("Resources (资源)")
    PROJECT = "project", _("Project (项目)")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours (志愿服务时长)")
    FUNDS = "funds", _("Funds (资金)")


class Commitment(models.Model):
    """One line of an agreement: what the unit promised, and how much (in `measure`)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(
        pgettext_lazy("co-building", "kind"), max_length=16, choices=CommitmentKind.choices
    )
    description = models.CharField(_("commitment"), max_length=200)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    measure = models.CharField(_("measured in"), max_length=10)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="partners_target_positive"),
            models.UniqueConstraint(
                fields=["agreement", "kind", "description"], name="partners_commitment_once"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class Activity(models.Model):
    """What the unit did toward a commitment, recorded by the community's staff."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    held_on = models.DateField(_("date"))
    what = models.CharField(_("what was done"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("co-building activity")
        verbose_name_plural = _("co-building activities")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="partners_amount_not_negative"),
            # A form sent twice is one activity.
            models.UniqueConstraint(
                fields=["commitment", "held_on", "what"], name="partners_activity_once"
            ),
        ]

    def __str__(self) -> str:
        return self.what


class Grade(models.IntegerChoices):
    EXCELLENT = 4, _("Excellent (优秀)")
    GOOD = 3, _("Good (良好)")
    FAIR = 2, _("Fair (一般)")
    POOR = 1, _("Poor (较差)")


class Rating(models.Model):
    """The community party committee's year-end rating of a unit (评价权): one per agreement,
    a grade per heading (`HEADINGS` in `rating.py` names them) and a comment."""

    agreement = models.OneToOneField(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="rating"
    )
    keeping = models.PositiveSmallIntegerField(
        _("Commitments kept (履行承诺)"), choices=Grade.choices
    )
    taking_part = models.PositiveSmallIntegerField(
        _("Part in joint activities (参与共建活动)"), choices=Grade.choices
    )
    serving = models.PositiveSmallIntegerField(
        _("Service to residents (服务群众成效)"), choices=Grade.choices
    )
    conduct = models.PositiveSmallIntegerField(_("Conduct (作风表现)"), choices=Grade.choices)
    comment = models.TextField(pgettext_lazy("co-building", "comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("co-building rating")
        verbose_name_plural = _("co-building ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(keeping__range=(1, 4))
                & Q(taking_part__range=(1, 4))
                & Q(serving__range=(1, 4))
                & Q(conduct__range=(1, 4)),
                name="partners_grades_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.overall}"

    @property
    def overall(self) -> str:
        """The overall grade: the rounded mean of the headings' grades (half rounds up)."""
        total = self.keeping + self.taking_part + self.serving + self.conduct
        return str(Grade((total * 2 + 4) // 8).label)
