"""Supervision (每日一汇总、每周一督促、每月一调度): the daily summaries kept as records, the
weekly rectification lists, the monthly reports and dispatch meetings, and public notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanzhang.places.models import Place


class DailySummary(models.Model):
    """One place's day (每日一汇总), produced once when the day closes and never changed:
    later events do not rewrite what was reported that evening."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="daily_summaries"
    )
    day = models.DateField(_("day"))
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    figures = models.JSONField(_("figures"), default=dict)
    produced_at = models.DateTimeField(_("produced at"), auto_now_add=True)

    class Meta:
        verbose_name = _("daily summary")
        verbose_name_plural = _("daily summaries")
        ordering = ["-day", "place__code"]
        constraints = [models.UniqueConstraint(fields=["place", "day"], name="daily_summary_once")]
        indexes = [models.Index(fields=["day"], name="daily_summary_day")]

    def __str__(self) -> str:
        return f"{self.place_id} {self.day}"


class RectificationList(models.Model):
    """A village's or community's weekly rectification list (整改清单), drafted from the week's
    record, edited and issued by the county office."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("issued")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="+"
    )
    week_start = models.DateField(_("week from"), help_text=_("The Monday of the week checked."))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification list")
        verbose_name_plural = _("rectification lists")
        ordering = ["-week_start", "place__code"]
        constraints = [
            models.UniqueConstraint(fields=["place", "week_start"], name="rectification_week_once")
        ]

    def __str__(self) -> str:
        return f"{self.place_id} {self.week_start}"


class RectificationItem(models.Model):
    """One thing to put right by a deadline (限时整改), answered by the responsible post and
    verified (or sent back) by the county office. Every change is a conditional UPDATE on
    `version`, so two people acting at once cannot both win."""

    class Reason(models.TextChoices):
        OVERDUE = "overdue", _("Overdue (超期未办结)")
        REOPENED = "reopened", _("Reopened by a dissatisfied resident (群众不满意)")
        UNINSPECTED = "uninspected", _("Closed without inspection (未经检查即办结)")
        OTHER = "other", _("Other (其他)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("waiting for the answer")
        ANSWERED = "answered", _("answered, waiting for verification")
        VERIFIED = "verified", _("verified")

    rectification_list = models.ForeignKey(
        RectificationList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="items"
    )
    issue = models.ForeignKey(
        "issues.Issue",
        verbose_name=_("issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    description = models.TextField(_("what to put right"))
    responsible_post = models.ForeignKey(
        "posts.Post",
        verbose_name=_("responsible post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(_("verifier's note"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    send_backs = models.PositiveSmallIntegerField(_("times sent back"), default=0)
    flagged_at = models.DateTimeField(
        _("flagged overdue at"),
        null=True,
        blank=True,
        help_text=_("Set when the deadline passed unanswered; shown to every level above."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rectification_list", "issue", "reason"],
                condition=models.Q(issue__isnull=False),
                name="rectification_item_once",
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="rectification_due")]

    def __str__(self) -> str:
        return f"{self.rectification_list_id}: {self.get_reason_display()}"


class MonthlyReport(models.Model):
    """The month's report for the county or a township (每月一调度), produced once after the
    month ends and kept: its figures, rankings, open hard issues and rectification results."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    figures = models.JSONField(_("figures"), default=dict)
    produced_at = models.DateTimeField(_("produced at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "place__code"]
        constraints = [
            models.UniqueConstraint(fields=["place", "month"], name="monthly_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.place_id} {self.month:%Y-%m}"


class DispatchMeeting(models.Model):
    """The monthly dispatch meeting (调度会) on a report: who came, what was said."""

    report = models.OneToOneField(
        MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="meeting"
    )
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("attendees"), blank=True)
    record = models.TextField(_("record"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("dispatch meeting")
        verbose_name_plural = _("dispatch meetings")

    def __str__(self) -> str:
        return f"{self.report} {self.held_on}"


class DispatchDecision(models.Model):
    """A decision of a dispatch meeting, whom it falls to, by when, and its follow-up."""

    meeting = models.ForeignKey(
        DispatchMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    text = models.TextField(_("decision"))
    responsible = models.CharField(_("responsible"), max_length=100)
    due_on = models.DateField(_("due on"))
    is_done = models.BooleanField(_("done"), default=False)
    follow_up = models.TextField(_("follow-up"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:40]


class Notice(models.Model):
    """A public notice (通报) naming cases, good or bad, with the issues attached; once
    published it stays on record unchanged."""

    class Kind(models.TextChoices):
        PRAISE = "praise", _("Commendation (表扬通报)")
        CRITICISM = "criticism", _("Criticism (批评通报)")
        INFORMATION = "information", _("Information (情况通报)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    number = models.CharField(_("number"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    body = models.TextField(_("text"))
    places = models.ManyToManyField(Place, verbose_name=_("places concerned"), related_name="+")
    issues = models.ManyToManyField(
        "issues.Issue", verbose_name=_("issues attached"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="notice_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()
