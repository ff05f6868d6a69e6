"""Row-level scope: the one place that decides which part of the tree a user may see.

A post holder sees the subtrees of the posts they hold now; everyone who works for an
organisation (community or village staff, the county office, a department) sees that
organisation's place: its community, its county, or a province for a province's office, so
several counties share one install without seeing each other. The administrators and the
auditor, who never see personal data, see the whole tree. Every page and API call filters
through `scope_filter`, and fetches single objects through `get_visible_or_404`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from sanzhang.people.models import Role
from sanzhang.places.models import Place
from sanzhang.places.tree import is_under, normalise_code

from .roles import GRANTS, Can

if TYPE_CHECKING:
    from sanzhang.people.models import User

# Who keeps the records, never residents' data: they see the whole tree.
WHOLE_TREE_ROLES = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}
ORGANISATION_ROLES = {Role.COMMUNITY_STAFF, Role.COUNTY_OFFICE, Role.DEPARTMENT}
_UNSET = object()


def _collapse(codes: list[str]) -> list[str]:
    """Drop codes that lie under another code of the list."""
    kept: list[str] = []
    for code in sorted(set(codes)):
        if not any(code == k or code.startswith(k + ".") for k in kept):
            kept.append(code)
    return kept


def scope_codes(user: Any) -> list[str] | None:
    """Codes of the subtrees this user may see; None means the whole tree."""
    # No is_active test: an account that may not sign in never reaches a page, and services
    # also act for system accounts (the demo's history import).
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_scope_codes", _UNSET)  # computed once per request's user
    if cached is not _UNSET:
        return cast(list[str] | None, cached)
    codes: list[str] | None
    if user.role in WHOLE_TREE_ROLES:
        codes = None
    elif user.role in ORGANISATION_ROLES and user.organisation_id:
        codes = [user.organisation.place.code]
    elif user.role in GRANTS[Can.HOLD_POSTS] and user.person_id:
        codes = _collapse(list(held_places(user).values()))
    else:
        codes = []
    user._scope_codes = codes
    return codes


def held_places(user: Any) -> dict[int, str]:
    """Place id → code of the posts this user holds now (one query, kept for the request)."""
    cached = getattr(user, "_held_places", None)
    if cached is not None:
        return dict(cached)
    found: dict[int, str] = {}
    if user.role in GRANTS[Can.HOLD_POSTS] and user.person_id:
        from sanzhang.posts.models import Tenure

        held = Tenure.objects.current().filter(person_id=user.person_id, role="holder")
        found = dict(held.values_list("post__place_id", "post__place__code"))
    user._held_places = found
    return dict(found)


def in_scope(user: Any, code: str) -> bool:
    """The place with this code lies in the user's scope (everywhere for whole-tree roles)."""
    codes = scope_codes(user)
    return codes is None or any(is_under(code, c) for c in codes)


def scope_filter(user: User, field: str) -> Q:
    """A Q selecting rows whose place code (at `field`) lies in the user's scope."""
    codes = scope_codes(user)
    if codes is None:
        return Q()
    if not codes:
        return Q(pk__in=[])
    query = Q()
    for code in codes:
        query |= Q(**{f"{field}__under": code})
    return query


def get_visible_or_404[M: Model](queryset: QuerySet[M], **lookup: Any) -> M:
    """The object matching `lookup` in an already scoped queryset, or 404 (never 403:
    a user must not learn that something outside their scope exists)."""
    try:
        return queryset.get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def visible_place(user: Any, code: str, kinds: Collection[str] | None = None) -> Place:
    """The place with this code (as typed) if the user sees it (and it is of `kinds`), else 404."""
    places = Place.objects.visible_to(user)
    if kinds is not None:
        places = places.filter(kind__in=kinds)
    return get_visible_or_404(places, code=normalise_code(code))


def top_place(user: Any, kinds: Collection[str] | None = None) -> Place | None:
    """The highest active place the user sees (of `kinds`): where their pages start."""
    places = Place.objects.visible_to(user).active()
    if kinds is not None:
        places = places.filter(kind__in=kinds)
    return places.order_by("depth", "code").first()
