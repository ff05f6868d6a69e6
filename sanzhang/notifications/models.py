"""In-app notices of what happened to an issue, one row per recipient."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanzhang.core.crypto import EncryptedTextField
from sanzhang.issues.models import IssueEvent


class Notification(models.Model):
    """A notice to one user: of an issue event (its text is the event's, in the reader's
    language at reading time), or of another subject's move (a micro-wish claimed, a
    rectification item issued), which carries its own text and link."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.ForeignKey(
        IssueEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Notices of other subjects: what they are about ("wish:12:claimed:345"), once per reader;
    # as long as the outbox's subject, which carries the same key.
    subject = models.CharField(_("subject"), max_length=60, blank=True)
    text = models.CharField(_("text"), max_length=300, blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
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
            models.UniqueConstraint(fields=["recipient", "event"], name="notification_once"),
            models.UniqueConstraint(
                fields=["recipient", "subject"],
                condition=~models.Q(subject=""),
                name="notification_subject_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.event_id or self.subject}"


WEB_SCHEMES = ["http", "https"]
# Its own code: a ModelForm would put the form field's "Enter a valid URL." over an "invalid".
WEB_ADDRESS = URLValidator(
    schemes=WEB_SCHEMES,
    message=_("Enter a web address starting with http:// or https://."),
    code="not_web",
)


class Endpoint(models.Model):
    """An outgoing channel for a place's subtree: a WeChat Work group robot (企业微信群机器人)
    that receives a short notice of every step of the issues there, or an SMS provider that
    texts the step to the phones of the people the step concerns (reporter, owner, superior);
    or an organisation's own system (a department's, a 12345 hotline platform's) that receives
    every step of the issues that organisation leads or helps with, as JSON signed with HMAC."""

    class Kind(models.TextChoices):
        WECOM_ROBOT = "wecom_robot", _("WeChat Work group robot")
        SMS = "sms", _("SMS provider (JSON over HTTP)")
        SYSTEM = "system", _("an organisation's own system (signed JSON)")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    # Only http(s): a URLField alone takes ftp://, which urllib would fetch on the server.
    url = models.URLField(
        _("webhook address"),
        max_length=500,
        validators=[WEB_ADDRESS],
    )
    secret = EncryptedTextField(
        _("API key"),
        null=True,
        blank=True,
        help_text=_(
            "Sent as a bearer token (SMS); the key that signs each request (an organisation's "
            "system)."
        ),
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("For an organisation's own system: the issues it leads or helps with."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("outgoing channel")
        verbose_name_plural = _("outgoing channels")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.SYSTEM:
            errors = {}
            if self.organisation_id is None:
                errors["organisation"] = _("Choose the organisation whose system this is.")
            if not self.secret or len(self.secret) < 32:
                errors["secret"] = _("A signing key of at least 32 characters is needed.")
            if errors:
                raise ValidationError(errors)
        elif self.organisation_id is not None:
            raise ValidationError(
                {"organisation": _("Only an organisation's own system belongs to one.")}
            )


class Delivery(models.Model):
    """One event to one outgoing channel: the outbox row the background worker sends, retries
    with backoff, and finally marks sent or failed. Written with the step, so none is lost."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(
        Endpoint, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        IssueEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Deliveries of something other than an issue's step (a daily summary) carry their text,
    # and a subject naming what they deliver, so it is delivered to a channel once.
    subject = models.CharField(_("subject"), max_length=60, blank=True)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="delivery_once"),
            models.UniqueConstraint(
                fields=["endpoint", "subject"],
                condition=~models.Q(subject=""),
                name="delivery_subject_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id}: {self.event_id or self.subject} {self.status}"


class Preference(models.Model):
    """What a person chose to be told beyond their notices: the morning digest of what waits on
    them (每日待办摘要), in the app and texted through the SMS channel over their place."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notice_preference",
    )
    daily_digest = models.BooleanField(_("daily digest"), default=False)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: digest {'on' if self.daily_digest else 'off'}"
