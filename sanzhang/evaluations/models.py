"""Public evaluation (党群评议): the county office opens a period; residents and party members
say how satisfied they are with each post holder over their home; when the period closes, each
holder's counts are kept as a `Result` and the well rated earn points.

A vote keeps its voter (a person: one person, one evaluation of each holder per period, even
with several accounts or none) only to enforce that rule: no page or export ever shows who
voted what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import Person
from sanzhang.places.models import Place
from sanzhang.posts.models import Tenure

COMMENT_MAX = 200


class Choice(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied (满意)")
    BASIC = "basic", _("Basically satisfied (基本满意)")
    UNSATISFIED = "unsatisfied", _("Not satisfied (不满意)")


class State(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Period(models.Model):
    """One round of evaluation (e.g. 2026年第四季度) over the holders of posts under `place`
    (the office's county). Votes are taken from `starts_on` to `ends_on` while it is open.
    `pass_rate` and `min_votes` decide, at closing, who earns points."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=60)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    pass_rate = models.PositiveSmallIntegerField(
        _("satisfaction rate for points (%)"),
        default=90,
        help_text=_("Holders rated at least this satisfied earn points when the period closes."),
    )
    min_votes = models.PositiveSmallIntegerField(
        _("fewest votes for points"),
        default=5,
        help_text=_("A holder needs at least this many evaluations to earn points."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["place"], condition=Q(state="open"), name="evaluation_one_open_per_place"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="evaluation_period_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN


class Evaluation(models.Model):
    """One person's evaluation of one holder (a tenure: the person in the post) in a period."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="evaluations"
    )
    tenure = models.ForeignKey(
        Tenure, verbose_name=_("post holder"), on_delete=models.PROTECT, related_name="+"
    )
    voter = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    choice = models.CharField(_("evaluation"), max_length=12, choices=Choice.choices)
    comment = models.CharField(_("comment"), max_length=COMMENT_MAX, blank=True)
    at = models.DateTimeField(_("evaluated at"))

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            # The once-only rule; its index also serves the per-holder GROUP BY of a period.
            models.UniqueConstraint(
                fields=["period", "tenure", "voter"], name="evaluation_once_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["period", "tenure", "choice"], name="evaluation_tally"),
            models.Index(fields=["voter", "period"], name="evaluation_by_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.tenure_id} · {self.get_choice_display()}"


class Result(models.Model):
    """A holder's counts in a period: kept up to date by each evaluation (in its transaction)
    while the period is open, and recounted from the votes when it closes; reading results is
    one row per holder, never a pass over the votes."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="results"
    )
    tenure = models.ForeignKey(
        Tenure, verbose_name=_("post holder"), on_delete=models.PROTECT, related_name="+"
    )
    satisfied = models.PositiveIntegerField(_("satisfied"))
    basic = models.PositiveIntegerField(_("basically satisfied"))
    unsatisfied = models.PositiveIntegerField(_("not satisfied"))

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        constraints = [
            models.UniqueConstraint(fields=["period", "tenure"], name="evaluation_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.tenure}"

    @property
    def place(self) -> Place:
        """Where the points are earned: the post's place (points.services.place_code_of)."""
        return self.tenure.post.place
