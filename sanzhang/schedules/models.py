"""A record of every scheduled run: one row per (schedule, period), so a period runs once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    schedule = models.CharField(_("schedule"), max_length=50)
    period = models.DateTimeField(_("period"), help_text=_("The start of the period it runs for."))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-period", "schedule"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "period"], name="scheduled_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.period:%Y-%m-%d %H:%M}"
