"""The issue loop (群众反映问题三级服务体系 + 六步骤闭环): issues, their append-only events, the
data that routes them (categories, routing rules) and times them (step deadlines, holidays),
and the county office's assignment meetings (交办会)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import Household, Organisation, Person
from sanzhang.places.models import Place, jurisdiction_field
from sanzhang.posts.models import Post


class Tier(models.TextChoices):
    """How hard an issue is, which decides who solves it (三级服务)."""

    SIMPLE = "simple", _("Simple (简单问题)")
    COMPLEX = "complex", _("Complex (复杂问题)")
    HARD = "hard", _("Hard (难点重点问题)")


TIER_ORDER = [Tier.SIMPLE, Tier.COMPLEX, Tier.HARD]


class State(models.TextChoices):
    """The six steps (六步骤闭环), and the two ways an issue leaves the loop early."""

    REPORTED = "reported", _("Reported (事件上报)")
    ASSIGNED = "assigned", _("Assigned (分流交办)")
    IN_PROGRESS = "in_progress", _("Being handled (服务处置)")
    HANDLED = "handled", _("Handled, awaiting inspection (待检查)")
    INSPECTED = "inspected", _("Inspected (检查通过)")
    FED_BACK = "fed_back", _("Result fed back (结果反馈)")
    CLOSED = "closed", _("Closed, rated satisfied (评议满意)")
    DECLINED = "declined", _("Declined (不予受理)")
    MERGED = "merged", _("Merged into another issue (已合并)")


OPEN_STATES = [
    State.REPORTED,
    State.ASSIGNED,
    State.IN_PROGRESS,
    State.HANDLED,
    State.INSPECTED,
    State.FED_BACK,
]
FINAL_STATES = [State.CLOSED, State.DECLINED, State.MERGED]


class Channel(models.TextChoices):
    ONLINE = "online", _("Online, by the resident (线上)")
    DOOR_KNOCKING = "door_knocking", _("Door-knocking (敲门行动)")
    PATROL = "patrol", _("Grid patrol (网格巡访)")
    NEIGHBOUR = "neighbour", _("Neighbour visit (邻里串门)")
    PHONE = "phone", _("Phone call (电话)")
    API = "api", _("Another system (接口)")
    VOLUNTEER = "volunteer", _("A volunteer rider on the rounds (红骑兵随手拍)")


class OwnerLevel(models.TextChoices):
    """Where a routing rule sends an issue: the lowest post of these levels above its place."""

    UNIT = "unit", _("Unit leader (单元长)")
    BUILDING = "building", _("Building leader (楼栋长)")
    GRID = "grid", _("Grid leader (网格长)")
    AREA = "area", _("Area leader (片区长)")
    DISTRICT = "district", _("District leader (大区长)")
    COUNTY_OFFICE = "county_office", _("County office (三长办)")


class Category(models.Model):
    """What an issue is about (e.g. 环境卫生, 道路设施); keywords help suggest it from text.
    A county's categories, when it has any, replace the defaults (see `jurisdiction`)."""

    place = jurisdiction_field()
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=50)
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("Words that suggest this category, one per line.")
    )
    default_tier = models.CharField(
        _("default tier"), max_length=8, choices=Tier.choices, default=Tier.SIMPLE
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]
        # Unique per jurisdiction; the defaults (no place) as one jurisdiction of their own.
        # Partial indexes rather than nulls_distinct=False, which SQLite does not support.
        constraints = [
            models.UniqueConstraint(fields=["place", "code"], name="category_code_per_place"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(place__isnull=True), name="category_code_default"
            ),
            models.UniqueConstraint(fields=["place", "name"], name="category_name_per_place"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(place__isnull=True), name="category_name_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Routing as data (分流规则): issues of a tier (and optionally a category and a kind of
    place) go to the lowest post among `owner_levels` at or above their place. The most
    specific matching rule wins. The county office edits these; a county's rules, when it
    has any, replace the defaults."""

    place = jurisdiction_field()
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE
    )
    place_kind = models.CharField(
        _("kind of place"),
        max_length=16,
        blank=True,
        help_text=_("Leave empty for any kind of place."),
    )
    owner_levels = models.CharField(
        _("owner levels"),
        max_length=100,
        help_text=_("Comma-separated, e.g. unit,building,grid; county_office sends it up."),
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "tier", "category", "place_kind"], name="routing_rule_unique"
            ),
            models.UniqueConstraint(
                fields=["place", "tier", "place_kind"],
                condition=Q(category__isnull=True),
                name="routing_rule_unique_any_category",
            ),
            models.UniqueConstraint(
                fields=["tier", "category", "place_kind"],
                condition=Q(place__isnull=True),
                name="routing_rule_unique_default",
            ),
            models.UniqueConstraint(
                fields=["tier", "place_kind"],
                condition=Q(place__isnull=True, category__isnull=True),
                name="routing_rule_unique_default_any",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} → {self.owner_levels}"

    def levels(self) -> list[str]:
        return [level.strip() for level in self.owner_levels.split(",") if level.strip()]

    def level_labels(self) -> list[str]:
        """The owner levels as people read them (网格长、楼栋长 …), not their codes."""
        return [
            str(OwnerLevel(level).label) for level in self.levels() if level in OwnerLevel.values
        ]

    def place_kind_label(self) -> str:
        from sanzhang.places.models import PlaceKind

        return str(PlaceKind(self.place_kind).label) if self.place_kind in PlaceKind.values else ""


class StepDeadline(models.Model):
    """How many working days an issue of a tier may stay in a step (configurable). A county's
    row for a step overrides its province's, which overrides the default."""

    place = jurisdiction_field()
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices)
    state = models.CharField(_("step"), max_length=12, choices=State.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        verbose_name = _("step deadline")
        verbose_name_plural = _("step deadlines")
        ordering = ["tier", "state"]
        constraints = [
            models.UniqueConstraint(fields=["place", "tier", "state"], name="step_deadline_unique"),
            models.UniqueConstraint(
                fields=["tier", "state"],
                condition=Q(place__isnull=True),
                name="step_deadline_unique_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} {self.get_state_display()}: {self.working_days}"


class Holiday(models.Model):
    """A day off on a weekday, or a working weekend day (调休), in the county's calendar: the
    county's own days plus the default ones, the county's row winning on the same date."""

    place = jurisdiction_field()
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=50)
    is_working_day = models.BooleanField(
        _("working day"), default=False, help_text=_("Tick for a weekend day worked (调休).")
    )

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["place", "date"], name="holiday_date_per_place"),
            models.UniqueConstraint(
                fields=["date"], condition=Q(place__isnull=True), name="holiday_date_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Issue(models.Model):
    """A problem a resident reported, or a leader found, followed until the resident rates it.

    `version` grows with every transition; each transition is a conditional UPDATE on it, so
    when two people act on one issue at once exactly one of them wins.
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="issues"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="issues"
    )
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices)
    state = models.CharField(
        _("step"), max_length=12, choices=State.choices, default=State.REPORTED
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    text = models.TextField(_("description"))
    public_consent = models.BooleanField(
        _("may be shown publicly"),
        default=False,
        help_text=_("The reporter allows the text and photos on the public page."),
    )
    # Moderation: the county office hid the words from every public place (the reason is on
    # the timeline); those working on the issue still read them.
    public_words_hidden = models.BooleanField(_("words hidden from the public"), default=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_issues",
    )
    reporter_person = models.ForeignKey(
        Person,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issues",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="recorded_issues",
    )
    intake_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    intake_digest = models.CharField(max_length=64, blank=True, editable=False)

    owner_place = models.ForeignKey(
        Place,
        verbose_name=_("owner's place"),
        on_delete=models.PROTECT,
        related_name="owned_issues",
    )
    owner_post = models.ForeignKey(
        Post,
        verbose_name=_("owner post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )
    helper_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("helping departments"), blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    due_at = models.DateTimeField(_("step due at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    escalation_count = models.PositiveSmallIntegerField(_("times escalated"), default=0)
    rating_reason = models.TextField(_("reason given with the last rating"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # A new report's notices are written by the worker just after it commits
    # (issues/report_notices.py): True until they are.
    notices_pending = models.BooleanField(db_default=False, editable=False)
    created_at = models.DateTimeField(_("reported at"))
    updated_at = models.DateTimeField(_("updated at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recorded_by", "intake_key"],
                condition=~Q(intake_key=""),
                name="issue_intake_key_once",
            )
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="issue_state_due"),
            models.Index(fields=["owner_post", "state"], name="issue_owner_post_state"),
            # "My work": an organisation's issues at the steps waiting on it, soonest first
            # (only rows with an organisation: the others are found by their place), and a
            # post holder's by their places.
            models.Index(
                fields=["owner_organisation", "state", "due_at"],
                name="issue_org_state_due",
                condition=Q(owner_organisation__isnull=False),
            ),
            models.Index(fields=["owner_place", "state", "due_at"], name="issue_owner_place_state"),
            # Dashboards: the open issues by place, tier and category, read from the index alone
            # (not a partial index: SQLite cannot match one to a query's bound parameters).
            models.Index(
                fields=["state", "place", "tier", "category", "due_at"], name="issue_state_place"
            ),
            models.Index(fields=["created_at"], name="issue_created"),
            models.Index(fields=["closed_at"], name="issue_closed"),
            # The tier's recurrence count at intake: one grid's recent issues of a category,
            # read by its places, whatever else the province holds.
            models.Index(
                fields=["place", "category", "created_at"], name="issue_place_category_created"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def words_public(self) -> bool:
        """The reporter allowed the words to be shown, and the county office did not hide them."""
        return self.public_consent and not self.public_words_hidden


# Issues whose words (and photos not hidden one by one) may be shown publicly.
WORDS_PUBLIC = Q(public_consent=True, public_words_hidden=False)


class IssueEvent(models.Model):
    """One entry of an issue's timeline (who, when, what): append-only."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("reported")
        CONFIRMED = "confirmed", _("tier and owner confirmed")
        ASSIGNED = "assigned", _("assigned at a meeting")
        STARTED = "started", _("handling started")
        HANDLED = "handled", _("marked handled")
        INSPECTED = "inspected", _("inspection passed")
        SENT_BACK = "sent_back", _("sent back by the inspector")
        FED_BACK = "fed_back", _("result fed back")
        RATED_SATISFIED = "rated_satisfied", _("rated satisfied")
        RATED_DISSATISFIED = "rated_dissatisfied", _("rated dissatisfied, reopened")
        RETURNED = "returned", _("returned as mis-routed")
        ESCALATED = "escalated", _("escalated")
        MERGED = "merged", _("merged as a duplicate")
        DUPLICATE_JOINED = "duplicate_joined", _("a duplicate was merged in")
        DECLINED = "declined", _("declined")
        COMMENTED = "commented", _("comment")
        PROGRESS = "progress", _("progress reported")
        PHOTO_ADDED = "photo_added", _("photo added")
        DEADLINE_CHANGED = "deadline_changed", _("deadline changed")
        OVERDUE = "overdue", _("overdue, escalated automatically")
        MODERATED = "moderated", _("hidden from the public page")
        ROUTED = "routed", _("routed again by the system's reading")

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_state = models.CharField(_("from step"), max_length=12, blank=True)
    to_state = models.CharField(_("to step"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # The step deadline the issue had right after this event: what was overdue at any past
    # moment can be read off the timeline (daily summaries produced late, or checked later).
    due_at = models.DateTimeField(_("step due at after this"), null=True, blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("issue event")
        verbose_name_plural = _("issue events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["issue", "at"], name="issue_event_issue_at"),
            # A day's or a month's reports and ratings, for the summaries and dashboards.
            models.Index(fields=["kind", "at"], name="issue_event_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} {self.kind}"


# Timeline entries that move nothing (the state and deadline stay as they were).
NOTE_KINDS = [
    IssueEvent.Kind.COMMENTED,
    IssueEvent.Kind.PROGRESS,
    IssueEvent.Kind.PHOTO_ADDED,
    IssueEvent.Kind.DUPLICATE_JOINED,
    IssueEvent.Kind.MODERATED,
]


class IssueFollower(models.Model):
    """Someone told of an issue's steps besides its reporter: the reporter of a duplicate that
    was merged into it."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "user"], name="issue_follower_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.issue_id}"


def photo_path(instance: IssuePhoto, filename: str) -> str:
    return f"issues/{instance.issue.created_at:%Y/%m}/{filename}"


class IssuePhoto(models.Model):
    """A photo of an issue, re-encoded on upload (location metadata removed)."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("image"), upload_to=photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    hidden_from_public = models.BooleanField(_("hidden from the public"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.image.name)


class Meeting(models.Model):
    """An assignment meeting (交办会) where the county office gives hard issues to departments."""

    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("held on"))
    is_held = models.BooleanField(_("held"), default=False)
    record = models.TextField(_("record"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("assignment meeting")
        verbose_name_plural = _("assignment meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class AgendaItem(models.Model):
    """A hard issue on a meeting's agenda, and what the meeting gave to whom by when."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    lead_department = models.ForeignKey(
        Organisation,
        verbose_name=_("lead department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    helper_departments = models.ManyToManyField(
        Organisation, verbose_name=_("helping departments"), blank=True, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "issue"], name="agenda_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.issue_id}"
