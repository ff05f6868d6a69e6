"""The party organisation's register: the tree each user sees, a branch's members, and the
changes staff make (a branch's member, a new organisation with its secretary's post)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, require
from sanzhang.access.scope import get_visible_or_404, in_scope
from sanzhang.audit.services import record
from sanzhang.core.errors import Invalid
from sanzhang.people.models import PartyMember
from sanzhang.people.party import registration_place_of
from sanzhang.places.models import Place
from sanzhang.places.tree import is_under, lineage
from sanzhang.posts.models import Post, PostKind, Tenure

from .models import Membership, PartyOrganisation

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor, Visitor

Kind = PartyOrganisation.Kind
# What may sit under what (a committee may also hold committees: the county's over a township's).
CHILD_KINDS: dict[str, set[str]] = {
    Kind.COMMITTEE: {Kind.COMMITTEE, Kind.WORKING_COMMITTEE, Kind.BRANCH},
    Kind.WORKING_COMMITTEE: {Kind.BRANCH},
    Kind.BRANCH: {Kind.GROUP},
    Kind.GROUP: set(),
}


@dataclass
class Node:
    """An organisation in the tree as a user sees it, with the ones under it."""

    organisation: PartyOrganisation
    children: list[Node] = field(default_factory=list)


def visible(user: Visitor) -> QuerySet[PartyOrganisation]:
    return PartyOrganisation.objects.visible_to(user).select_related("place", "parent")


def tree(user: Visitor) -> list[Node]:
    """The organisations the user sees, nested; an organisation whose parent lies outside the
    user's scope is a root of their tree. Each carries `member_count` (one query)."""
    rows = list(visible(user).annotate(member_count=Count("memberships")))
    nodes = {org.pk: Node(org) for org in rows}
    roots: list[Node] = []
    for org in rows:
        parent = nodes.get(org.parent_id) if org.parent_id else None
        (parent.children if parent else roots).append(nodes[org.pk])
    return roots


def get_visible(user: Visitor, pk: int) -> PartyOrganisation:
    return get_visible_or_404(visible(user), pk=pk)


def members(organisation: PartyOrganisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("member__person", "member__community").order_by(
        "member__person__name", "pk"
    )


def secretary_post(organisation: PartyOrganisation) -> Post | None:
    """The branch secretary's post (支部书记) at a branch's place."""
    if organisation.kind != Kind.BRANCH:
        return None
    return Post.objects.filter(place=organisation.place, kind=PostKind.BRANCH_SECRETARY).first()


def secretary(organisation: PartyOrganisation) -> Tenure | None:
    post = secretary_post(organisation)
    if post is None:
        return None
    return (
        Tenure.objects.current()
        .filter(post=post, role=Tenure.Role.HOLDER)
        .select_related("person")
        .first()
    )


def candidates(user: Actor, organisation: PartyOrganisation) -> QuerySet[PartyMember]:
    """Registered party members who may join this branch or group: those registered at the
    community or village it lies in (or under it, for a committee's own branches)."""
    community = registration_place_of(organisation.place)
    found = PartyMember.objects.select_related("person", "community")
    if community is not None:
        found = found.filter(community=community)
    else:
        found = found.filter(community__code__under=organisation.place.code)
    return found.order_by("person__name", "pk")


def assign_member(
    actor: Actor,
    organisation: PartyOrganisation,
    member: PartyMember,
    *,
    since: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Membership:
    """Make `member` a member of this branch or group (a member belongs to one: joining here
    moves them from where they were)."""
    require(actor, Can.KEEP_PARTY_REGISTER)
    if not in_scope(actor, organisation.place.code):
        raise Invalid(_("This organisation is not in your area."))
    if organisation.kind not in (Kind.BRANCH, Kind.GROUP):
        raise Invalid(_("Party members belong to a branch or a group."))
    if not candidates(actor, organisation).filter(pk=member.pk).exists():
        raise Invalid(_("This party member is not registered at this branch's community."))
    with transaction.atomic():
        membership, _created = Membership.objects.update_or_create(
            member=member,
            defaults={"organisation": organisation, "since": since or timezone.localdate()},
        )
        record(
            "party.member_assigned",
            actor=actor,
            request=request,
            obj=organisation,
            detail={"member": member.pk},
        )
    return membership


def remove_member(
    actor: Actor, membership: Membership, *, request: HttpRequest | None = None
) -> None:
    require(actor, Can.KEEP_PARTY_REGISTER)
    if not in_scope(actor, membership.organisation.place.code):
        raise Invalid(_("This organisation is not in your area."))
    with transaction.atomic():
        record(
            "party.member_removed",
            actor=actor,
            request=request,
            obj=membership.organisation,
            detail={"member": membership.member_id},
        )
        membership.delete()


def check_parent(kind: str, parent: PartyOrganisation | None, place: Place) -> str | None:
    """Why this organisation cannot sit under `parent` at `place`, or None."""
    if parent is None:
        if kind == Kind.GROUP:
            return _("A party group sits under a branch.")
        return None
    if kind not in CHILD_KINDS[parent.kind]:
        return _("A %(kind)s cannot sit under a %(parent)s.") % {
            "kind": Kind(kind).label,
            "parent": parent.get_kind_display(),
        }
    if not is_under(place.code, parent.place.code):
        return _("It must lie within the place of the organisation above it.")
    return None


def ensure_secretary_post(organisation: PartyOrganisation) -> Post | None:
    """A branch has its secretary's post at its place, held over periods like the 三长's."""
    if organisation.kind != Kind.BRANCH:
        return None
    post, _created = Post.objects.get_or_create(
        place=organisation.place, kind=PostKind.BRANCH_SECRETARY, seat=1
    )
    return post


def join_home_branch(member: PartyMember) -> Membership | None:
    """Place a newly registered member in the nearest group or branch above their home, within
    the community they registered at (a member already placed stays where staff put them)."""
    existing = (
        Membership.objects.filter(member=member).select_related("organisation__place").first()
    )
    if existing is not None and is_under(existing.organisation.place.code, member.community.code):
        return existing
    household = member.person.household
    if household is None or not is_under(household.place.code, member.community.code):
        if existing is not None:  # moved to another community: not their old branch's any more
            existing.delete()
        return None
    # Within the community: never a township's or the county's own branch above it.
    codes = [c for c in lineage(household.place.code) if is_under(c, member.community.code)]
    found = (
        PartyOrganisation.objects.filter(place__code__in=codes, kind__in=[Kind.BRANCH, Kind.GROUP])
        .order_by("-place__depth", "-kind", "pk")  # the nearest: a group before a branch
        .first()
    )
    if found is None:
        if existing is not None:
            existing.delete()
        return None
    membership, _created = Membership.objects.update_or_create(
        member=member, defaults={"organisation": found, "since": timezone.localdate()}
    )
    return membership
