"""Rotation plans (轮岗): who follows whom in a post, and on which day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import Person
from sanzhang.posts.models import Post, Tenure


class RotationPlan(models.Model):
    """A post's next holder, recorded ahead and carried out on its date by the worker (or at
    once, when the date has come). One plan waits per post at a time."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        CARRIED_OUT = "carried_out", _("carried out")
        CANCELLED = "cancelled", _("cancelled")

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="rotation_plans"
    )
    # The holder when the plan was made (None: the post was empty); checked again on the day.
    outgoing = models.ForeignKey(
        Tenure,
        verbose_name=_("outgoing holder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    incoming = models.ForeignKey(
        Person, verbose_name=_("incoming holder"), on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("on"))
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PLANNED
    )
    # None: recorded by an import (the demo's history), not by a person.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    # What came of it: the new holder's tenure, or why it could not be carried out.
    tenure = models.ForeignKey(
        Tenure,
        verbose_name=_("new tenure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(state="planned"),
                name="rotation_one_planned_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.incoming} ({self.on})"
