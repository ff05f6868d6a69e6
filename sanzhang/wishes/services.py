"""The life of a micro-wish: post > review (approve or reject) > claim > fulfil > confirm,
with release (the claimer gives it back) and late flags.

Every move is one conditional UPDATE on (id, version, status) and its row count: of two
party members claiming one wish at the same moment exactly one wins, and the other is told
someone claimed it just now. The move and its timeline entry are one transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can
from sanzhang.audit.services import record
from sanzhang.core import lifecycle
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.core.photos import prepare as prepare_photos
from sanzhang.people.models import Household, Person
from sanzhang.places.tree import is_under

from . import access
from .models import Late, Status, Wish, WishEvent

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

MAX_TEXT = 500
MAX_OPEN_CLAIMS = 5  # a party member fulfils what they took before taking more


MICRO_WISHES = "wish"  # the machine's name: listeners hear its events under it


def claim_days() -> int:
    return int(getattr(settings, "WISH_CLAIM_DAYS", 14))


def fulfil_days() -> int:
    return int(getattr(settings, "WISH_FULFIL_DAYS", 14))


@dataclass(frozen=True)
class Posted:
    wish: Wish
    created: bool


def _text(text: str, message: str, limit: int = MAX_TEXT) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(message)
    if len(text) > limit:
        raise Invalid(_("Please keep it under %(n)d characters.") % {"n": limit})
    return text


def _check_poster(actor: Actor, household: Household, for_person: Person | None) -> None:
    if can(actor, Can.ACT_AS_RESIDENT):
        own = actor.person.household_id if actor.person else None
        if household.pk != own:
            raise NotAllowed(_("Residents post wishes for their own household only."))
    elif not access.may_post_for(actor, household.place.code):
        raise NotAllowed(_("That household is outside your area."))
    if for_person is not None and for_person.household_id != household.pk:
        raise Invalid(_("That person does not live in this household."))


def post_wish(
    actor: Actor,
    *,
    household: Household,
    text: str,
    for_person: Person | None = None,
    post_key: str = "",
) -> Posted:
    """Post a wish for a household, waiting for the community's check. A retry with the same
    `post_key` returns the first wish; the same key with another wish is refused."""
    text = _text(text, _("Write down the wish."))
    post_key = (post_key or "").strip()
    if len(post_key) > 64:
        raise Invalid(_("The idempotency key is longer than 64 characters."))
    _check_poster(actor, household, for_person)
    fields = {"household": household.pk, "text": text, "for": getattr(for_person, "pk", None)}
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()
    if post_key:
        found = _replay(actor, post_key, digest)
        if found is not None:
            return found
    now = timezone.now()
    wish = Wish(
        household=household,
        place=household.place,
        posted_by=actor,
        for_person=for_person,
        text=text,
        post_key=post_key,
        post_digest=digest,
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            wish.save()
            event = _event(wish, actor, WishEvent.Kind.POSTED, "", Status.SUBMITTED, text, now)
            lifecycle.emit(MICRO_WISHES, event)
    except IntegrityError:
        # Two posts with one key raced; the other one won and is the answer.
        found = _replay(actor, post_key, digest) if post_key else None
        if found is None:
            raise
        return found
    return Posted(wish=wish, created=True)


def _replay(actor: Actor, post_key: str, digest: str) -> Posted | None:
    existing = Wish.objects.filter(posted_by=actor, post_key=post_key).first()
    if existing is None:
        return None
    if existing.post_digest != digest:
        raise Invalid(_("This idempotency key was already used for a different wish."))
    return Posted(wish=existing, created=False)


def stale_message() -> str:
    return _("Someone else acted on this wish just now; please look again.")


def no_household_message() -> str:
    return _("Say which household the wish is for.")


def _event(
    wish: Wish, actor: Actor, kind: str, old: str, new: str, note: str, at: datetime.datetime
) -> WishEvent:
    return WishEvent.objects.create(
        wish=wish, kind=kind, actor=actor, from_status=old, to_status=new, note=note, at=at
    )


def _move(
    wish: Wish,
    actor: Actor,
    *,
    kind: str,
    to: str,
    note: str = "",
    changes: dict[str, Any] | None = None,
    conflict: str = "",
) -> WishEvent:
    """Write one move: the conditional UPDATE, the event, the audit row and the listeners (the
    notices), in one transaction. The only writer of status."""
    now = timezone.now()
    with transaction.atomic():
        lifecycle.advance(
            wish,
            to_state=to,
            conflict=conflict or stale_message(),
            updated_at=now,
            **(changes or {}),
        )
        event = _event(wish, actor, kind, wish.status, to, note, now)
        record(f"wish.{kind}", actor=actor, obj=wish, detail={"from": wish.status, "to": to})
        wish.refresh_from_db()
        event.wish = wish
        lifecycle.emit(MICRO_WISHES, event)
    return event


def _require_status(wish: Wish, *allowed: str) -> None:
    if wish.status not in allowed:
        raise Conflict(
            _("This wish is now “%(status)s”; please look at it again.")
            % {"status": Status(wish.status).label}
        )


def approve(wish: Wish, actor: Actor) -> WishEvent:
    """The community checked the wish: it is shown to party members, to be claimed in time."""
    if not access.may_review(actor, wish):
        raise NotAllowed(_("Only the community staff over this place may check wishes."))
    _require_status(wish, Status.SUBMITTED)
    now = timezone.now()
    return _move(
        wish,
        actor,
        kind=WishEvent.Kind.APPROVED,
        to=Status.APPROVED,
        changes={
            "reviewed_by": actor,
            "approved_at": now,
            "claim_by": now + datetime.timedelta(days=claim_days()),
        },
    )


def reject(wish: Wish, actor: Actor, *, reason: str) -> WishEvent:
    """Not accepted (not a small wish, or a matter for the issue loop); the resident sees why."""
    if not access.may_review(actor, wish):
        raise NotAllowed(_("Only the community staff over this place may check wishes."))
    reason = _text(reason, _("Say why the wish is not accepted."))
    _require_status(wish, Status.SUBMITTED)
    return _move(
        wish,
        actor,
        kind=WishEvent.Kind.REJECTED,
        to=Status.REJECTED,
        note=reason,
        changes={"reviewed_by": actor, "reason": reason},
    )


def claim(wish: Wish, actor: Actor) -> WishEvent:
    """Take the wish on (认领). Only one claimer wins: the UPDATE holds only while the wish is
    still open at the version the claimer saw."""
    if not access.may_claim(actor):
        raise NotAllowed(_("Only party members and volunteers may claim wishes."))
    if not any(is_under(wish.place.code, c) for c in access.claim_counties(actor)):
        raise NotAllowed(_("This wish is in another county."))
    own = actor.person.household_id if actor.person else None
    if own is not None and own == wish.household_id:
        raise NotAllowed(_("You cannot claim your own household's wish."))
    taken = _("Someone claimed this wish just now; please choose another one.")
    if wish.status != Status.APPROVED:
        raise Conflict(
            taken if wish.status == Status.CLAIMED else _("This wish is not open for claiming.")
        )
    mine = Wish.objects.filter(claimer_id=actor.person_id, status=Status.CLAIMED).count()
    if mine >= MAX_OPEN_CLAIMS:
        raise Invalid(
            _("Please fulfil the %(n)d wishes you claimed before claiming more.")
            % {"n": MAX_OPEN_CLAIMS}
        )
    now = timezone.now()
    changes = {
        "claimer_id": actor.person_id,
        "claimed_by_user": actor,
        "claimed_at": now,
        "fulfil_by": now + datetime.timedelta(days=fulfil_days()),
        "late": Late.NONE,
    }
    return _move(
        wish, actor, kind=WishEvent.Kind.CLAIMED, to=Status.CLAIMED, conflict=taken, changes=changes
    )


def release(wish: Wish, actor: Actor, *, reason: str = "") -> WishEvent:
    """The claimer gives the wish back before fulfilling it; it is open again with a new
    claiming deadline."""
    if not access.is_claimer(actor, wish):
        raise NotAllowed(_("Only the party member who claimed this wish may give it back."))
    _require_status(wish, Status.CLAIMED)
    now = timezone.now()
    return _move(
        wish,
        actor,
        kind=WishEvent.Kind.RELEASED,
        to=Status.APPROVED,
        note=(reason or "").strip()[:MAX_TEXT],
        changes={
            "claimer": None,
            "claimed_by_user": None,
            "claimed_at": None,
            "fulfil_by": None,
            "late": Late.NONE,
            "claim_by": now + datetime.timedelta(days=claim_days()),
        },
    )


def fulfil(
    wish: Wish, actor: Actor, *, note: str, photo: UploadedFile[Any] | None = None
) -> WishEvent:
    """The claimer fulfilled the wish: a note (required) and a photo (optional, re-encoded
    without metadata by the issue loop's photo checks)."""
    if not access.is_claimer(actor, wish):
        raise NotAllowed(_("Only the party member who claimed this wish may fulfil it."))
    note = _text(note, _("Say how the wish was fulfilled."), 2000)
    _require_status(wish, Status.CLAIMED)
    prepared = prepare_photos([photo])[0] if photo is not None else None
    event = _move(
        wish,
        actor,
        kind=WishEvent.Kind.FULFILLED,
        to=Status.FULFILLED,
        note=note,
        changes={"fulfil_note": note, "fulfilled_at": timezone.now(), "late": Late.NONE},
    )
    if prepared is not None:
        wish.photo.save(prepared.name or "photo.jpg", prepared, save=False)
        Wish.objects.filter(pk=wish.pk).update(photo=wish.photo.name)
    return event


def confirm(wish: Wish, actor: Actor, *, note: str = "") -> WishEvent:
    """The resident (or whoever posted for them) confirms the wish came true."""
    if not access.is_resident_of(actor, wish):
        raise NotAllowed(_("Only the resident who made the wish may confirm it."))
    _require_status(wish, Status.FULFILLED)
    return _move(
        wish,
        actor,
        kind=WishEvent.Kind.CONFIRMED,
        to=Status.CONFIRMED,
        note=(note or "").strip()[:MAX_TEXT],
        changes={"confirmed_at": timezone.now()},
    )


def flag_late(now: datetime.datetime | None = None) -> int:
    """Flag wishes not claimed by their claiming deadline and claimed wishes not fulfilled by
    theirs; each lateness is flagged once, so running twice flags nothing new. Flags do not
    bump the version: a claim racing the flag still wins."""
    now = now or timezone.now()
    flagged = 0
    rules = [
        (
            Late.UNCLAIMED,
            WishEvent.Kind.LATE_CLAIM,
            {"status": Status.APPROVED, "claim_by__lt": now},
        ),
        (
            Late.UNFULFILLED,
            WishEvent.Kind.LATE_FULFIL,
            {"status": Status.CLAIMED, "fulfil_by__lt": now},
        ),
    ]
    with transaction.atomic():
        for late, kind, lookup in rules:
            count = (
                Wish.objects.filter(**lookup).exclude(late=late).update(late=late, flagged_at=now)
            )
            if count:
                ids = Wish.objects.filter(late=late, flagged_at=now).values_list("pk", "status")
                events = WishEvent.objects.bulk_create(
                    WishEvent(wish_id=pk, kind=kind, from_status=status, to_status=status, at=now)
                    for pk, status in ids
                )
                for event in events:
                    lifecycle.emit(MICRO_WISHES, event)
            flagged += count
    return flagged
