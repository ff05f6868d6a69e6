"""Micro-wishes in the REST API: list (what the caller sees, or the open wishes near them),
post with an Idempotency-Key, and the moves. The same services and scope as the pages; a
refusal answers with its status and a message in the caller's language."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import get_visible_or_404, scope_filter
from sanzhang.core.api_schemas import ErrorOut
from sanzhang.core.errors import Conflict, Invalid
from sanzhang.core.http import AuthedRequest
from sanzhang.people.models import Household
from sanzhang.places.tree import under_code

from . import access, services
from .models import Wish

router = Router(tags=["wishes"])


class WishOut(Schema):
    id: int
    version: int
    place_code: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")
    text: str
    status: str
    late: str
    created_at: datetime.datetime
    claim_by: datetime.datetime | None
    fulfil_by: datetime.datetime | None
    claimed: bool

    @staticmethod
    def resolve_claimed(obj: Wish) -> bool:
        return obj.claimer_id is not None


class WishEventOut(Schema):
    kind: str
    at: datetime.datetime
    from_status: str
    to_status: str
    note: str


class WishDetail(WishOut):
    reason: str
    fulfil_note: str
    events: list[WishEventOut]
    allowed_actions: list[str] = []

    @staticmethod
    def resolve_events(obj: Wish) -> list[object]:
        return list(obj.events.all())


class WishIn(Schema):
    household: int | None = None
    text: str
    post_key: str = ""


class MoveIn(Schema):
    version: int | None = None  # the version the caller saw; a newer one answers 409
    note: str = ""
    reason: str = ""


def _wish(request: AuthedRequest, wish_id: int, seen: int | None = None) -> Wish:
    wishes = access.wishes_visible_to(request.user).select_related("place")
    wish = get_visible_or_404(wishes, pk=wish_id)
    if seen is not None and seen != wish.version:
        raise Conflict(services.stale_message())
    return wish


def _detail(request: AuthedRequest, wish: Wish) -> Wish:
    wish = _wish(request, wish.pk)
    wish.allowed_actions = access.allowed_actions(request.user, wish)  # type: ignore[attr-defined]
    return wish


@router.get("/", response={200: list[WishOut], 422: ErrorOut}, summary="Wishes the caller sees")
@paginate
def list_wishes(request: AuthedRequest, status: str = "", under: str = "", near: bool = False):  # type: ignore[no-untyped-def]
    """Newest first; `near=true` lists the wishes open for claiming, the caller's own
    community first; `under` limits to a place code's subtree."""
    code = under_code(under) if under else ""
    if near:
        return (
            access.open_near(request.user, code).select_related("place")
            if access.may_claim(request.user)
            else Wish.objects.none()
        )
    wishes = access.wishes_visible_to(request.user).select_related("place")
    if status:
        wishes = wishes.filter(status=status)
    if code:
        wishes = wishes.filter(place__code__under=code)
    return wishes.order_by("-created_at", "-id")


@router.get(
    "/{wish_id}",
    response={200: WishDetail, 404: ErrorOut, 422: ErrorOut},
    summary="One wish with its timeline",
)
def get_wish(request: AuthedRequest, wish_id: int) -> Wish:
    return _detail(request, _wish(request, wish_id))


_ANSWERS = {
    200: WishDetail,
    201: WishDetail,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


@router.post("/", response=_ANSWERS, summary="Post a wish")
def post_wish(request: AuthedRequest, payload: WishIn) -> Status[Wish]:
    """A resident posts for their own household (the default), a post holder or staff member
    for a household in their area. With an `Idempotency-Key` header (or `post_key`) a retry
    returns the first wish with 200 instead of a second one (201)."""
    user = request.user
    home = user.person.household_id if user.person is not None else None
    target = payload.household if payload.household is not None else home
    if target is None:
        raise Invalid(services.no_household_message())
    # Outside the caller's area a household is not found (404), as a missing one.
    reachable = Household.objects.filter(Q(pk=home) | scope_filter(user, "place__code"))
    household = get_object_or_404(reachable.select_related("place"), pk=target)
    for_person = user.person if can(user, Can.ACT_AS_RESIDENT) else None
    key = request.headers.get("Idempotency-Key", "") or payload.post_key
    posted = services.post_wish(
        user, household=household, text=payload.text, for_person=for_person, post_key=key
    )
    return Status(201 if posted.created else 200, _detail(request, posted.wish))


@router.post("/{wish_id}/claim", response=_ANSWERS, summary="Claim a wish (认领)")
def claim(request: AuthedRequest, wish_id: int, payload: MoveIn) -> Wish:
    wish = _wish(request, wish_id, payload.version)
    services.claim(wish, request.user)
    return _detail(request, wish)


@router.post("/{wish_id}/release", response=_ANSWERS, summary="Give a claimed wish back")
def release(request: AuthedRequest, wish_id: int, payload: MoveIn) -> Wish:
    wish = _wish(request, wish_id, payload.version)
    services.release(wish, request.user, reason=payload.reason)
    return _detail(request, wish)


@router.post("/{wish_id}/fulfil", response=_ANSWERS, summary="Fulfil a claimed wish")
def fulfil(
    request: AuthedRequest,
    wish_id: int,
    payload: Form[MoveIn],
    photo: UploadedFile | None = File(None),  # noqa: B008 (ninja declares parameters so)
) -> Wish:
    """Multipart: `note` (required), `photo` (optional JPEG, PNG or WebP), `version`."""
    wish = _wish(request, wish_id, payload.version)
    services.fulfil(wish, request.user, note=payload.note, photo=photo)
    return _detail(request, wish)


@router.post("/{wish_id}/confirm", response=_ANSWERS, summary="Confirm the wish came true")
def confirm(request: AuthedRequest, wish_id: int, payload: MoveIn) -> Wish:
    wish = _wish(request, wish_id, payload.version)
    services.confirm(wish, request.user, note=payload.note)
    return _detail(request, wish)


@router.post("/{wish_id}/approve", response=_ANSWERS, summary="Approve a wish (community)")
def approve(request: AuthedRequest, wish_id: int, payload: MoveIn) -> Wish:
    wish = _wish(request, wish_id, payload.version)
    services.approve(wish, request.user)
    return _detail(request, wish)


@router.post("/{wish_id}/reject", response=_ANSWERS, summary="Do not accept a wish")
def reject(request: AuthedRequest, wish_id: int, payload: MoveIn) -> Wish:
    wish = _wish(request, wish_id, payload.version)
    services.reject(wish, request.user, reason=payload.reason)
    return _detail(request, wish)
