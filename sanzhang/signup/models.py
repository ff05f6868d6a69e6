"""One-time codes sent to phones, and the requests of residents the register does not know."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanzhang.core.crypto import EncryptedTextField
from sanzhang.people.models import Role


class PhoneCode(models.Model):
    """A code texted to a phone: kept only as a keyed hash, single-use, short-lived, with a
    cap on wrong guesses. The address that asked for it bounds how many one address may ask."""

    phone_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")
        indexes = [models.Index(fields=["ip", "created_at"], name="phone_code_ip")]

    def __str__(self) -> str:
        return f"{self.phone_hash[:8]}… {self.created_at:%Y-%m-%d %H:%M}"


class LinkRequest(models.Model):
    """A resident whose phone the register does not hold names their unit (or village grid),
    door and name; a leader or the staff over that place confirms or refuses."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        CONFIRMED = "confirmed", _("confirmed")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="link_requests",
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("unit or village grid"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    door = models.CharField(_("door number"), max_length=40)
    phone = EncryptedTextField(_("phone"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household link request")
        verbose_name_plural = _("household link requests")
        constraints = [
            # One open request per account: a resent form never makes a second.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="one_pending_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.door}"


class PartyRegistration(models.Model):
    """A party member in service registers at the community (or village) where they live,
    naming their work unit and party organisation (在职党员进社区报到); the community's staff
    confirm, and the confirmed registration is the person's `PartyMember` row."""

    Status = LinkRequest.Status

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="party_registrations",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="party_registrations",
    )
    community = models.ForeignKey(
        "places.Place",
        verbose_name=_("community or village"),
        on_delete=models.PROTECT,
        related_name="party_registrations",
    )
    work_unit = models.CharField(_("work unit"), max_length=100)
    party_organisation = models.CharField(_("party organisation"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("party member registration")
        verbose_name_plural = _("party member registrations")
        constraints = [
            # One open registration per account: a resent form never makes a second.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_party_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}"


class Invitation(models.Model):
    """An account offered to a person the register knows (a leader, community staff, a
    department or the county office), made by the staff over them: a link valid for a few
    days, with which the person chooses their user name and sets their own password. Only a
    keyed hash of the link's token is kept."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.role}"


class WeChatLink(models.Model):
    """A WeChat user of the county's mini-program (their `openid`, kept only as a keyed hash)
    linked to an account that proved itself first (a phone code): from then on the
    mini-program signs in with WeChat's own login, without a code."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="wechat_links",
    )
    openid_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("WeChat link")
        verbose_name_plural = _("WeChat links")

    def __str__(self) -> str:
        return f"{self.user_id} {self.openid_hash[:8]}…"
