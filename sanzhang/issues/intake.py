"""Taking in a report (事件上报) from any channel, exactly once per idempotency key."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import acts_in
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.core.next_id import next_id
from sanzhang.core.photos import prepare as prepare_photos
from sanzhang.core.prepared_insert import PreparedInsert
from sanzhang.people.models import Household, Person
from sanzhang.places.models import Place

from . import report_notices, rulebook
from .deadlines import due_at
from .models import Category, Channel, Issue, IssueEvent, State
from .photos import attach as attach_photos
from .routing import route
from .suggest import suggest_category

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

MAX_TEXT = 2000
LEADER_CHANNELS = {Channel.DOOR_KNOCKING, Channel.PATROL, Channel.NEIGHBOUR, Channel.PHONE}


@dataclass(frozen=True)
class Intake:
    issue: Issue
    created: bool
    # A new issue's first event and photos, as written: its answer needs no second read.
    event: IssueEvent | None = None
    photos: Sequence[Any] = ()


def _digest(fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _fingerprint(upload: UploadedFile) -> str:
    """The photo's bytes, hashed: a retry with other photos is a different report."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _check_place(actor: Actor, place: Place) -> None:
    if place.is_retired:
        raise Invalid(_("That place is retired; please choose where it is now."))
    if can(actor, Can.ACT_AS_RESIDENT):
        return  # a resident may report a problem anywhere in the county
    if not acts_in(actor, place.code):
        raise NotAllowed(_("That place is outside your area."))


def _is_volunteer(actor: Actor) -> bool:
    from sanzhang.volunteers.services import volunteer_of

    return volunteer_of(actor) is not None


def submit(
    actor: Actor,
    *,
    place: Place,
    text: str,
    channel: str = Channel.ONLINE,
    category: Category | None = None,
    household: Household | None = None,
    reporter_person: Person | None = None,
    public_consent: bool = False,
    latitude: float | None = None,
    longitude: float | None = None,
    intake_key: str = "",
    photos: Sequence[UploadedFile] = (),
) -> Intake:
    """Record a report, routed to its suggested owner, awaiting triage. The worker reads it
    in full a moment after it commits, routes it again if that reading differs (`settling`),
    then writes its notices (`report_notices`).

    A retry with the same `intake_key` from the same account returns the first issue; the
    same key with a different report is refused rather than silently ignored.
    """
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Describe the problem."))
    if len(text) > MAX_TEXT:
        raise Invalid(_("Please keep the description under %(n)d characters.") % {"n": MAX_TEXT})
    if channel not in Channel.values:
        raise Invalid(_("Unknown channel."))
    if channel in LEADER_CHANNELS and can(actor, Can.ACT_AS_RESIDENT):
        raise NotAllowed(_("Residents report online; this channel is for leaders."))
    if channel == Channel.VOLUNTEER and not _is_volunteer(actor):
        raise NotAllowed(_("This channel is for registered volunteer riders."))
    intake_key = (intake_key or "").strip()
    if len(intake_key) > 64:
        raise Invalid(_("The idempotency key is longer than 64 characters."))
    _check_place(actor, place)
    if household is not None and not (
        household.place_id == place.pk
        or household.place.code.startswith(place.code + ".")
        or place.code.startswith(household.place.code + ".")
    ):
        raise Invalid(_("That household is not at this place."))
    resident = can(actor, Can.ACT_AS_RESIDENT)
    if resident and household is not None:
        own = actor.person.household_id if actor.person is not None else None
        if household.pk != own:
            raise NotAllowed(_("Residents report for their own household only."))
    digest = _digest(
        {
            "place": place.pk,
            "text": text,
            "channel": channel,
            "category": category.pk if category else None,
            "household": household.pk if household else None,
            "photos": [_fingerprint(upload) for upload in photos],
        }
    )
    if intake_key and photos:
        # A retry's photos were stored with the first submission: not prepared again. (Without
        # photos the unique key settles a retry at the insert, a query less per report.)
        found = _replay(actor, intake_key, digest)
        if found is not None:
            return found
    try:
        return _record(
            actor, place=place, text=text, channel=channel, category=category,
            household=household, reporter_person=reporter_person, resident=resident,
            public_consent=public_consent, latitude=latitude, longitude=longitude,
            intake_key=intake_key, digest=digest, photos=photos,
        )  # fmt: skip
    except Invalid:
        # A retry of a report stored before a category was retired or a post fell vacant is
        # still the first report, not a refusal.
        found = _replay(actor, intake_key, digest) if intake_key else None
        if found is None:
            raise
        return found


def _record(
    actor: Actor,
    *,
    place: Place,
    text: str,
    channel: str,
    category: Category | None,
    household: Household | None,
    reporter_person: Person | None,
    resident: bool,
    public_consent: bool,
    latitude: float | None,
    longitude: float | None,
    intake_key: str,
    digest: str,
    photos: Sequence[UploadedFile],
) -> Intake:
    prepared = prepare_photos(photos)  # refused before anything is written
    in_force = rulebook.categories(place.code)
    if category is not None:
        # The one in force at the place (a default category becomes the county's copy).
        category = next((c for c in in_force if c.code == category.code), None)
        if category is None:
            raise Invalid(_("That category is not used at this place."))
    chosen = category is not None
    # The keywords' category and the category's tier: the worker reads the report in full
    # (the county's model, the grid's history) a moment later and routes it again if need be
    # (`settling`), before anyone is told.
    category = category or suggest_category(text, in_force, code=place.code, model=False)
    if category is None:
        raise Invalid(_("No categories are set up yet."))
    tier = category.default_tier
    now = timezone.now()
    for recent in (True, False):  # who held the posts seconds ago; settled by the worker
        owner = route(place, tier, category, recent=recent)
        # Built afresh each pass: a save rolled back leaves its id on the instance.
        issue = Issue(
            number=uuid.uuid4().hex[:20],
            place=place,
            category=category,
            tier=tier,
            state=State.REPORTED,
            channel=channel,
            text=text,
            public_consent=public_consent,
            latitude=latitude,
            longitude=longitude,
            reporter=actor if resident else None,
            reporter_person_id=actor.person_id
            if resident
            else getattr(reporter_person, "pk", None),
            household=household,
            recorded_by=actor,
            intake_key=intake_key,
            intake_digest=digest,
            owner_place=owner.place,
            owner_post=owner.post,
            owner_organisation=owner.organisation,
            due_at=due_at(tier, State.REPORTED, now, code=place.code),
            notices_pending=True,
            created_at=now,
            updated_at=now,
        )
        try:
            return _write(issue, actor, chosen=chosen, photos=prepared)
        except IntegrityError:
            # Two submissions with one key raced; the other one won and is the answer.
            found = _replay(actor, intake_key, digest) if intake_key else None
            if found is not None:
                return found
            if not recent:
                raise
            # Else a kept post or place was removed by another process meanwhile: once more,
            # with the holders read now.
    raise AssertionError("unreachable: the second pass returns or raises")


def _write(issue: Issue, actor: Actor, *, chosen: bool, photos: Sequence[ContentFile]) -> Intake:
    """The report, its number, its event and its photos in one transaction, its telling
    queued for when it commits."""
    now = issue.created_at
    event = IssueEvent(
        issue=issue,
        kind=IssueEvent.Kind.REPORTED,
        actor=actor,
        to_state=State.REPORTED,
        note=issue.text,
        data={
            "channel": issue.channel,
            "tier": issue.tier,
            "category": issue.category.code,
            "category_chosen": chosen,
        },
        due_at=issue.due_at,
        at=now,
    )
    # Built before the transaction: on SQLite every other writer waits while it runs.
    issue_insert = PreparedInsert(issue, late=("id", "number"))
    event_insert = PreparedInsert(event, late=("issue",))
    tell_later = report_notices.prepare_telling()
    with transaction.atomic():
        # The number goes in with the insert: no UPDATE after it.
        pk = next_id(Issue)
        issue_insert.run(id=pk, number=f"{timezone.localtime(now):%Y%m%d}-{pk:06d}")  # local day
        event_insert.run(issue=issue)
        stored = attach_photos(issue, photos, actor)
        tell_later(issue)
    return Intake(issue=issue, created=True, event=event, photos=stored)


def _replay(actor: Actor, intake_key: str, digest: str) -> Intake | None:
    existing = Issue.objects.filter(recorded_by=actor, intake_key=intake_key).first()
    if existing is None:
        return None
    if existing.intake_digest != digest:
        raise Invalid(_("This idempotency key was already used for a different report."))
    return Intake(issue=existing, created=False)
