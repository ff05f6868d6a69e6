"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the issue loop: the
categories in force as services, the public board's issues as service requests, and a request
another system posts taken in by the same intake as every report, under its account's scope.

Nothing here decides who sees what: the board's rule (`issues.access.public_issues`), the scope
(`access.scope`) and the intake (`issues.intake.submit`) do, as for the pages and the REST API.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import scope_codes, scope_filter
from sanzhang.core.errors import Invalid, NotAllowed, Refusal
from sanzhang.issues.access import public_issues
from sanzhang.issues.intake import Intake, submit
from sanzhang.issues.jurisdiction import home_code
from sanzhang.issues.models import FINAL_STATES, OPEN_STATES, Category, Channel, Issue, IssuePhoto
from sanzhang.issues.resident_places import ABOVE_COUNTY, chosen_place, grid_located
from sanzhang.issues.suggest import categories_at, category_at
from sanzhang.people.homes import home_of
from sanzhang.people.models import User
from sanzhang.places.geo import centre, grid_at
from sanzhang.places.models import Place
from sanzhang.places.services import resolve_code
from sanzhang.places.tree import lineage, normalise_code
from sanzhang.security.models import ApiToken
from sanzhang.security.passwords import password_expired
from sanzhang.security.tokens import user_for

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00+08:00"  # when this interface last changed shape
MAX_REQUESTS = 1000
WINDOW = datetime.timedelta(days=90)  # the spec's default range, and its widest
DECIMALS = 3  # a reporter's own point to about 100 m: the board names a grid, never a door
STATUSES = {"open": OPEN_STATES, "closed": FINAL_STATES}


class Missing(Refusal):
    """The thing asked for does not exist, or not for this caller."""

    status = 404


def caller(api_key: str) -> User | None:
    """The account an api_key acts as (None without a key); a key that opens nothing is
    refused rather than treated as none, so a client learns its key was revoked."""
    if not api_key:
        return None
    # An api_key is a client system's: the county office issues it to a system account.
    user = user_for(api_key, kinds=[ApiToken.Kind.SYSTEM])
    if user is None:
        raise NotAllowed(_("The api_key is unknown, expired or revoked."))
    if password_expired(user):  # as the REST API's bearer tokens (SECURITY.md, 1)
        raise NotAllowed(_("Change your password before using the API."))
    return user


def jurisdiction(user: User | None, jurisdiction_id: str) -> str | None:
    """The code of the place whose categories and issues are meant: the jurisdiction_id asked
    for, else where the key's account works or lives, else None (the install's defaults)."""
    if jurisdiction_id:
        place = resolve_code(normalise_code(jurisdiction_id))
        if place is None:
            raise Missing(_("Unknown jurisdiction_id."))
        return str(place.code)
    return home_code(user) if user is not None else None


def discovery(base_url: str, tokens_url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": _("The county office (三长办) of each county on this platform."),
        "key_service": _("The county office issues an api_key to a department's system at %(url)s")
        % {"url": tokens_url},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name,
        "metadata": False,  # no attributes: a client need not ask for the definition
        "type": "realtime",
        "keywords": ", ".join(category.keywords.split()),
        "group": category.get_default_tier_display(),  # who solves it (三级服务)
    }


def service_list(code: str | None) -> list[dict[str, Any]]:
    """The categories in force at the place with `code` (its county's own, if any)."""
    return [_service(category) for category in categories_at(code)]


def service_definition(code: str | None, service_code: str) -> dict[str, Any]:
    category = category_at(code, service_code)
    if category is None:
        raise Missing(_("Unknown service_code: %(code)s") % {"code": service_code})
    return {"service_code": category.code, "attributes": []}


# -- GET requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    ids: list[str]
    service_codes: list[str]
    states: list[str]
    start: datetime.datetime
    end: datetime.datetime


def _listed(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _moment(value: str, name: str) -> datetime.datetime | None:
    """An ISO 8601 date or time; one without an offset is the county's (Asia/Shanghai)."""
    if not value:
        return None
    # An unencoded "+08:00" in a query string arrives as " 08:00".
    value = re.sub(r"(T[\d:.]+) (\d\d:?\d\d)$", r"\1+\2", value.strip())
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise Invalid(
            _("%(name)s is not an ISO 8601 date and time, e.g. 2026-05-01T08:00:00+08:00.")
            % {"name": name}
        )
    if not 2000 <= moment.year <= 2100:  # beyond, adding the window or the offset overflows
        raise Invalid(_("%(name)s must be between the years 2000 and 2100.") % {"name": name})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _window(start_date: str, end_date: str, now: datetime.datetime) -> tuple[Any, Any]:
    start, end = _moment(start_date, "start_date"), _moment(end_date, "end_date")
    if start is None and end is None:
        return now - WINDOW, now
    if start is None:
        assert end is not None  # nosec B101 # for mypy: both None returned above
        return end - WINDOW, end
    end = end if end is not None else start + WINDOW
    if start > end:
        raise Invalid(_("start_date is after end_date."))
    if end - start > WINDOW:
        raise Invalid(_("start_date and end_date may be at most 90 days apart."))
    return start, end


def parse_query(params: Mapping[str, str], now: datetime.datetime) -> Query:
    """GET requests' filters, as the spec defines them; a malformed one is refused."""
    states: list[str] = []
    for status in _listed(params.get("status", "")):
        if status not in STATUSES:
            raise Invalid(_("status is open or closed."))
        states += STATUSES[status]
    start, end = _window(params.get("start_date", ""), params.get("end_date", ""), now)
    ids = _listed(params.get("service_request_id", ""))
    if len(ids) > MAX_REQUESTS:
        raise Invalid(_("At most %(n)d service_request_id at once.") % {"n": MAX_REQUESTS})
    codes = _listed(params.get("service_code", ""))
    return Query(ids=ids, service_codes=codes, states=states, start=start, end=end)


def shown_to(user: User | None, code: str | None) -> QuerySet[Issue]:
    """The board's issues (under `code`), within the key's scope when its account has one."""
    issues = public_issues(code)
    if user is not None and scope_codes(user):  # a resident's key has no area: the board's rule
        issues = issues.filter(scope_filter(user, "place__code"))
    return issues.select_related(
        "category", "place", "owner_place", "owner_organisation", "owner_post__place"
    ).prefetch_related(
        Prefetch(
            "photos",
            queryset=IssuePhoto.objects.filter(hidden_from_public=False),
            to_attr="public_photos",
        )
    )


def find(issues: QuerySet[Issue], query: Query) -> list[Issue]:
    """The issues matching `query`, newest first; a list of ids overrides every other filter."""
    if query.ids:
        issues = issues.filter(number__in=query.ids)
    else:
        issues = issues.filter(created_at__gte=query.start, created_at__lte=query.end)
        if query.service_codes:
            issues = issues.filter(category__code__in=query.service_codes)
        if query.states:
            issues = issues.filter(state__in=query.states)
    return list(issues.order_by("-created_at", "-id")[:MAX_REQUESTS])


def one(issues: QuerySet[Issue], number: str) -> Issue:
    issue = issues.filter(number=number).first()
    if issue is None:
        raise Missing(_("No such service request."))
    return issue


# -- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    address: str
    lat: float | None
    long: float | None


def locate(issues: list[Issue]) -> dict[int, Where]:
    """Each issue's address (its place's names within the county) and point (the centre of
    the nearest boundary at or above its place, else its own point rounded), in one query."""
    codes = {code for issue in issues for code in lineage(issue.place.code)}
    places = {
        place.code: place
        for place in Place.objects.filter(code__in=codes).only("code", "name", "kind", "boundary")
    }
    found: dict[int, Where] = {}
    for issue in issues:
        above = [places[c] for c in lineage(issue.place.code) if c in places]
        names = [p.name for p in above if p.kind not in ABOVE_COUNTY] or [issue.place.name]
        middle = next((centre(p.boundary) for p in reversed(above) if p.boundary), None)
        if middle is None and issue.latitude is not None and issue.longitude is not None:
            middle = (round(issue.latitude, DECIMALS), round(issue.longitude, DECIMALS))
        lat, lng = (round(middle[0], 6), round(middle[1], 6)) if middle else (None, None)
        found[issue.pk] = Where(" › ".join(names), lat, lng)
    return found


def _stamp(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _agency(issue: Issue) -> str:
    if issue.owner_organisation is not None:
        return issue.owner_organisation.name
    if issue.owner_post is not None:
        return str(issue.owner_post)
    return issue.owner_place.name


def _media(issue: Issue, absolute: Callable[[str], str]) -> str | None:
    # Photos the county office hid (moderation) are left out, as on the board.
    photo = next(iter(getattr(issue, "public_photos", ())), None) if issue.public_consent else None
    if photo is None:
        return None
    return absolute(reverse("public_photo", args=[issue.place.code, photo.pk]))


def rows(issues: list[Issue], absolute: Callable[[str], str]) -> list[dict[str, Any]]:
    """The service requests as the spec lists them: no reporter, and the reporter's words and
    photo only where they allowed them on the board."""
    where = locate(issues)
    return [
        {
            "service_request_id": issue.number,
            "status": "open" if issue.is_open else "closed",
            "status_notes": issue.get_state_display(),
            "service_name": issue.category.name,
            "service_code": issue.category.code,
            "description": issue.text if issue.words_public else None,
            "agency_responsible": _agency(issue),
            "service_notice": None,
            "requested_datetime": _stamp(issue.created_at),
            "updated_datetime": _stamp(issue.updated_at),
            "expected_datetime": None,
            "address": where[issue.pk].address,
            "address_id": issue.place.code,
            "zipcode": None,
            "lat": where[issue.pk].lat,
            "long": where[issue.pk].long,
            "media_url": _media(issue, absolute),
        }
        for issue in issues
    ]


# -- POST requests ---------------------------------------------------------------------------


def _number(params: Mapping[str, str], name: str) -> float:
    try:
        return float(params[name])
    except ValueError as exc:
        raise Invalid(_("%(name)s is not a number.") % {"name": name}) from exc


def _home(user: User) -> Place | None:
    return home_of(user.person_id)


def _place(user: User, params: Mapping[str, str]) -> tuple[Place, float | None, float | None]:
    """Where the request is: the grid its point lies in, as the resident's map finds it (a
    resident's key: a grid of their own county), or the place its address_id names."""
    resident = can(user, Can.ACT_AS_RESIDENT)
    if params.get("lat") and params.get("long"):
        lat, lng = _number(params, "lat"), _number(params, "long")
        grid = grid_located(_home(user), lat, lng) if resident else grid_at(lat, lng)
        if grid is None:
            raise Invalid(_("That point lies outside every grid we know."))
        return grid, lat, lng
    code = params.get("address_id", "")
    if not code:
        raise Invalid(_("Say where: lat and long, or an address_id (a place code)."))
    place = chosen_place(_home(user), code) if resident else resolve_code(normalise_code(code))
    if place is None:
        raise Invalid(_("Unknown address_id."))
    return place, None, None


def post_request(user: User | None, params: Mapping[str, str], idempotency_key: str) -> Intake:
    """Take in a request through the intake every report goes through, as the key's account
    (its scope applies), on the channel of other systems. The client's own id (the header, or
    attribute[client_id]) makes a retry return the first request. Contact details (email,
    phone, names) and media_url are not kept: the intake keeps no more than a report's."""
    if user is None:
        raise NotAllowed(_("An api_key is needed to post a service request."))
    service_code = params.get("service_code", "").strip()
    if not service_code:
        raise Invalid(_("service_code is required."))
    place, lat, lng = _place(user, params)
    category = category_at(place.code, service_code)
    if category is None:
        raise Invalid(_("Unknown service_code: %(code)s") % {"code": service_code})
    return submit(
        user,
        place=place,
        text=params.get("description", ""),
        channel=Channel.API,
        category=category,
        latitude=lat,
        longitude=lng,
        intake_key=idempotency_key or params.get("attribute[client_id]", ""),
    )


def posted(intake: Intake) -> list[dict[str, Any]]:
    """The answer to a POST: the request's id at once (the intake is synchronous: no token)."""
    return [
        {
            "service_request_id": intake.issue.number,
            "service_notice": _("Received: it waits for triage (分流交办)."),
            "account_id": None,
        }
    ]


def token(issues: QuerySet[Issue], token_id: str) -> list[dict[str, Any]]:
    """A token is the request's own id: a client that asks by token gets the id back."""
    issue = one(issues, token_id)
    return [{"service_request_id": issue.number, "token": token_id}]
