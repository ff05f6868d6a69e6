"""Consultation councils (议事协商): the town's 莲心议事会 of a community, the village's 莲乡夜话 of
an area, and the township's council above the villages, which takes what a village refers up
(小事不出村, 大事不出镇). A council has seats (a person, or an organisation with who speaks for
it), topics (from an issue, a visit, a micro-wish or a member's proposal), meetings with an
agenda, attendance, votes and minutes, and a decision per topic; an agreed decision becomes an
issue in the loop, followed until it is closed."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanzhang.places.models import Place


class Kind(models.TextChoices):
    TOWN = "town", _("Community council (莲心议事会)")
    VILLAGE = "village", _("Village evening talk (莲乡夜话)")
    TOWNSHIP = "township", _("Township council (乡镇议事)")


class Party(models.TextChoices):
    """Whom a seat speaks for: the five parties in town, the four in the village."""

    PARTY_ORGANISATION = "party_org", _("Community party organisation (社区党组织)")
    LEADERS = "leaders", _("The three leaders (三长)")
    OWNERS_COMMITTEE = "owners", _("Owners' committee (业主委员会)")
    PROPERTY_COMPANY = "property", _("Property company (物业服务企业)")
    RESIDENTS = "residents", _("Residents' representatives (居民代表)")
    ENTREPRENEURS = "entrepreneurs", _("Local entrepreneurs (致富带头人)")
    SPECIALISTS = "specialists", _("Technical specialists (技术能手)")
    VILLAGERS = "villagers", _("Villagers' representatives (村民代表)")
    TOWNSHIP = "township", _("Township (乡镇)")


PARTIES_OF: dict[str, list[str]] = {
    Kind.TOWN: [
        Party.PARTY_ORGANISATION,
        Party.LEADERS,
        Party.OWNERS_COMMITTEE,
        Party.PROPERTY_COMPANY,
        Party.RESIDENTS,
    ],
    Kind.VILLAGE: [Party.LEADERS, Party.ENTREPRENEURS, Party.SPECIALISTS, Party.VILLAGERS],
    Kind.TOWNSHIP: [Party.TOWNSHIP, Party.LEADERS, Party.VILLAGERS],
}


class Council(models.Model):
    """One council per place: a community, a village (area) or a township (district)."""

    place = models.OneToOneField(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="council"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(_("set up at"))

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["place__code"]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """A seat: a person (who may sign in on the phone when they have an account), or an
    organisation (the owners' committee, the property company) and who represents it."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="seats"
    )
    party = models.CharField(_("party"), max_length=16, choices=Party.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    organisation_name = models.CharField(_("organisation"), max_length=100, blank=True)
    representative = models.CharField(_("represented by"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["party", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(organisation_name=""),
                name="seat_person_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["council", "person"],
                condition=Q(person__isnull=False, is_active=True),
                name="seat_person_once",
            ),
            # A form sent twice is one seat of the organisation, not two.
            models.UniqueConstraint(
                fields=["council", "party", "organisation_name"],
                condition=Q(is_active=True) & ~Q(organisation_name=""),
                name="seat_organisation_once",
            ),
        ]

    def __str__(self) -> str:
        return self.holder_name

    @property
    def holder_name(self) -> str:
        if self.organisation_name:
            who = f"（{self.representative}）" if self.representative else ""
            return f"{self.organisation_name}{who}"
        return self.person.name if self.person else ""


class Source(models.TextChoices):
    ISSUE = "issue", _("An issue (群众反映)")
    VISIT = "visit", _("A visit (走访)")
    WISH = "wish", _("A micro-wish (微心愿)")
    PROPOSAL = "proposal", _("A member's proposal (议事代表提议)")
    REFERRAL = "referral", _("Referred up by a village (下级提交)")


class Topic(models.Model):
    """A matter put to the council. `title` is what the public may read once decided; the
    source (an issue, a visit, a wish) stays with those who work on it."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="topics"
    )
    title = models.CharField(_("topic"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    issue = models.ForeignKey(
        "issues.Issue",
        verbose_name=_("issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_topics",
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    wish = models.ForeignKey(
        "wishes.Wish",
        verbose_name=_("micro-wish"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposal = models.TextField(_("proposal"), blank=True)
    proposed_by = models.ForeignKey(
        Seat,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    referred_from = models.OneToOneField(
        "self",
        verbose_name=_("referred up from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_to",
    )
    meeting = models.ForeignKey(
        "Meeting",
        verbose_name=_("on the agenda of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("put forward at"))

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["created_at", "id"]
        constraints = [
            # One topic per issue, visit or wish on a council (a retry is not a second topic).
            models.UniqueConstraint(
                fields=["council", "issue"], condition=Q(issue__isnull=False), name="topic_issue"
            ),
            models.UniqueConstraint(
                fields=["council", "visit"], condition=Q(visit__isnull=False), name="topic_visit"
            ),
            models.UniqueConstraint(
                fields=["council", "wish"], condition=Q(wish__isnull=False), name="topic_wish"
            ),
        ]

    def __str__(self) -> str:
        return self.title


DEFAULT_START = datetime.time(19, 30)  # evening talks meet after the day's work


class Meeting(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("council meeting", "Planned")
        HELD = "held", pgettext_lazy("council meeting", "Held")
        PUBLISHED = "published", pgettext_lazy("council meeting", "Published")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField(_("held on"))
    starts_at = models.TimeField(_("starts at"), default=DEFAULT_START)
    venue = models.CharField(_("venue"), max_length=100, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    minutes = models.TextField(
        _("minutes"), blank=True, help_text=_("For the council and staff; may name people.")
    )
    public_minutes = models.TextField(
        _("minutes for the noticeboard"),
        blank=True,
        help_text=_("Published on the noticeboard: no names, phone numbers or door numbers."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["council", "held_on"], name="council_meeting_on")]
        constraints = [
            # One meeting per council, day and start: a form sent twice is one meeting.
            models.UniqueConstraint(
                fields=["council", "held_on", "starts_at"], name="council_meeting_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.held_on}"


class Attendance(models.Model):
    class How(models.TextChoices):
        PHONE = "phone", _("signed in on the phone")
        STAFF = "staff", _("marked by staff")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="attendance"
    )
    how = models.CharField(_("signed in how"), max_length=6, choices=How.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("signed in at"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="council_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.seat_id}"


class Choice(models.TextChoices):
    FOR = "for", pgettext_lazy("council vote", "for")
    AGAINST = "against", pgettext_lazy("council vote", "against")
    ABSTAIN = "abstain", pgettext_lazy("council vote", "abstain")


class Vote(models.Model):
    """One seat's vote on one topic, cast on the phone: once."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="votes"
    )
    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("voted at"))

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["topic", "seat"], name="vote_once")]

    def __str__(self) -> str:
        return f"{self.topic_id}: {self.seat_id} {self.choice}"


class Outcome(models.TextChoices):
    AGREED = "agreed", _("Agreed (通过)")
    NOT_AGREED = "not_agreed", _("Not agreed (未通过)")
    REFERRED = "referred", _("Referred up to the township (提交乡镇)")


class Decision(models.Model):
    """What the meeting decided on a topic: one per topic. An agreed decision is followed as
    an issue of the loop (`issue`); a referred one becomes a topic of the council above."""

    topic = models.OneToOneField(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="decision"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    text = models.TextField(
        _("what was decided"), help_text=_("Published on the noticeboard: no personal data.")
    )
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    owner = models.CharField(_("carried out by"), max_length=100, blank=True)
    due_on = models.DateField(_("to be done by"), null=True, blank=True)
    issue = models.OneToOneField(
        "issues.Issue",
        verbose_name=_("tracked as issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_decision",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.topic} → {self.get_outcome_display()}"
