"""Announcements (上传下达): a notice from the county office, a township, a community or a grid
leader to the residents of a subtree (all of them, or one special group), and the receipts of
the households that read it.

Publishing writes one row, whatever the size of the audience: the audience is a query (the
households under the place, of the group), and a receipt is a row written when a household
reads (or is told at the door). "Unread" is then the audience without a receipt, one query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanzhang.people.models import Household, Tag
from sanzhang.places.models import Place


class Announcement(models.Model):
    """A notice to the residents of `place` and everything under it (or to those of one special
    group there); urgent ones (a flood warning) are followed up at the doors."""

    place = models.ForeignKey(
        Place, verbose_name=_("to the residents of"), on_delete=models.PROTECT, related_name="+"
    )
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("special group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every household."),
    )
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(pgettext_lazy("announcement", "text"))
    urgent = models.BooleanField(_("urgent"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who posted, as residents read it (社区居委会, 第一网格网格长), fixed when posted.
    signed = models.CharField(_("signed"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("published at"))
    until = models.DateField(_("shown until"), null=True, blank=True)
    # How many households it went to when posted (the total of the read counts).
    audience_size = models.PositiveIntegerField(
        pgettext_lazy("announcement", "households"), default=0
    )
    # The form's one-time key: the same form sent twice is one announcement.
    post_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    # The push to residents' accounts works in batches of accounts by id; the last id told,
    # and when the push (and the channels) finished.
    pushed_through = models.PositiveBigIntegerField(default=0, editable=False)
    pushed_at = models.DateTimeField(_("pushed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "post_key"],
                condition=~models.Q(post_key=""),
                name="announcements_post_once",
            ),
        ]
        indexes = [
            models.Index(fields=["place", "published_at"], name="announcements_place_at"),
            models.Index(fields=["pushed_at"], name="announcements_pushed_at"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        """The notices' and the channels' key: each account and channel is told once."""
        return f"announcement:{self.pk}"


class Receipt(models.Model):
    """A household has the announcement: a resident of it opened it, or a leader told them at
    the door. One per announcement and household."""

    class How(models.TextChoices):
        READ = "read", _("read in the app")
        AT_THE_DOOR = "door", _("told at the door")

    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        related_name="receipts",
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    how = models.CharField(pgettext_lazy("receipt", "how"), max_length=4, choices=How.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "household"], name="announcements_receipt_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id}: {self.household_id} {self.how}"
