"""Row-level scope: the one place that decides which part of the tree a user may see.

A post holder sees the subtrees of the posts they hold now (a reserve holder, 双三长, those they
stand reserve for); everyone who works for an organisation (community or village staff, the
county office, a department) sees that organisation's place: its community, its county, or a
province for a province's office, so several counties share one install without seeing each
other. The administrators and the auditor, who never see personal data, see the whole tree.
Every page and API call filters through `scope_filter`, and fetches single objects through
`get_visible_or_404`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from sanzhang.people.models import Role
from sanzhang.places.models import Place
from sanzhang.places.tree import is_under, normalise_code

from .actor import Actor, Standing, Visitor, standing
from .roles import GRANTS, Can

# Who keeps the records, never residents' data: they see the whole tree.
WHOLE_TREE_ROLES = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}
ORGANISATION_ROLES = {
    Role.COMMUNITY_STAFF,
    Role.COUNTY_OFFICE,
    Role.DEPARTMENT,
    Role.ORG_DEPARTMENT,
}


def _collapse(codes: list[str]) -> list[str]:
    """Drop codes that lie under another code of the list."""
    kept: list[str] = []
    for code in sorted(set(codes)):
        if not any(code == k or code.startswith(k + ".") for k in kept):
            kept.append(code)
    return kept


def scope_codes(user: Visitor | None) -> list[str] | None:
    """Codes of the subtrees this user may see; None means the whole tree (read once per
    request, with the account's standing)."""
    # No is_active test: an account that may not sign in never reaches a page, and services
    # also act for system accounts (the demo's history import).
    if user is None or not user.is_authenticated:
        return []
    return standing(user).scope_codes


def decide_scope(user: Actor, facts: Standing) -> list[str] | None:
    if user.role in WHOLE_TREE_ROLES:
        return None
    if user.role in ORGANISATION_ROLES and user.organisation_id:
        assert user.organisation is not None  # nosec B101 # for mypy: organisation_id is set, so the row exists
        return [user.organisation.place.code]
    if user.role in GRANTS[Can.HOLD_POSTS] and user.person_id:
        return _collapse([*facts.held_places.values(), *facts.reserve_places.values()])
    return []


def held_places(user: Actor) -> dict[int, str]:
    """Place id → code of the posts this user holds now (one query, kept for the request)."""
    return dict(standing(user).held_places)


def in_scope(user: Visitor | None, code: str) -> bool:
    """The place with this code lies in the user's scope (everywhere for whole-tree roles)."""
    codes = scope_codes(user)
    return codes is None or any(is_under(code, c) for c in codes)


def acts_in(user: Visitor | None, code: str) -> bool:
    """The user may act (not only read) at the place with this code: a reserve holder (双三长)
    reads the posts they stand reserve for but acts there only where their county lets reserves
    of that post act (`held_places`); everyone else acts where they see."""
    if not in_scope(user, code):
        return False
    assert user is not None and user.is_authenticated  # nosec B101 # in scope: signed in; for mypy
    facts = standing(user)
    if not facts.reserve_places:
        return True
    return any(is_under(code, held) for held in facts.held_places.values())


def scope_filter(user: Visitor | None, field: str) -> Q:
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


def visible_place(user: Visitor, code: str, kinds: Collection[str] | None = None) -> Place:
    """The place with this code (as typed) if the user sees it (and it is of `kinds`), else 404."""
    places = Place.objects.visible_to(user)
    if kinds is not None:
        places = places.filter(kind__in=kinds)
    return get_visible_or_404(places, code=normalise_code(code))


def top_place(user: Visitor, kinds: Collection[str] | None = None) -> Place | None:
    """The highest active place the user sees (of `kinds`): where their pages start."""
    places = Place.objects.visible_to(user).active()
    if kinds is not None:
        places = places.filter(kind__in=kinds)
    return places.order_by("depth", "code").first()
