from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanzhang.core.crypto import EncryptedTextField, keyed_hash
from sanzhang.places.models import Place


class Role(models.TextChoices):
    """One role per account; system, security and audit administration are never combined."""

    RESIDENT = "resident", _("Resident")
    LEADER = "leader", _("Post holder")
    COMMUNITY_STAFF = "community_staff", _("Community or village staff")
    COUNTY_OFFICE = "county_office", _("County office (三长办)")
    DEPARTMENT = "department", _("Functional department staff")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")


class Organisation(models.Model):
    """The county office (三长办), a functional department (职能部门) or a community/village
    committee; staff belong to one, and its place bounds what its staff may see. Names are
    unique within a place: every county has its own 住建局."""

    class Kind(models.TextChoices):
        COUNTY_OFFICE = "county_office", _("County office")
        DEPARTMENT = "department", _("Functional department")
        COMMITTEE = "committee", _("Community or village committee")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    place = models.ForeignKey(
        Place, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="organisation_name_per_place")
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A household (户): it sits in a unit in town, or directly in a rural grid."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="households"
    )
    door = models.CharField(_("door number"), max_length=40, blank=True)
    address = EncryptedTextField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{self.place.name} {self.door}"


class Person(models.Model):
    """A resident, post holder or party member. Phone, ID number are encrypted at rest
    and found by their keyed hashes."""

    class Gender(models.TextChoices):
        FEMALE = "F", _("female")
        MALE = "M", _("male")

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    phone = EncryptedTextField(_("phone"), null=True, blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedTextField(_("ID number"), null=True, blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["name"], name="person_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.fill_hashes()
        super().save(*args, **kwargs)

    def fill_hashes(self) -> None:
        self.phone_hash = keyed_hash(self.phone) if self.phone else ""
        self.id_number_hash = keyed_hash(self.id_number) if self.id_number else ""


class PartyMember(models.Model):
    """An in-service party member registered at the community where they live
    (在职党员进社区报到)."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="party_member"
    )
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    community = models.ForeignKey(
        Place,
        verbose_name=_("registered at"),
        on_delete=models.PROTECT,
        related_name="registered_party_members",
    )
    registered_on = models.DateField(_("registered on"))

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")

    def __str__(self) -> str:
        return self.person.name


class User(AbstractUser):
    """A login. Its role decides what it may do; its posts or organisation decide where."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    person = models.OneToOneField(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
