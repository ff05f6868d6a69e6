from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanzhang.core.crypto import EncryptedTextField, keyed_hash
from sanzhang.places.models import Place, jurisdiction_field


class Role(models.TextChoices):
    """One role per account; system, security and audit administration are never combined."""

    RESIDENT = "resident", _("Resident")
    LEADER = "leader", _("Post holder")
    COMMUNITY_STAFF = "community_staff", _("Community or village staff")
    COUNTY_OFFICE = "county_office", _("County office (三长办)")
    DEPARTMENT = "department", _("Functional department staff")
    # The county party committee's organisation department (组织部): vets cadres in the grid.
    ORG_DEPARTMENT = "org_department", _("Organisation department (组织部)")
    # A merchant or tradesperson of the 服务微平台: their own bookings only.
    MERCHANT = "merchant", _("Merchant (服务商家)")
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
    """A household (户): it sits in a unit in town, or directly in a rural grid.

    `ref` is its number in the county's own household register (户编号), by which an import
    finds it again; a household that moved out of the county keeps its row and history."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="households"
    )
    ref = models.CharField(_("household number"), max_length=40, blank=True, db_index=True)
    door = models.CharField(_("door number"), max_length=40, blank=True)
    address = EncryptedTextField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    moved_away_on = models.DateField(_("moved away on"), null=True, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{self.place.name} {self.door}"


class Tag(models.Model):
    """A special group residents may belong to (特殊人群: 独居老人, 低保, 残疾 …): a county edits
    its own list; rows with no place are the install's defaults, offered to every county."""

    place = jurisdiction_field()
    name = models.CharField(_("name"), max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="tag_name_per_place"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(place__isnull=True), name="default_tag_name"
            ),
        ]
        verbose_name = _("special group")
        verbose_name_plural = _("special groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A resident, post holder or party member. Phone, ID number are encrypted at rest
    and found by their keyed hashes."""

    class Gender(models.TextChoices):
        FEMALE = "F", _("female")
        MALE = "M", _("male")

    class Relation(models.TextChoices):
        """Relation to the head of household (与户主关系), as household registers name it."""

        HEAD = "head", _("head of household")
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        PARENT = "parent", pgettext_lazy("relation to the head", "parent")
        GRANDCHILD = "grandchild", _("grandchild")
        GRANDPARENT = "grandparent", _("grandparent")
        SIBLING = "sibling", _("sibling")
        OTHER = "other", _("other relative or lodger")

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
    relation = models.CharField(
        _("relation to the head"), max_length=12, choices=Relation.choices, blank=True
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("special groups"), blank=True, related_name="people"
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


class HouseholdMove(models.Model):
    """One move of a household to another unit or grid (or out of the county): its history."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="moves"
    )
    from_place = models.ForeignKey(
        Place,
        verbose_name=pgettext_lazy("household move", "from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_place = models.ForeignKey(
        Place,
        verbose_name=pgettext_lazy("household move", "to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the household moved away."),
    )
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        "people.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household move")
        verbose_name_plural = _("household moves")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.at:%Y-%m-%d}"


class PartyMember(models.Model):
    """An in-service party member registered at the community where they live
    (在职党员进社区报到)."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="party_member"
    )
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    party_organisation = models.CharField(_("party organisation"), max_length=100, blank=True)
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
