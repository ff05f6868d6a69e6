"""Changing the place tree: every change goes through these functions and leaves an event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.audit.services import record

from .models import CHILD_KINDS, Place, PlaceCodeAlias, PlaceEvent, PlaceKind
from .tree import SEGMENT_RE, child_code, depth_of

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor


class PlaceError(Exception):
    """A refused change to the tree, with a message for the user."""


def check_child_kind(parent: Place | None, kind: str) -> None:
    allowed = CHILD_KINDS[parent.kind if parent else None]
    if parent is not None and parent.kind == PlaceKind.GRID and parent.is_rural:
        allowed = set()
    if kind not in allowed:
        raise PlaceError(
            _("A %(kind)s cannot be placed under %(parent)s.")
            % {
                "kind": PlaceKind(kind).label,
                "parent": PlaceKind(parent.kind).label if parent else _("the top of the tree"),
            }
        )


def code_is_taken(code: str) -> bool:
    """A code is taken while a place has it, and for ever once it was printed and moved on."""
    return (
        Place.objects.filter(code=code).exists()
        or PlaceCodeAlias.objects.filter(code=code).exists()
    )


def is_rural_child(parent: Place | None, kind: str) -> bool:
    if kind == PlaceKind.DISTRICT:
        return True
    return bool(parent and parent.is_rural)


def create_place(
    *,
    parent: Place | None,
    kind: str,
    segment: str,
    name: str,
    actor: Actor | None = None,
    **extra: Any,
) -> Place:
    segment = segment.strip().upper()
    if not SEGMENT_RE.match(segment):
        raise PlaceError(_("A code segment holds only capital letters and digits."))
    check_child_kind(parent, kind)
    code = child_code(parent.code, segment) if parent else segment
    with transaction.atomic():
        if code_is_taken(code):
            raise PlaceError(_("The code %(code)s is already in use.") % {"code": code})
        place = Place.objects.create(
            parent=parent,
            kind=kind,
            name=name.strip(),
            code=code,
            depth=depth_of(code),
            is_rural=is_rural_child(parent, kind),
            **extra,
        )
        PlaceEvent.objects.create(
            place=place, action=PlaceEvent.Action.CREATED, after={"code": code}, actor=actor
        )
    return place


def rename_place(place: Place, name: str, *, actor: Actor | None = None, reason: str = "") -> Place:
    name = name.strip()
    if not name:
        raise PlaceError(_("A place needs a name."))
    if name == place.name:
        return place
    with transaction.atomic():
        before = place.name
        Place.objects.filter(pk=place.pk).update(name=name)
        place.name = name
        PlaceEvent.objects.create(
            place=place,
            action=PlaceEvent.Action.RENAMED,
            before={"name": before},
            after={"name": name},
            reason=reason,
            actor=actor,
        )
        record("place.renamed", actor=actor, obj=place, detail={"from": before, "to": name})
    return place


def move_place(
    place: Place, new_parent: Place, *, actor: Actor | None = None, reason: str = ""
) -> Place:
    """Move a place (and its subtree) under another parent. Its old codes stay resolvable."""
    if new_parent.code == place.code or new_parent.code.startswith(place.code + "."):
        raise PlaceError(_("A place cannot be moved under itself."))
    if new_parent.is_retired:
        raise PlaceError(_("A place cannot be moved under a retired place."))
    check_child_kind(new_parent, place.kind)
    old_code = place.code
    new_code = child_code(new_parent.code, old_code.rsplit(".", 1)[-1])
    with transaction.atomic():
        if code_is_taken(new_code):
            raise PlaceError(_("The code %(code)s is already in use.") % {"code": new_code})
        subtree = Place.objects.under(old_code)
        PlaceCodeAlias.objects.bulk_create(
            PlaceCodeAlias(code=code, place_id=pk) for pk, code in subtree.values_list("pk", "code")
        )
        shift = depth_of(new_code) - depth_of(old_code)
        subtree.update(
            code=Concat(Value(new_code), Substr("code", len(old_code) + 1)),
            depth=F("depth") + shift,
        )
        Place.objects.filter(pk=place.pk).update(parent=new_parent)
        place.refresh_from_db()
        PlaceEvent.objects.create(
            place=place,
            action=PlaceEvent.Action.MOVED,
            before={"code": old_code},
            after={"code": new_code},
            reason=reason,
            actor=actor,
        )
        record("place.moved", actor=actor, obj=place, detail={"from": old_code, "to": new_code})
    return place


def retire_place(place: Place, *, actor: Actor | None = None, reason: str = "") -> Place:
    """Retire a place: it stays in the tree's history but takes no new work or people."""
    if place.is_retired:
        return place
    if place.children.filter(retired_at__isnull=True).exists():
        raise PlaceError(_("Retire or move the places under it first."))
    if place.households.exists():
        raise PlaceError(_("Move its households first."))
    with transaction.atomic():
        place.retired_at = timezone.now()
        Place.objects.filter(pk=place.pk).update(retired_at=place.retired_at)
        from sanzhang.posts.models import Tenure

        # Holders of a retired place's posts stand down with it.
        Tenure.objects.current().filter(post__place=place).update(
            ended_on=timezone.localdate(), end_reason=_("place retired")
        )
        PlaceEvent.objects.create(
            place=place, action=PlaceEvent.Action.RETIRED, reason=reason, actor=actor
        )
        record("place.retired", actor=actor, obj=place, detail={"reason": reason})
    return place


def resolve_code(code: str) -> Place | None:
    """The place a code names today, following old codes of places that moved."""
    place = Place.objects.filter(code=code).first()
    if place is not None:
        return place
    alias = PlaceCodeAlias.objects.select_related("place").filter(code=code).first()
    return alias.place if alias else None
