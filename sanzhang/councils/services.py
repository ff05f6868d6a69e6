"""What councils do: seats, topics, meetings, attendance, votes, decisions, minutes and their
publication. Races are settled by the unique constraints (one attendance per seat and meeting,
one vote per seat and topic, one decision per topic) and conditional UPDATEs on the meeting's
state; a retry never makes a second row."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import in_scope, scope_filter
from sanzhang.audit.services import record
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Channel, Issue, State
from sanzhang.people.models import Household, Person
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import is_under
from sanzhang.visits.models import Visit
from sanzhang.wishes.models import Wish

from .models import (
    DEFAULT_START,
    PARTIES_OF,
    Attendance,
    Choice,
    Council,
    Decision,
    Kind,
    Meeting,
    Outcome,
    Seat,
    Source,
    Topic,
    Vote,
)

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor, Visitor

KIND_OF_PLACE = {
    PlaceKind.COMMUNITY: Kind.TOWN,
    PlaceKind.AREA: Kind.VILLAGE,
    PlaceKind.DISTRICT: Kind.TOWNSHIP,
}
NAME_SUFFIX = {
    Kind.TOWN: "莲心议事会",
    Kind.VILLAGE: "莲乡夜话",
    Kind.TOWNSHIP: "议事会",
}
# Councils that refer a topic up (小事不出村, 大事不出镇); the township's council decides.
REFERS_UP = {Kind.TOWN, Kind.VILLAGE}
REFUSED_REFERRAL = gettext_lazy(
    "Only a community council or a village evening talk refers a topic up; decide it here."
)
MAX_TITLE = 200
MAX_TEXT = 2000


# ---- who sees and who runs ----------------------------------------------------------------


def visible_councils(user: Visitor) -> QuerySet[Council]:
    """Councils of the user's area (staff and post holders in scope), and the councils where
    the user's person holds a seat; everyone else sees none."""
    query = Q(pk__in=[])
    if can(user, Can.VIEW_COUNCILS) or can(user, Can.RUN_COUNCILS):
        query |= scope_filter(user, "place__code")
    person_id = getattr(user, "person_id", None)
    if user.is_authenticated and person_id:
        query |= Q(seats__person_id=person_id, seats__is_active=True)
    return Council.objects.filter(query).distinct().select_related("place")


def seat_of(user: Visitor, council: Council) -> Seat | None:
    """The active seat the user's person holds on the council."""
    person_id = getattr(user, "person_id", None)
    if not user.is_authenticated or not person_id:
        return None
    return council.seats.filter(person_id=person_id, is_active=True).first()


def may_run(user: Visitor, council: Council) -> bool:
    return can(user, Can.RUN_COUNCILS) and in_scope(user, council.place.code)


def _require_run(actor: Actor, council: Council) -> None:
    if not may_run(actor, council):
        raise NotAllowed(_("Only community or county staff of this area run the council."))


def _clean(text: str, limit: int, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(missing)
    if len(text) > limit:
        raise Invalid(_("Please keep it under %(n)d characters.") % {"n": limit})
    return text


# ---- councils and seats ---------------------------------------------------------------------


def set_up(actor: Actor, place: Place, *, name: str = "") -> Council:
    """The council of a community, a village (area) or a township (district); once per place."""
    kind = KIND_OF_PLACE.get(PlaceKind(place.kind)) if place.kind in PlaceKind.values else None
    if kind is None:
        raise Invalid(_("Councils sit at a community, a village or a township."))
    if not (can(actor, Can.RUN_COUNCILS) and in_scope(actor, place.code)):
        raise NotAllowed(_("Only community or county staff of this area run the council."))
    existing = Council.objects.filter(place=place).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            council = Council.objects.create(
                place=place,
                kind=kind,
                name=(name or "").strip()[:100] or f"{place.name}{NAME_SUFFIX[kind]}",
                created_at=timezone.now(),
            )
    except IntegrityError:
        return Council.objects.get(place=place)
    record("council.set_up", actor=actor, obj=council)
    return council


def add_seat(
    actor: Actor,
    council: Council,
    *,
    party: str,
    person: Person | None = None,
    organisation_name: str = "",
    representative: str = "",
) -> Seat:
    _require_run(actor, council)
    if party not in PARTIES_OF[council.kind]:
        raise Invalid(_("That party has no seat on this kind of council."))
    organisation_name = (organisation_name or "").strip()[:100]
    representative = (representative or "").strip()[:50]
    if person is None and not organisation_name:
        raise Invalid(_("A seat is a person or an organisation; name one."))
    if person is not None and organisation_name:
        raise Invalid(_("Choose a person or an organisation, not both."))
    same = {"council": council, "party": party, "organisation_name": organisation_name}
    if person is None:  # the organisation's seat once: a form sent twice is the same seat
        existing = Seat.objects.filter(**same, is_active=True).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            seat = Seat.objects.create(**same, person=person, representative=representative)
    except IntegrityError as exc:
        if person is None:
            return Seat.objects.get(**same, is_active=True)
        raise Conflict(_("This person already holds a seat on the council.")) from exc
    record("council.seat_added", actor=actor, obj=seat, detail={"party": party})
    return seat


def remove_seat(actor: Actor, seat: Seat) -> None:
    _require_run(actor, seat.council)
    Seat.objects.filter(pk=seat.pk).update(is_active=False)
    record("council.seat_removed", actor=actor, obj=seat)


# ---- topics ---------------------------------------------------------------------------------


def _check_source_place(council: Council, code: str) -> None:
    if not is_under(code, council.place.code):
        raise Invalid(_("That is outside the council's place."))


def add_topic(
    actor: Actor,
    council: Council,
    *,
    title: str,
    issue: Issue | None = None,
    visit: Visit | None = None,
    wish: Wish | None = None,
    proposal: str = "",
    proposed_by: Seat | None = None,
) -> Topic:
    """Put a matter to the council: from one issue, visit or wish of its place, or a member's
    proposal (free text). The same issue, visit or wish twice is the same topic."""
    _require_run(actor, council)
    title = _clean(title, MAX_TITLE, _("Give the topic a title."))
    sources = [s for s in (issue, visit, wish) if s is not None]
    proposal = (proposal or "").strip()
    if len(sources) > 1 or (sources and proposal):
        raise Invalid(_("A topic has one source."))
    if issue is not None:
        source = Source.ISSUE
        _check_source_place(council, issue.place.code)
    elif visit is not None:
        source = Source.VISIT
        _check_source_place(council, visit.place.code)
    elif wish is not None:
        source = Source.WISH
        _check_source_place(council, wish.place.code)
    else:
        source = Source.PROPOSAL
        proposal = _clean(proposal, MAX_TEXT, _("Write down the member's proposal."))
    if proposed_by is not None and proposed_by.council_id != council.pk:
        raise Invalid(_("That seat is not on this council."))
    lookup = {"issue": issue} if issue else {"visit": visit} if visit else {"wish": wish}
    if sources:
        found = Topic.objects.filter(council=council, **lookup).first()
        if found is not None:
            return found
    try:
        with transaction.atomic():
            if not sources:  # a proposal sent twice is the one topic while undecided
                found = _same_proposal(council, title, proposal)
                if found is not None:
                    return found
            topic = Topic.objects.create(
                council=council,
                title=title,
                source=source,
                issue=issue,
                visit=visit,
                wish=wish,
                proposal=proposal,
                proposed_by=proposed_by,
                created_by=actor,
                created_at=timezone.now(),
            )
    except IntegrityError:
        return Topic.objects.get(council=council, **lookup)
    record("council.topic_added", actor=actor, obj=topic, detail={"source": source})
    return topic


def _same_proposal(council: Council, title: str, proposal: str) -> Topic | None:
    """The same proposal waiting already (read in the insert's transaction: IMMEDIATE on
    SQLite; on PostgreSQL the council's row is locked first, so two at once wait in turn)."""
    if connection.vendor == "postgresql":
        Council.objects.select_for_update().filter(pk=council.pk).first()
    return Topic.objects.filter(
        council=council,
        source=Source.PROPOSAL,
        title=title,
        proposal=proposal,
        decision__isnull=True,
    ).first()


# ---- meetings -------------------------------------------------------------------------------


def schedule(
    actor: Actor,
    council: Council,
    *,
    held_on: datetime.date,
    starts_at: datetime.time | None = None,
    venue: str = "",
    topics: Iterable[Topic] = (),
) -> Meeting:
    """A meeting with an agenda of the council's undecided topics. One per council, day and
    start: scheduling it again (a form sent twice) is the same meeting, its agenda joined."""
    _require_run(actor, council)
    topics = list(topics)
    slot = {"council": council, "held_on": held_on, "starts_at": starts_at or DEFAULT_START}
    existing = Meeting.objects.filter(**slot).first()
    if existing is None:
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    **slot, venue=(venue or "").strip()[:100], created_by=actor
                )
                put_on_agenda(actor, meeting, topics)
        except IntegrityError:
            existing = Meeting.objects.get(**slot)
        else:
            record("council.meeting_scheduled", actor=actor, obj=meeting)
            return meeting
    if topics:
        put_on_agenda(actor, existing, topics)
    return existing


def put_on_agenda(actor: Actor, meeting: Meeting, topics: Iterable[Topic]) -> int:
    _require_run(actor, meeting.council)
    if meeting.state == Meeting.State.PUBLISHED:
        raise Conflict(_("The meeting's record is published; its agenda is closed."))
    ids = [t.pk for t in topics]
    if any(t.council_id != meeting.council_id for t in topics):
        raise Invalid(_("That topic is not the council's."))
    return Topic.objects.filter(pk__in=ids, council=meeting.council, decision__isnull=True).update(
        meeting=meeting
    )


def sign_in(user: Actor, meeting: Meeting) -> Attendance:
    """A member signs in to the meeting on their phone: once; signing in again is a no-op."""
    seat = seat_of(user, meeting.council)
    if seat is None:
        raise NotAllowed(_("Only the council's members sign in to its meetings."))
    if meeting.state == Meeting.State.PUBLISHED:
        raise Conflict(_("The meeting is over; its record is published."))
    return _attend(meeting, seat, Attendance.How.PHONE, user)


def mark_present(actor: Actor, meeting: Meeting, seat: Seat) -> Attendance:
    """Staff mark a seat present (an organisation's representative, a member without a phone)."""
    _require_run(actor, meeting.council)
    if meeting.state == Meeting.State.PUBLISHED:
        raise Conflict(_("The meeting is over; its record is published."))
    if seat.council_id != meeting.council_id or not seat.is_active:
        raise Invalid(_("That seat is not on this council."))
    return _attend(meeting, seat, Attendance.How.STAFF, actor)


def _attend(meeting: Meeting, seat: Seat, how: str, by: Actor) -> Attendance:
    found = Attendance.objects.filter(meeting=meeting, seat=seat).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                meeting=meeting, seat=seat, how=how, by=by, at=timezone.now()
            )
    except IntegrityError:
        return Attendance.objects.get(meeting=meeting, seat=seat)
    record("council.signed_in", actor=by, obj=meeting, detail={"seat": seat.pk, "how": how})
    return attendance


def cast_vote(user: Actor, topic: Topic, choice: str) -> Vote:
    """A member votes on a topic on the agenda, once: a second vote is refused, not counted."""
    if choice not in Choice.values:
        raise Invalid(_("Vote for, against or abstain."))
    topic = Topic.objects.select_related("council", "meeting").get(pk=topic.pk)
    seat = seat_of(user, topic.council)
    if seat is None:
        raise NotAllowed(_("Only the council's members vote."))
    meeting = topic.meeting
    if (
        meeting is None
        or meeting.state == Meeting.State.PUBLISHED
        or Decision.objects.filter(topic=topic).exists()
    ):
        raise Conflict(_("This topic is not open for votes."))
    if not Attendance.objects.filter(meeting=meeting, seat=seat).exists():
        raise NotAllowed(_("Sign in to the meeting first."))
    try:
        with transaction.atomic():
            _lock_open(meeting)
            if Decision.objects.filter(topic=topic).exists():
                raise Conflict(_("This topic is not open for votes."))
            vote = Vote.objects.create(
                topic=topic, seat=seat, choice=choice, by=user, at=timezone.now()
            )
    except IntegrityError as exc:
        raise Conflict(_("You have already voted on this topic.")) from exc
    record("council.voted", actor=user, obj=topic)
    return vote


@dataclass(frozen=True)
class Tally:
    votes_for: int
    votes_against: int
    votes_abstain: int

    @property
    def total(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstain


def count_votes(votes: Iterable[Vote]) -> Tally:
    """Votes already fetched (a page's prefetched `topic.votes.all()`), counted."""
    choices = [vote.choice for vote in votes]
    return Tally(choices.count("for"), choices.count("against"), choices.count("abstain"))


def tally(topic: Topic) -> Tally:
    """The members' own votes on the topic, counted."""
    counts = dict(
        Vote.objects.filter(topic=topic)
        .values_list("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    return Tally(counts.get("for", 0), counts.get("against", 0), counts.get("abstain", 0))


def decide(
    actor: Actor,
    topic: Topic,
    *,
    outcome: str,
    text: str,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    owner: str = "",
    due_on: datetime.date | None = None,
) -> Decision:
    """Record what the meeting decided on a topic of its agenda, once. Agreed: the work is
    followed as an issue of the loop at the council's place. Referred: the topic goes to the
    council of the place above (the township), set up if it has none."""
    topic = Topic.objects.select_related("council__place", "meeting", "issue").get(pk=topic.pk)
    council = topic.council
    _require_run(actor, council)
    if outcome not in Outcome.values:
        raise Invalid(_("Choose what was decided."))
    if outcome == Outcome.REFERRED and council.kind not in REFERS_UP:
        raise Invalid(str(REFUSED_REFERRAL))
    if topic.meeting_id is None:
        raise Invalid(_("Put the topic on a meeting's agenda first."))
    text = _clean(text, MAX_TEXT, _("Write down what was decided."))
    counts = [votes_for, votes_against, votes_abstain]
    if any(n is not None and n < 0 for n in counts):
        raise Invalid(_("Vote counts cannot be negative."))
    if all(n is None for n in counts):
        cast = tally(topic)
        if cast.total:  # the members voted on their phones: their votes are the count
            votes_for, votes_against, votes_abstain = (
                cast.votes_for,
                cast.votes_against,
                cast.votes_abstain,
            )
    seats = council.seats.filter(is_active=True).count()
    if sum(n or 0 for n in (votes_for, votes_against, votes_abstain)) > seats:
        raise Invalid(_("More votes than the council has seats."))
    owner = (owner or "").strip()[:100]
    if outcome == Outcome.AGREED and not owner:
        raise Invalid(_("Say who carries out what was agreed."))
    meeting = topic.meeting
    assert meeting is not None  # nosec B101 # checked above
    if meeting.state == Meeting.State.PUBLISHED:
        raise Conflict(_("The meeting is over; its record is published."))
    now = timezone.now()
    try:
        with transaction.atomic():
            _lock_open(meeting)
            if not Topic.objects.filter(pk=topic.pk, meeting=meeting).exists():
                raise Invalid(_("Put the topic on a meeting's agenda first."))
            decision = Decision.objects.create(
                topic=topic,
                meeting=meeting,
                outcome=outcome,
                text=text,
                votes_for=votes_for,
                votes_against=votes_against,
                votes_abstain=votes_abstain,
                owner=owner,
                due_on=due_on,
                recorded_by=actor,
                decided_at=now,
            )
            if outcome == Outcome.AGREED:
                decision.issue = _track(actor, decision)
                decision.save(update_fields=["issue"])
            elif outcome == Outcome.REFERRED:
                _refer_up(actor, topic, decision)
    except IntegrityError as exc:
        raise Conflict(_("This topic was already decided.")) from exc
    record("council.decided", actor=actor, obj=topic, detail={"outcome": outcome})
    return decision


def _lock_open(meeting: Meeting) -> None:
    """Inside the caller's transaction: lock the meeting's row (PostgreSQL; SQLite's IMMEDIATE
    transactions already serialise writers) and refuse when its record is published, so no
    vote or decision joins a record after it was checked and published."""
    state = Meeting.objects.select_for_update().values_list("state", flat=True).get(pk=meeting.pk)
    if state == Meeting.State.PUBLISHED:
        raise Conflict(_("The meeting is over; its record is published."))


def _track(actor: Actor, decision: Decision) -> Issue:
    """The agreed work as an issue of the loop, at the council's place, with what was decided,
    who carries it out and by when in its words."""
    topic = decision.topic
    council = topic.council
    words = _("%(council)s agreed: %(text)s") % {"council": council.name, "text": decision.text}
    words += "\n" + _("Carried out by: %(owner)s") % {"owner": decision.owner}
    if decision.due_on:
        words += "\n" + _("To be done by: %(date)s") % {"date": decision.due_on.isoformat()}
    category = topic.issue.category if topic.issue is not None else None
    intake = submit(
        actor,
        place=council.place,
        text=words,
        # The decision comes from outside the loop, as another system's report would.
        channel=Channel.API,
        category=category,
        intake_key=f"council-decision-{decision.pk}",
    )
    return intake.issue


def _refer_up(actor: Actor, topic: Topic, decision: Decision) -> Topic:
    council = topic.council
    if council.kind not in REFERS_UP:
        raise Invalid(str(REFUSED_REFERRAL))
    above = council.place.parent
    if above is None:
        raise Invalid(_("There is no level above this council to refer the topic to."))
    upper = Council.objects.filter(place=above).first()
    if upper is None:
        kind = KIND_OF_PLACE.get(PlaceKind(above.kind), Kind.TOWNSHIP)
        try:
            with transaction.atomic():  # a savepoint: another referral may set it up first
                upper = Council.objects.create(
                    place=above,
                    kind=kind,
                    name=f"{above.name}{NAME_SUFFIX[kind]}",
                    created_at=timezone.now(),
                )
        except IntegrityError:
            upper = Council.objects.get(place=above)
    return Topic.objects.create(
        council=upper,
        title=topic.title,
        source=Source.REFERRAL,
        proposal=decision.text,
        referred_from=topic,
        created_by=actor,
        created_at=timezone.now(),
    )


def record_minutes(actor: Actor, meeting: Meeting, *, minutes: str, public_minutes: str) -> None:
    """The minutes, and the version for the noticeboard; the meeting counts as held."""
    _require_run(actor, meeting.council)
    minutes = (minutes or "").strip()
    public_minutes = (public_minutes or "").strip()
    if len(minutes) > 20000 or len(public_minutes) > 20000:
        raise Invalid(_("Please keep the minutes under %(n)d characters.") % {"n": 20000})
    done = Meeting.objects.filter(pk=meeting.pk).exclude(state=Meeting.State.PUBLISHED)
    if not done.update(minutes=minutes, public_minutes=public_minutes, state=Meeting.State.HELD):
        raise Conflict(_("The meeting's record is published; it is no longer edited."))
    meeting.refresh_from_db()
    record("council.minutes", actor=actor, obj=meeting)


# ---- publication ----------------------------------------------------------------------------

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9])\d{17}[\dXx](?![0-9])")
# A household's door: its room (501室), a building or unit with the door after it (3栋501,
# 3号楼2单元, 2单元501), or a rural door number (上屋组12号). A building alone ("为3栋加装电梯")
# is many households and what the noticeboard rightly names.
DOOR = re.compile(
    r"\d+\s*室"
    r"|\d+\s*(?:栋|幢|号楼)\s*\d+"
    r"|\d+\s*单元\s*\d+"
    r"|(?:组|村|巷|路|街|弄)\s*\d+\s*号(?!楼)"
)


@dataclass(frozen=True)
class InPlay:
    """What the meeting's record might reveal of people: their names and their doors."""

    names: set[str]
    doors: set[str]


def _in_play(meeting: Meeting) -> InPlay:
    """The names of the members who are persons and of everyone of the households the
    meeting's topics came from, and those households' door numbers."""
    names = set(
        Person.objects.filter(council_seats__council=meeting.council).values_list("name", flat=True)
    )
    topics = list(meeting.topics.select_related("issue", "wish", "visit"))
    households = set()
    persons = set()
    for topic in topics:
        if topic.issue is not None:
            households.add(topic.issue.household_id)
            persons.add(topic.issue.reporter_person_id)
        if topic.wish is not None:
            households.add(topic.wish.household_id)
            persons.add(topic.wish.for_person_id)
        if topic.visit is not None:
            households.add(topic.visit.household_id)
    people = Person.objects.filter(
        Q(household_id__in=households - {None}) | Q(pk__in=persons - {None})
    )
    names |= set(people.values_list("name", flat=True))
    doors = set(
        Household.objects.filter(Q(pk__in=households - {None}) | Q(members__in=people)).values_list(
            "door", flat=True
        )
    )
    return InPlay(
        names={name for name in names if len(name) >= 2},
        doors={door.strip() for door in doors if door and door.strip()},
    )


def _door_in(door: str, text: str) -> bool:
    """A known door number in the text: a long one standing on its own (not inside a longer
    number), a short one only as a door (12号, 12室, 12户)."""
    pattern = rf"(?<!\d){re.escape(door)}" + (r"(?!\d)" if len(door) >= 3 else r"\s*[号室户]")
    return re.search(pattern, text) is not None


def personal_data_in(meeting: Meeting) -> list[str]:
    """What the public record would reveal (an empty list when it may be published): in the
    public minutes, the venue, and each decision's words, topic and who carries it out."""
    texts = [meeting.public_minutes, meeting.venue]
    for decision in meeting.decisions.select_related("topic"):
        texts += [decision.text, decision.topic.title, decision.owner]
    play = _in_play(meeting)
    found: list[str] = []
    for text in texts:
        if PHONE.search(text) or ID_NUMBER.search(text):
            found.append(_("a phone or ID number"))
        if DOOR.search(text) or any(_door_in(door, text) for door in play.doors):
            found.append(_("a door number"))
        found += [name for name in play.names if name in text]
    return sorted(set(found))


def publish(actor: Actor, meeting: Meeting) -> None:
    """Put the meeting's decisions and public minutes on the place's noticeboard, once no
    personal data is found in them. The check and the publication are one transaction on the
    meeting's row as it is now: minutes saved meanwhile are never published unchecked."""
    _require_run(actor, meeting.council)
    with transaction.atomic():
        current = Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
        if current.state == Meeting.State.PUBLISHED:
            raise Conflict(_("The meeting's record is already published."))
        if current.state == Meeting.State.PLANNED:
            raise Invalid(_("Record the minutes before publishing."))
        if not current.decisions.exists():
            raise Invalid(_("No decision has been recorded yet."))
        found = personal_data_in(current)
        if found:
            raise Invalid(
                _("Remove personal data before publishing: %(found)s") % {"found": "、".join(found)}
            )
        changed = Meeting.objects.filter(
            pk=meeting.pk,
            state=Meeting.State.HELD,
            public_minutes=current.public_minutes,
            venue=current.venue,
        ).update(state=Meeting.State.PUBLISHED, published_at=timezone.now())
        if not changed:
            raise Conflict(_("The minutes changed while publishing; check them and publish again."))
        # Topics the meeting did not decide wait for the next one.
        Topic.objects.filter(meeting=meeting, decision__isnull=True).update(meeting=None)
    meeting.refresh_from_db()
    record("council.published", actor=actor, obj=meeting)


def published(place: Place) -> QuerySet[Meeting]:
    """The published meetings of the place's council, newest first."""
    return Meeting.objects.filter(
        council__place=place, state=Meeting.State.PUBLISHED
    ).prefetch_related("decisions__topic", "decisions__issue")


# ---- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    topics: int
    settled: int  # agreed or not agreed at this council
    referred: int  # sent up to the township
    agreed: int
    followed_through: int  # agreed, and the issue that tracks it is closed
    from_below: int  # referred to this council by the councils under it


def figures(councils: QuerySet[Council]) -> dict[int, Figures]:
    """Per council: its topics settled at its level, referred up, and followed through."""
    rows = councils.annotate(
        n_topics=Count("topics", distinct=True),
        n_settled=Count(
            "topics",
            filter=Q(topics__decision__outcome__in=[Outcome.AGREED, Outcome.NOT_AGREED]),
            distinct=True,
        ),
        n_referred=Count(
            "topics", filter=Q(topics__decision__outcome=Outcome.REFERRED), distinct=True
        ),
        n_agreed=Count("topics", filter=Q(topics__decision__outcome=Outcome.AGREED), distinct=True),
        n_done=Count(
            "topics", filter=Q(topics__decision__issue__state=State.CLOSED), distinct=True
        ),
        n_below=Count("topics", filter=Q(topics__source=Source.REFERRAL), distinct=True),
    ).values_list("pk", "n_topics", "n_settled", "n_referred", "n_agreed", "n_done", "n_below")
    return {pk: Figures(*numbers) for pk, *numbers in rows}


def figures_total(numbers: dict[int, Figures]) -> Figures:
    """The figures of several councils added up."""
    rows = list(numbers.values())
    return Figures(*(sum(getattr(f, name) for f in rows) for name in Figures.__dataclass_fields__))
