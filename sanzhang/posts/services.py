"""Appointing and standing down post holders; the history of a post is its tenures."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.audit.services import record
from sanzhang.core.crypto import keyed_hash
from sanzhang.people.models import Person
from sanzhang.places.models import Place

from . import holding
from .duties import default_duties
from .models import PLACE_KINDS_FOR_POST, Post, Tenure

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor


class PostError(Exception):
    """A refused change to posts, with a message for the user."""


def find_person(name: str, phone: str) -> Person | None:
    """The person with this phone number (found by its keyed hash), None if nobody has it;
    refused when the number belongs to someone of another name."""
    person = Person.objects.filter(phone_hash=keyed_hash(phone)).first()
    if person is not None and person.name != name.strip():
        raise PostError(_("That phone number belongs to someone with another name."))
    return person


def find_or_record_person(name: str, phone: str) -> Person:
    """The person with this phone number (found by its keyed hash), or a new record."""
    return find_person(name, phone) or Person.objects.create(name=name.strip(), phone=phone)


def open_post(place: Place, kind: str, *, seat: int = 1) -> Post:
    """The post of this kind at this place, created with its default duty list if new."""
    if place.kind not in PLACE_KINDS_FOR_POST[kind]:
        raise PostError(_("This post does not belong at a place of this kind."))
    if place.is_retired:
        raise PostError(_("A retired place takes no new posts."))
    post, _created = Post.objects.get_or_create(
        place=place, kind=kind, seat=seat, defaults={"duties": default_duties(kind)}
    )
    return post


def appoint(
    post: Post,
    person: Person,
    *,
    role: str = Tenure.Role.HOLDER,
    start: datetime.date | None = None,
    actor: Actor | None = None,
    overridden: list[str] | None = None,
) -> Tenure:
    """Give the post to a person; whoever held it in that role stands down (轮岗). The audit
    row counts the concerns the staff appointed despite (`overridden`, see posts.fitness)."""
    start = start or timezone.localdate()
    with transaction.atomic():
        current = Tenure.objects.current().filter(post=post, role=role).first()
        if current is not None:
            if current.person_id == person.pk:
                return current
            end_tenure(current, end=start, reason=_("rotated"), actor=actor)
        try:
            with transaction.atomic():
                tenure = Tenure.objects.create(
                    post=post, person=person, role=role, started_on=start
                )
        except IntegrityError as exc:
            # Someone else appointed to this post at the same moment.
            raise PostError(_("The post was changed meanwhile; please reload.")) from exc
        detail: dict[str, object] = {"role": role}
        if overridden:
            detail["despite_concerns"] = len(overridden)
        record("post.appointed", actor=actor, obj=tenure, detail=detail)
    return tenure


def end_tenure(
    tenure: Tenure,
    *,
    end: datetime.date | None = None,
    reason: str = "",
    actor: Actor | None = None,
) -> Tenure:
    _end(tenure, end=end or timezone.localdate(), reason=reason, actor=actor)
    return tenure


def _end(tenure: Tenure, *, end: datetime.date, reason: str, actor: Actor | None) -> bool:
    """End the tenure if it is still current (one conditional UPDATE): True if this call did."""
    if end < tenure.started_on:
        raise PostError(_("A tenure cannot end before it started."))
    updated = Tenure.objects.filter(pk=tenure.pk, ended_on__isnull=True).update(
        ended_on=end, end_reason=reason
    )
    if updated:
        holding.changed()
        tenure.ended_on, tenure.end_reason = end, reason
        record("post.stood_down", actor=actor, obj=tenure, detail={"reason": reason})
    return bool(updated)


def current_reserve(post: Post) -> Tenure | None:
    return Tenure.objects.current().filter(post=post, role=Tenure.Role.RESERVE).first()


def stand_down(
    tenure: Tenure,
    *,
    reason: str,
    actor: Actor | None = None,
    end: datetime.date | None = None,
    reserve_takes_over: bool = False,
    overridden: list[str] | None = None,
) -> Tenure | None:
    """End `tenure`; when a holder stands down and `reserve_takes_over`, the post's reserve
    holder becomes its holder from the same day (双三长: the reserve is there to follow). Returns
    the new holder's tenure, None when nobody took over. Ended twice, nothing happens twice.
    `overridden`: the concerns about the reserve as holder the staff were shown (posts.fitness)."""
    end = end or timezone.localdate()
    with transaction.atomic():
        ended = _end(tenure, end=end, reason=reason, actor=actor)
        if not (ended and reserve_takes_over and tenure.role == Tenure.Role.HOLDER):
            return None
        reserve = current_reserve(tenure.post)
        if reserve is None or not _end(
            reserve, end=end, reason=_("took over as holder"), actor=actor
        ):
            return None
        return appoint(tenure.post, reserve.person, start=end, actor=actor, overridden=overridden)
