"""The issue loop in the REST API: report, follow, act, and run assignment meetings.

Everything goes through the same services as the pages (intake, workflow, meetings), so scope,
transitions and refusals are the same; a refusal answers with its HTTP status and a message
in the caller's language. An issue outside the caller's scope is 404, never 403.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder

from sanzhang.access.roles import Can, can, require_or_404
from sanzhang.access.scope import get_visible_or_404, scope_filter
from sanzhang.core.api_schemas import ErrorOut
from sanzhang.core.errors import Invalid
from sanzhang.core.http import AuthedRequest
from sanzhang.core.pagination import KeysetPagination
from sanzhang.people.homes import home_of
from sanzhang.people.models import Household
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code, under_code

from . import meetings, workflow
from .access import RESIDENT_EVENTS, issues_visible_to, photos_for, sees_all_of, words_for
from .intake import submit
from .jurisdiction import home_code
from .models import OPEN_STATES, WORDS_PUBLIC, AgendaItem, Category, Issue, IssueEvent, Meeting
from .overdue import with_deadline_flag
from .photos import add_photos
from .resident_places import chosen_place, grid_located, places_near
from .similar import follow
from .steps import StepInput, take_step
from .suggest import categories_at, category_at

router = Router(tags=["issues"])
meetings_router = Router(tags=["meetings"])


class CategoryOut(Schema):
    code: str
    name: str
    default_tier: str


class IssueOut(Schema):
    number: str
    version: int
    place_code: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")
    category: str = Field(alias="category.code")
    tier: str
    state: str
    channel: str
    text: str
    created_at: datetime.datetime
    due_at: datetime.datetime | None
    deadline_flag: str = ""
    reopen_count: int
    owner: str

    @staticmethod
    def resolve_owner(obj: Issue) -> str:
        if obj.owner_organisation_id is not None and obj.owner_organisation is not None:
            return obj.owner_organisation.name
        return obj.owner_place.name


class IssueEventOut(Schema):
    kind: str
    at: datetime.datetime
    from_state: str
    to_state: str
    note: str
    data: dict[str, Any]


class IssueDetail(IssueOut):
    events: list[IssueEventOut]
    photos: list[str]
    allowed_actions: list[str]
    merged_into: str | None

    @staticmethod
    def resolve_events(obj: Issue) -> list[Any]:
        return list(obj.events.all())

    @staticmethod
    def resolve_photos(obj: Issue) -> list[str]:
        return [reverse("issues:photo", args=[obj.number, photo.pk]) for photo in obj.photos.all()]

    @staticmethod
    def resolve_merged_into(obj: Issue) -> str | None:
        return obj.merged_into.number if obj.merged_into_id and obj.merged_into else None


class ResidentEventOut(Schema):
    kind: str
    at: datetime.datetime
    note: str
    by_call_back: bool = Field(description="Rated for the resident by the staff's call-back.")

    @staticmethod
    def resolve_by_call_back(obj: IssueEvent) -> bool:
        return bool(obj.data.get("on_behalf"))


class ResidentIssueDetail(Schema):
    """An issue as its reporter or a follower sees it: the steps their page shows, without the
    staff's comments, inspection notes, send-back reasons or internal ids."""

    number: str
    version: int
    place_code: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")
    category: str = Field(alias="category.code")
    state: str
    text: str
    created_at: datetime.datetime
    events: list[ResidentEventOut]
    photos: list[str]
    allowed_actions: list[str]
    merged_into: str | None

    @staticmethod
    def resolve_events(obj: Issue) -> list[Any]:
        return [event for event in obj.events.all() if event.kind in RESIDENT_EVENTS]

    @staticmethod
    def resolve_photos(obj: Issue) -> list[str]:
        return IssueDetail.resolve_photos(obj)

    @staticmethod
    def resolve_merged_into(obj: Issue) -> str | None:
        return IssueDetail.resolve_merged_into(obj)


# What an issue's operations answer: the staff's view, or the resident's (by the caller's role).
AnyIssueDetail = IssueDetail | ResidentIssueDetail


class IssueIn(Schema):
    place: str = ""
    latitude: float | None = None
    longitude: float | None = None
    text: str
    category: str = ""
    channel: str = "online"
    household: int | None = None
    public_consent: bool = False
    intake_key: str = ""


class ActionIn(Schema):
    note: str = ""
    reason: str = ""
    message: str = ""
    satisfied: bool | None = None
    tier: str = ""
    category: str = ""
    place: str = ""
    into: str = ""
    version: int | None = None  # the version the caller saw; a newer one answers 409


def _scoped(request: AuthedRequest) -> QuerySet[Issue]:
    return issues_visible_to(request.user).select_related(
        "place", "category", "owner_place", "owner_organisation", "merged_into"
    )


def _issue(request: AuthedRequest, number: str) -> Issue:
    return get_visible_or_404(_scoped(request), number=number)


def _category(code: str, place: Place) -> Category | None:
    """The category with this code in force at `place` (its county's own, else the default)."""
    if not code:
        return None
    category = category_at(place.code, code)
    if category is None:
        raise Invalid(_("Unknown category: %(code)s") % {"code": code})
    return category


def _home(request: AuthedRequest) -> Place | None:
    """The caller's home (their household's place), in one query."""
    return home_of(request.user.person_id)


def _place(code: str) -> Place:
    place = Place.objects.filter(code=normalise_code(code)).first()
    if place is None:
        raise Http404
    return place


def _household(request: AuthedRequest, pk: int) -> Household:
    """A household the caller may report for: a resident's own, a leader's or staff member's
    of their area. Missing and out of area answer the same 404, so ids cannot be probed."""
    households = Household.objects.select_related("place")
    if can(request.user, Can.ACT_AS_RESIDENT):
        person = request.user.person
        own = person.household_id if person else None
        households = households.filter(pk=own) if own else households.none()
    else:
        households = households.filter(scope_filter(request.user, "place__code"))
    return get_object_or_404(households, pk=pk)


def _detail(
    request: AuthedRequest, issue: Issue, status: int = 200, *, fresh: bool = True
) -> JsonResponse:
    """The issue as the caller may see it, fresh from the database (unless `fresh` is False:
    an issue the caller has just made, in memory), with their next steps.

    Serialised here, by the caller's role, rather than by ninja from the documented union:
    ninja would re-validate against the staff's schema first, which a resident's view fits."""
    if fresh:
        issue = _issue(request, issue.number)
    issue.allowed_actions = workflow.allowed_actions(request.user, issue)  # type: ignore[attr-defined]
    schema = ResidentIssueDetail if can(request.user, Can.ACT_AS_RESIDENT) else IssueDetail
    body = schema.from_orm(issue).model_dump(mode="json")
    if not sees_all_of(request.user, issue):  # a follower: what the public may see
        body["text"] = words_for(request.user, issue)
        shown = photos_for(request.user, issue)
        body["photos"] = [reverse("issues:photo", args=[issue.number, p.pk]) for p in shown]
        if not body["text"]:
            for event in body["events"]:
                if event["kind"] == IssueEvent.Kind.REPORTED:
                    event["note"] = ""
    return JsonResponse(body, status=status, encoder=NinjaJSONEncoder)


@router.get("/categories", response=list[CategoryOut], summary="Categories of issues")
def list_categories(request: AuthedRequest) -> QuerySet[Category]:
    """The categories in force where the user works or lives (their county's own, if any)."""
    return categories_at(home_code(request.user))


@router.post(
    "/",
    response={
        200: AnyIssueDetail,
        201: AnyIssueDetail,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="Report a problem",
)
def create_issue(
    request: AuthedRequest,
    payload: Form[IssueIn],
    photos: list[UploadedFile] = File(None),  # noqa: B008 (ninja declares parameters so)
) -> JsonResponse:
    """Report a problem at a place (a place code, or a map point resolved to its grid), with up
    to six photos. Send an `Idempotency-Key` header (or `intake_key`): a retry with the same
    key returns the first issue with 200 instead of creating a second one (201). The answer's
    category (unless one was given) and tier are the first reading, by the categories' keywords;
    a moment later the worker reads the text with the county's model and the grid's recent
    history and, if it reads them otherwise, routes the issue again before anyone is told."""
    from sanzhang.places.geo import grid_at

    if payload.place and can(request.user, Can.ACT_AS_RESIDENT):
        place = chosen_place(_home(request), payload.place)  # a place of their own county only
    elif payload.place:
        place = _place(payload.place)
    elif payload.latitude is not None and payload.longitude is not None:
        if can(request.user, Can.ACT_AS_RESIDENT):  # a grid of their own county only
            found = grid_located(_home(request), payload.latitude, payload.longitude)
        else:
            found = grid_at(payload.latitude, payload.longitude)
        if found is None:
            raise Invalid(_("That point lies outside every grid we know."))
        place = found
    elif (home := _home(request)) is not None:
        place = home  # a resident's own unit by default
    else:
        raise Invalid(_("Say where the problem is."))
    household = _household(request, payload.household) if payload.household else None
    key = request.headers.get("Idempotency-Key", "") or payload.intake_key
    intake = submit(
        request.user,
        place=place,
        text=payload.text,
        channel=payload.channel,
        category=_category(payload.category, place),
        household=household,
        public_consent=payload.public_consent,
        latitude=payload.latitude,
        longitude=payload.longitude,
        intake_key=key,
        photos=photos or [],
    )
    if intake.created and intake.event is not None and can(request.user, Can.ACT_AS_RESIDENT):
        # A resident's new report as written, without reading it again: its first event and
        # photos (a resident always sees their own report; staff and departments are answered
        # from the database, by what their scope lets them see).
        issue = intake.issue
        issue._prefetched_objects_cache = {"events": [intake.event], "photos": list(intake.photos)}  # type: ignore[attr-defined]
        return _detail(request, issue, 201, fresh=False)
    return _detail(request, intake.issue, 200)


@router.get(
    "/", response={200: list[IssueOut], 422: ErrorOut}, summary="Issues in the caller's scope"
)
@paginate
def list_issues(  # type: ignore[no-untyped-def]
    request: AuthedRequest,
    state: str = "",
    tier: str = "",
    category: str = "",
    channel: str = "",
    under: str = "",
):
    """Newest first; filter by step, tier, category code, channel and place code (subtree)."""
    return _filtered(request, state, tier, category, channel, under).order_by("-created_at", "-id")


class FeedIssueOut(IssueOut):
    """An issue of the feed: its own name, so the feed's page (PagedFeedIssueOut: `next`,
    `previous`, `results`) and the list's (PagedIssueOut: `items`, `count`) stay apart in the
    document; django-ninja names a page after its rows."""


@router.get(
    "/feed",
    response={200: list[FeedIssueOut], 422: ErrorOut},
    summary="Issues in the caller's scope, page after page (a cursor)",
)
@paginate(KeysetPagination)
def issue_feed(  # type: ignore[no-untyped-def]
    request: AuthedRequest,
    state: str = "",
    tier: str = "",
    category: str = "",
    channel: str = "",
    under: str = "",
):
    """The same issues and filters as the list, newest first, for reading all of a county's:
    follow `next` until it is null (no offsets, no count)."""
    return _filtered(request, state, tier, category, channel, under)


def _filtered(  # type: ignore[no-untyped-def]
    request: AuthedRequest, state: str, tier: str, category: str, channel: str, under: str
):
    issues = with_deadline_flag(_scoped(request))
    if state:
        issues = issues.filter(state=state)
    if tier:
        issues = issues.filter(tier=tier)
    if category:
        issues = issues.filter(category__code=category)
    if channel:
        issues = issues.filter(channel=channel)
    if under:
        issues = issues.filter(place__code__under=under_code(under))
    return issues


@router.get(
    "/{number}",
    response={200: AnyIssueDetail, 404: ErrorOut, 422: ErrorOut},
    summary="One issue with its timeline",
)
def get_issue(request: AuthedRequest, number: str) -> JsonResponse:
    """The staff see every step with its details; a resident sees the steps of their page."""
    return _detail(request, _issue(request, number))


@router.post(
    "/{number}/photos",
    response={201: AnyIssueDetail, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Add photos to an issue",
)
def post_photos(
    request: AuthedRequest, number: str, photos: File[list[UploadedFile]]
) -> JsonResponse:
    issue = _issue(request, number)
    add_photos(issue, photos, request.user)
    return _detail(request, issue, 201)


@router.post(
    "/{number}/follow",
    response={200: AnyIssueDetail, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Follow a report already made (已有人反映？关注它)",
)
def follow_issue(request: AuthedRequest, number: str) -> JsonResponse:
    """A resident follows an open report of their county that its reporter let be shown,
    instead of reporting the same again; they are then told of its steps. Twice is once."""
    require_or_404(request.user, Can.ACT_AS_RESIDENT)
    near = Issue.objects.filter(
        WORDS_PUBLIC, place__in=places_near(_home(request)), state__in=OPEN_STATES
    )  # a closed report answers as a missing one: nothing to learn by probing numbers
    issue = get_visible_or_404(near, number=number)
    follow(request.user, issue)
    return _detail(request, issue)


@router.post(
    "/{number}/{action}",
    response={200: AnyIssueDetail, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Take a step of the loop",
)
def act(request: AuthedRequest, number: str, action: str, body: ActionIn) -> JsonResponse:
    """`action` is one of confirm, start, handle, pass_inspection, send_back, feed_back, rate,
    return, escalate, merge, decline, comment, progress. The detail's `allowed_actions` lists
    those open to the caller now; others are refused with 403 (or 409 if someone acted first)."""
    issue = _issue(request, number)
    fields = body.dict()
    step = StepInput(**{**fields, "category": _category(fields["category"], issue.place)})
    take_step(issue, request.user, action, step)
    return _detail(request, issue)


class MeetingIn(Schema):
    title: str
    held_on: datetime.date


class AgendaIn(Schema):
    issue: str


class AssignIn(Schema):
    lead: int
    helpers: list[int] = []
    due_on: datetime.date
    note: str = ""


class AgendaItemOut(Schema):
    id: int
    issue: str = Field(alias="issue.number")
    lead_department: str | None = Field(None, alias="lead_department.name")
    helper_departments: list[str]
    due_on: datetime.date | None
    assigned_at: datetime.datetime | None

    @staticmethod
    def resolve_helper_departments(obj: AgendaItem) -> list[str]:
        return [org.name for org in obj.helper_departments.all()]


class MeetingOut(Schema):
    id: int
    title: str
    held_on: datetime.date
    is_held: bool
    record: str
    items: list[AgendaItemOut]

    @staticmethod
    def resolve_items(obj: Meeting) -> list[Any]:
        return list(
            obj.items.select_related("issue", "lead_department").prefetch_related(
                "helper_departments"
            )
        )


def _meeting(request: AuthedRequest, meeting_id: int) -> Meeting:
    require_or_404(request.user, Can.RUN_MEETINGS)
    return get_object_or_404(meetings.meetings_visible_to(request.user), pk=meeting_id)


@meetings_router.post("/", response={201: MeetingOut, 403: ErrorOut, 422: ErrorOut})
def create_meeting(request: AuthedRequest, body: MeetingIn) -> Status[Meeting]:
    """Schedule an assignment meeting (交办会); county office only."""
    return Status(201, meetings.schedule(request.user, title=body.title, held_on=body.held_on))


@meetings_router.get(
    "/{meeting_id}",
    response={200: MeetingOut, 404: ErrorOut, 422: ErrorOut},
    summary="A meeting and its record",
)
def get_meeting(request: AuthedRequest, meeting_id: int) -> Meeting:
    """The meeting's record: every agenda item, to whom it was given and by when."""
    return _meeting(request, meeting_id)


@meetings_router.post(
    "/{meeting_id}/agenda", response={201: MeetingOut, 404: ErrorOut, 422: ErrorOut}
)
def add_to_agenda(request: AuthedRequest, meeting_id: int, body: AgendaIn) -> Status[Meeting]:
    meeting = _meeting(request, meeting_id)
    meetings.put_on_agenda(request.user, meeting, _issue(request, body.issue))
    return Status(201, meeting)


@meetings_router.post(
    "/{meeting_id}/items/{item_id}/assign",
    response={200: MeetingOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def assign_item(request: AuthedRequest, meeting_id: int, item_id: int, body: AssignIn) -> Meeting:
    """Give an agenda item's issue to a lead department, with helpers and a deadline."""
    meeting = _meeting(request, meeting_id)
    item = get_object_or_404(
        AgendaItem.objects.select_related("issue"), pk=item_id, meeting=meeting
    )
    departments = meetings.departments_of(request.user)
    lead = get_object_or_404(departments, pk=body.lead)
    helpers = list(departments.filter(pk__in=body.helpers))
    meetings.assign(
        request.user, item, lead=lead, helpers=helpers, due_on=body.due_on, note=body.note
    )
    return meeting
