"""The grassroots party school (基层党校): courses run by a county, township, community or
village, their evening classes (夜间课堂), and who attended each.

An attendance is one row per session and person (a unique constraint), whether the person
scanned the session's QR code or the organiser marked them by hand, so signing in twice, or at
the same moment from two phones, still makes one row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import Organisation, Person
from sanzhang.places.models import Place


class Course(models.Model):
    """A course of the party school at a place (county, township, community or village), run by
    an organisation; its sessions are the classes people attend."""

    place = models.ForeignKey(
        Place, verbose_name=_("run at"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("topic"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["place__code", "title", "id"]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """One class of a course: its topic, where and when, the trainer and the materials, and
    the secret in its QR code (the sign-in address)."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    topic = models.CharField(_("topic"), max_length=200)
    where = models.CharField(_("where"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    materials = models.TextField(_("materials"), blank=True, help_text=_("Text or a link."))
    token = models.CharField(_("sign-in secret"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"
            ),
            # A form sent twice (a double tap, a retry) is the one class, not two QR codes.
            models.UniqueConstraint(fields=["course", "starts_at"], name="session_once_per_start"),
        ]
        indexes = [models.Index(fields=["starts_at"], name="session_starts_at")]

    def __str__(self) -> str:
        return f"{self.topic} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def place(self) -> Place:
        return self.course.place


class Attendance(models.Model):
    """A person at a session: scanned in on their phone, or marked by the organiser."""

    class How(models.TextChoices):
        SCANNED = "scanned", _("scanned the QR code")
        MARKED = "marked", _("marked by the organiser")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="attendances"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    how = models.CharField(_("how"), max_length=8, choices=How.choices)
    at = models.DateTimeField(_("signed in at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_attendance_once"),
        ]
        indexes = [models.Index(fields=["person", "at"], name="attendance_person_at")]

    def __str__(self) -> str:
        # The points ledger names what earned the points by this: the class and its day.
        return str(self.session)[:100]

    @property
    def place(self) -> Place:
        """Where the points are earned (the rule in force there applies)."""
        return self.session.course.place
