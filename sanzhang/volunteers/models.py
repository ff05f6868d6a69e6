"""Volunteer riders (莲乡红骑兵): couriers, delivery riders and drivers registered under a leader,
the tasks a community posts for them (deliveries to the elderly), and their service hours."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import Person
from sanzhang.places.models import Place
from sanzhang.posts.models import Post


class Volunteer(models.Model):
    class Kind(models.TextChoices):
        COURIER = "courier", _("Courier (快递员)")
        FOOD_DELIVERY = "food_delivery", _("Food-delivery rider (外卖骑手)")
        RIDE_HAIL = "ride_hail", _("Ride-hail driver (网约车司机)")
        OTHER = "other", _("Other")

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="volunteer"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    company = models.CharField(_("company"), max_length=50, blank=True)
    place = models.ForeignKey(
        Place, verbose_name=_("registered at"), on_delete=models.PROTECT, related_name="+"
    )
    leader_post = models.ForeignKey(
        Post, verbose_name=_("led by"), on_delete=models.PROTECT, related_name="volunteers"
    )
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("volunteer rider")
        verbose_name_plural = _("volunteer riders")
        ordering = ["place__code", "id"]

    def __str__(self) -> str:
        return f"{self.person.name} ({self.get_kind_display()})"


class Task(models.Model):
    """A task a community posts for volunteers (e.g. deliveries to elderly people living
    alone), with a number of places to fill."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    slots = models.PositiveSmallIntegerField(_("volunteers needed"))
    taken = models.PositiveSmallIntegerField(_("volunteers joined"), default=0)
    is_open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer task")
        verbose_name_plural = _("volunteer tasks")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(taken__lte=models.F("slots")), name="task_not_overfilled"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Signup(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="signups"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="signups"
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    hours = models.DecimalField(
        _("service hours"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    hours_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("signup")
        verbose_name_plural = _("signups")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["task", "volunteer"], name="signup_once")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.volunteer_id}"
