"""The party school's verbs: a course and its sessions are created by the staff of the place
that runs them; people sign in to a session by its QR code near its time, or the organiser
marks them by hand; each attendance gives the attendee's points (积分) once.

Once per person is the table's business (a unique constraint on session and person): two
sign-ins at the same moment both try to insert, one wins, the other reads the row it lost to
and answers "already signed in". Points are awarded in the same transaction, and `award` is
idempotent per attendance, so a retry never gives them twice.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import in_scope, scope_filter
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.people.models import PartyMember, Person
from sanzhang.places.models import Place, PlaceKind
from sanzhang.points.models import Cause
from sanzhang.points.services import award
from sanzhang.posts.models import Tenure

from .models import Attendance, Course, Session

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sanzhang.access.actor import Actor

# Sign-in by QR code is open from half an hour before a class until an hour after it ends.
OPENS_BEFORE = datetime.timedelta(minutes=30)
CLOSES_AFTER = datetime.timedelta(minutes=60)
# The places that run courses: county, township (大区), community and village (片区).
COURSE_PLACE_KINDS = (PlaceKind.COUNTY, PlaceKind.DISTRICT, PlaceKind.COMMUNITY, PlaceKind.AREA)
MAX_LENGTH = 2000


@dataclass(frozen=True)
class SignedIn:
    attendance: Attendance
    created: bool


def _organiser_of(actor: Actor, place: Place) -> None:
    if not can(actor, Can.RUN_TRAINING) or not in_scope(actor, place.code):
        raise NotAllowed(_("Only the staff of this place organise its training."))


def sessions_visible_to(user: Actor) -> Any:
    """The sessions of the courses in the user's scope (for organisers)."""
    return Session.objects.filter(scope_filter(user, "course__place__code"))


def create_course(
    actor: Actor,
    *,
    place: Place,
    title: str,
    description: str = "",
    request: HttpRequest | None = None,
) -> Course:
    """A course of the party school at `place`, organised by the actor's organisation."""
    _organiser_of(actor, place)
    if place.kind not in COURSE_PLACE_KINDS:
        raise Invalid(_("Courses are run by a county, township, community or village."))
    title = title.strip()
    if not title:
        raise Invalid(_("Give the course a topic."))
    if len(description) > MAX_LENGTH:
        raise Invalid(_("Please keep it under 2000 characters."))
    course = Course.objects.create(
        place=place,
        title=title[:100],
        description=description.strip(),
        organiser=actor.organisation,
        created_by=actor,
    )
    audit("training.course_created", actor=actor, request=request, obj=course)
    return course


def create_session(
    actor: Actor,
    course: Course,
    *,
    topic: str,
    where: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    trainer: str = "",
    materials: str = "",
    request: HttpRequest | None = None,
) -> Session:
    """A class of `course`, with a fresh secret for its QR code; audited."""
    _organiser_of(actor, course.place)
    topic, where = topic.strip(), where.strip()
    if not topic or not where:
        raise Invalid(_("Give the topic of the class and where it is held."))
    if ends_at <= starts_at:
        raise Invalid(_("The class must end after it starts."))
    if ends_at - starts_at > datetime.timedelta(hours=12):
        raise Invalid(_("A class lasts at most 12 hours."))
    if len(materials) > MAX_LENGTH:
        raise Invalid(_("Please keep it under 2000 characters."))
    existing = Session.objects.filter(course=course, starts_at=starts_at).first()
    if existing is not None:
        return existing  # the same class sent again: it is there already
    try:
        with transaction.atomic():
            session = _new_session(
                actor, course, topic, where, starts_at, ends_at, trainer, materials
            )
    except IntegrityError:  # the same form, a moment earlier in another request
        return Session.objects.get(course=course, starts_at=starts_at)
    audit(
        "training.session_created",
        actor=actor,
        request=request,
        obj=session,
        detail={"course": course.pk, "starts_at": starts_at.isoformat()},
    )
    return session


def _new_session(
    actor: Actor,
    course: Course,
    topic: str,
    where: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    trainer: str,
    materials: str,
) -> Session:
    return Session.objects.create(
        course=course,
        topic=topic[:200],
        where=where[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        trainer=trainer.strip()[:100],
        materials=materials.strip(),
        token=secrets.token_urlsafe(24),
        created_by=actor,
    )


def session_by_token(token: str) -> Session:
    found = Session.objects.select_related("course__place").filter(token=token).first()
    if found is None or not token:
        raise Invalid(_("This sign-in code is unknown or no longer valid. Ask the organiser."))
    return found


def window_of(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    """When the QR code signs people in: from OPENS_BEFORE the start to CLOSES_AFTER the end."""
    return session.starts_at - OPENS_BEFORE, session.ends_at + CLOSES_AFTER


def check_window(session: Session, at: datetime.datetime) -> None:
    opens, closes = window_of(session)
    if at < opens:
        when = date_format(timezone.localtime(opens), "Y-m-d H:i")
        raise Invalid(_("Sign-in for this class opens at %(when)s.") % {"when": when})
    if at > closes:
        raise Invalid(_("Sign-in for this class has closed: the code has expired."))


def sign_in(user: Actor, token: str, *, request: HttpRequest | None = None) -> SignedIn:
    """The person of `user` signs in to the session of `token`, once; near its time only."""
    require(user, Can.ATTEND_TRAINING, _("Post holders and residents sign in to classes."))
    if user.person_id is None:
        raise NotAllowed(_("Your account is not linked to a person yet; ask your community."))
    session = session_by_token(token)
    now = timezone.now()
    check_window(session, now)
    person = Person.objects.get(pk=user.person_id)
    return _attend(session, person, how=Attendance.How.SCANNED, at=now, by=user)


def _attend(
    session: Session, person: Person, *, how: str, at: datetime.datetime, by: Actor
) -> SignedIn:
    found = Attendance.objects.filter(session=session, person=person).first()
    if found is not None:
        return SignedIn(found, created=False)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session, person=person, how=how, at=at, by=by
            )
            if PartyMember.objects.filter(person=person).exists():  # points are party members'
                award(person, Cause.TRAINING_ATTENDED, attendance, at=session.starts_at, actor=by)
    except IntegrityError:
        # The same person signed in at the same moment elsewhere: that row stands.
        found = Attendance.objects.filter(session=session, person=person).first()
        if found is None:
            raise
        return SignedIn(found, created=False)
    return SignedIn(attendance, created=True)


def of_area(actor: Actor, person: Person) -> bool:
    """The person lives, holds a post or is registered as a party member in the actor's area."""
    home = person.household.place.code if person.household_id else None  # type: ignore[union-attr]
    if home is not None and in_scope(actor, home):
        return True
    posts = (
        Tenure.objects.current().filter(person=person).values_list("post__place__code", flat=True)
    )
    if any(in_scope(actor, code) for code in posts):
        return True
    member = PartyMember.objects.filter(person=person).select_related("community").first()
    return member is not None and in_scope(actor, member.community.code)


def mark(
    actor: Actor, session: Session, person: Person, *, request: HttpRequest | None = None
) -> SignedIn:
    """The organiser marks `person` present by hand (they had no phone with them); audited."""
    _organiser_of(actor, session.course.place)
    if not of_area(actor, person):
        raise NotAllowed(_("That person is not of your area."))
    if session.starts_at - OPENS_BEFORE > timezone.now():
        raise Invalid(_("The class has not started yet."))
    done = _attend(session, person, how=Attendance.How.MARKED, at=timezone.now(), by=actor)
    if done.created:
        audit(
            "training.attendance_marked",
            actor=actor,
            request=request,
            obj=done.attendance,
            detail={"session": session.pk, "person": person.pk},
        )
    return done


def candidates(
    actor: Actor, session: Session, *, limit: int | None = None, exclude: Collection[int] = ()
) -> list[Person]:
    """Whom the organiser may mark: the post holders and party members of the course's place
    (the first `limit` by name, chosen by the database: a county course has thousands)."""
    code = session.course.place.code
    holders = Tenure.objects.current().filter(
        Q(post__place__code__under=code) & scope_filter(actor, "post__place__code")
    )
    members = PartyMember.objects.filter(
        Q(community__code__under=code) & scope_filter(actor, "community__code")
    )
    people = (
        Person.objects.filter(
            Q(pk__in=holders.values("person_id")) | Q(pk__in=members.values("person_id"))
        )
        .exclude(pk__in=list(exclude))
        .only("id", "name")
        .order_by("name", "id")
    )
    return list(people[:limit] if limit is not None else people)
