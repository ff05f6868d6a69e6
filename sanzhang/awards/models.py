"""Best leader awards (最美三长评选): a campaign, nominations from the places, a shortlist with
each nominee's record, a public vote (one vote per resident account per campaign), and the
published result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import Person
from sanzhang.places.models import Place
from sanzhang.posts.models import Post


class Campaign(models.Model):
    class Stage(models.TextChoices):
        NOMINATING = "nominating", _("taking nominations")
        SHORTLISTED = "shortlisted", _("shortlist drawn up")
        VOTING = "voting", _("voting open")
        PUBLISHED = "published", _("result published")

    title = models.CharField(_("title"), max_length=100)
    # The county (or province) whose posts are nominated and whose residents vote; none for
    # campaigns made before counties shared an install: those are everyone's.
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.NOMINATING
    )
    winners = models.PositiveSmallIntegerField(_("number of awards"), default=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    voting_opened_at = models.DateTimeField(_("voting opened at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    result = models.JSONField(_("result"), default=list, blank=True)

    class Meta:
        verbose_name = _("award campaign")
        verbose_name_plural = _("award campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Nomination(models.Model):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("nominee"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        Place, verbose_name=_("nominated by the place"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("deeds"))
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    record = models.JSONField(_("record when shortlisted"), default=dict, blank=True)
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="nomination_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.person_id}"


class Vote(models.Model):
    """One resident account's vote in a campaign; the unique constraint is what makes it one,
    however many tabs or phones try at once."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "voter"], name="one_vote_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.voter_id}"
