"""Points for party members (积分制管理): rules the county office edits, as dated versions,
and an append-only ledger per person.

A rule is never edited: a change closes the rule in force (its `valid_to`, the one field ever
set after creation) and starts a new version from a date, so every entry keeps pointing at the
version, and the points, it was awarded under. Entries are never updated or deleted: the
queryset and `save` refuse it, the admin is read-only, and a mistake is put right by a
correction, a new entry with a reason.

Every entry written, however it is written (`save`, `bulk_create`, the demo's SQL), adds its
points to its person's `DailyPoints` row for its local day in the same transaction
(`daily.add`), so totals over periods of local days read one row per member and day.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import Person
from sanzhang.places.models import jurisdiction_field


class Cause(models.TextChoices):
    """Why points were given. Each app awards its own through `services.award`."""

    VISIT = "visit", _("Household visit (敲门走访)")
    ISSUE_SOLVED_ON_TIME = "issue_solved_on_time", _("Issue solved on time (按时办结)")
    GOOD_RATING = "good_rating", _("Rated satisfied by the resident (群众满意)")
    WISH_FULFILLED = "wish_fulfilled", _("Micro-wish fulfilled (认领微心愿)")
    TASK_JOINED = "task_joined", _("Community task joined (参加社区任务)")
    TRAINING_ATTENDED = "training_attended", _("Training attended (参加夜间课堂)")
    EVALUATION_SATISFIED = (
        "evaluation_satisfied",
        _("Rated satisfied in public evaluation (党群评议满意)"),
    )
    CORRECTION = "correction", _("Correction (更正)")


class CapPeriod(models.TextChoices):
    DAY = "day", _("per day")
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class PointRule(models.Model):
    """One version of the rule for a cause: points per event, and at most `cap` points from
    this cause per `cap_period`, from `valid_from` until the day before `valid_to`. A county's
    rule for a cause (`place`) replaces its province's and the default (no place)."""

    place = jurisdiction_field()
    cause = models.CharField(_("cause"), max_length=24, choices=Cause.choices)
    points = models.PositiveSmallIntegerField(_("points per event"))
    cap = models.PositiveIntegerField(
        _("cap"), null=True, blank=True, help_text=_("At most this many points per period.")
    )
    cap_period = models.CharField(
        _("cap period"), max_length=8, choices=CapPeriod.choices, blank=True
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("The first day it no longer applies.")
    )
    note = models.TextField(_("reason for the change"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ["cause", "-valid_from"]
        constraints = [
            # One open version and one start per day, per jurisdiction; the defaults (no
            # place) counted as one by partial indexes (SQLite has no nulls_distinct).
            models.UniqueConstraint(
                fields=["place", "cause"],
                condition=Q(valid_to__isnull=True),
                name="point_rule_one_open",
            ),
            models.UniqueConstraint(
                fields=["cause"],
                condition=Q(valid_to__isnull=True, place__isnull=True),
                name="point_rule_one_open_default",
            ),
            models.UniqueConstraint(
                fields=["place", "cause", "valid_from"], name="point_rule_from_once"
            ),
            models.UniqueConstraint(
                fields=["cause", "valid_from"],
                condition=Q(place__isnull=True),
                name="point_rule_from_once_default",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="point_rule_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | ~Q(cap_period=""), name="point_rule_cap_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_cause_display()} {self.points} ({self.valid_from})"


class AppendOnlyError(Exception):
    pass


class PointEntryQuerySet(models.QuerySet["PointEntry"]):
    def bulk_create(self, objs, *args, **kwargs):  # type: ignore[no-untyped-def]
        """The entries and their days' totals, in one transaction. Conflicts are refused: a
        skipped or updated row would leave the totals not knowing what was written."""
        from . import daily

        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise AppendOnlyError("the points ledger adds every entry it is given or none")
        with transaction.atomic(using=self.db, savepoint=False):
            made = super().bulk_create(objs, *args, **kwargs)
            daily.add(((e.person_id, e.at, e.points) for e in made), using=self.db)
        return made

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("the points ledger is append-only")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("the points ledger is append-only")


class PointEntry(models.Model):
    """One line of a person's ledger: why (cause), how many points (signed), under which rule
    version, and what earned it (`source`, also named by `source_label`). `source_key` names
    the source for idempotency: one entry per person, cause and source, however often the
    award is retried. Corrections have no rule and no source, and must give a reason."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="point_entries"
    )
    cause = models.CharField(_("cause"), max_length=24, choices=Cause.choices)
    points = models.IntegerField(_("points"))
    rule = models.ForeignKey(
        PointRule,
        verbose_name=_("rule version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_key = models.CharField(_("source key"), max_length=80, blank=True)
    source_label = models.CharField(_("earned by"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PointEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "cause", "source_key"],
                condition=~Q(source_key=""),
                name="point_entry_once_per_source",
            ),
            models.CheckConstraint(
                condition=(Q(cause="correction") & Q(rule__isnull=True) & ~Q(reason=""))
                | (~Q(cause="correction") & Q(rule__isnull=False)),
                name="point_entry_rule_or_reason",
            ),
        ]
        indexes = [
            # Balances and rankings: a person's points in a period, read from the index alone.
            models.Index(fields=["person", "at", "points"], name="point_entry_person_at"),
            models.Index(fields=["person", "cause", "at"], name="point_entry_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.cause} {self.points:+d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from . import daily

        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("the points ledger is append-only")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)
            daily.add([(self.person_id, self.at, self.points)], using=using)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("the points ledger is append-only")


class DailyPoints(models.Model):
    """A person's points on one local day (the county's time zone): the sum of their entries
    of that day, kept by the ledger as entries are written and never edited otherwise. Periods
    are spans of local days, so a period's total is the sum of its days' rows."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    points = models.IntegerField(_("points"))

    class Meta:
        verbose_name = _("points of a day")
        verbose_name_plural = _("points by day")
        constraints = [
            # The upsert's conflict target, and the index rankings read a period from.
            models.UniqueConstraint(fields=["person", "day"], name="daily_points_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day} {self.points:+d}"
