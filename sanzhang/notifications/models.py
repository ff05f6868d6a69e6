"""In-app notices of what happened to an issue, one row per recipient."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanzhang.issues.models import IssueEvent


class Notification(models.Model):
    """A notice to one user of one issue event; the text is the event's, in the reader's
    language at reading time."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.ForeignKey(
        IssueEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("why you are told"), max_length=12)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event"], name="notification_once")
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.event_id}"
