"""Council pages: the list with each council's figures (staff), a council with its seats,
topics and meetings, a meeting with its agenda, attendance (members sign in on the phone),
votes, decisions, minutes and the progress of the work it agreed; and the public record on
the place's noticeboard (/councils/board/<code>/), with no personal data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import get_visible_or_404, scope_filter
from sanzhang.core.crypto import keyed_hash
from sanzhang.core.errors import Invalid, Refusal
from sanzhang.core.http import AuthedRequest, form_id
from sanzhang.issues.access import issues_visible_to
from sanzhang.issues.models import Issue
from sanzhang.people.models import Person
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import normalise_code
from sanzhang.posts.models import Tenure
from sanzhang.visits.models import Visit
from sanzhang.wishes.models import Wish

from . import services

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor
from .forms import DecisionForm, MeetingForm, MinutesForm, SeatForm, SetUpForm, TopicForm, VoteForm
from .models import PARTIES_OF, Attendance, Council, Decision, Meeting, Party, Seat, Topic, Vote

PAGE_SIZE = 50
COUNCIL_KINDS = [PlaceKind.COMMUNITY, PlaceKind.AREA, PlaceKind.DISTRICT]


def may_open(user: Actor) -> bool:
    """The councils page answers staff and post holders, and anyone holding a seat."""
    if can(user, Can.VIEW_COUNCILS) or can(user, Can.RUN_COUNCILS):
        return True
    person_id: int | None = getattr(user, "person_id", None)
    if not person_id:
        return False
    return Seat.objects.filter(person_id=person_id, is_active=True).exists()


def _is_staff(request: AuthedRequest) -> bool:
    return can(request.user, Can.VIEW_COUNCILS) or can(request.user, Can.RUN_COUNCILS)


@login_required
def council_list(request: AuthedRequest) -> HttpResponse:
    if not may_open(request.user):
        raise Http404
    councils = services.visible_councils(request.user).order_by("place__code")
    page = Paginator(councils, PAGE_SIZE).get_page(request.GET.get("page"))
    staff = _is_staff(request)
    numbers = services.figures(Council.objects.filter(pk__in=[c.pk for c in page])) if staff else {}
    rows = [(council, numbers.get(council.pk)) for council in page]
    totals = services.figures_total(services.figures(councils)) if staff else None
    open_places: QuerySet[Place] | list[Place] = []
    if can(request.user, Can.RUN_COUNCILS):
        open_places = (
            Place.objects.visible_to(request.user)
            .active()
            .filter(kind__in=COUNCIL_KINDS, council__isnull=True)
            .order_by("code")[:200]
        )
    person_id = request.user.person_id
    mine = (
        Meeting.objects.filter(council__seats__person_id=person_id, council__seats__is_active=True)
        .exclude(state=Meeting.State.PUBLISHED)
        .select_related("council")
        .order_by("held_on")[:10]
        if person_id
        else []
    )
    context = {
        "page": page,
        "rows": rows,
        "staff": staff,
        "totals": totals,
        "open_places": open_places,
        "mine": mine,
    }
    return render(request, "councils/list.html", context)


@login_required
@require_POST
def set_up(request: AuthedRequest) -> HttpResponse:
    form = SetUpForm(request.POST)
    if not form.is_valid() or not can(request.user, Can.RUN_COUNCILS):
        raise Http404
    place = get_visible_or_404(
        Place.objects.visible_to(request.user).active(),
        code=normalise_code(form.cleaned_data["place"]),
    )
    try:
        council = services.set_up(request.user, place)
    except Refusal as error:
        messages.error(request, error.message)
        return redirect("councils:list")
    return redirect("councils:council", council_id=council.pk)


def _openable(request: AuthedRequest, issues: list[Issue]) -> set[str]:
    """The numbers of these issues the user may open (one query): only those are links, so a
    grid leader is never led to a 404 for a community's issue above their grid."""
    numbers = {issue.number for issue in issues}
    if not numbers or not can(request.user, Can.WORK_ON_ISSUES):  # residents: their own pages
        return set()
    visible = issues_visible_to(request.user).filter(number__in=numbers)
    return set(visible.values_list("number", flat=True))


def _visible_council(request: AuthedRequest, council_id: int) -> Council:
    return get_visible_or_404(services.visible_councils(request.user), pk=council_id)


@login_required
def council_detail(request: AuthedRequest, council_id: int) -> HttpResponse:
    council = _visible_council(request, council_id)
    run = services.may_run(request.user, council)
    staff = _is_staff(request)
    seats = council.seats.filter(is_active=True).select_related("person")
    pending = council.topics.filter(decision__isnull=True).select_related(
        "issue", "meeting", "referred_from__council"
    )
    decided = (
        council.topics.filter(decision__isnull=False)
        .select_related("decision__issue", "decision__meeting")
        .order_by("-decision__decided_at")[:30]
    )
    shown = [t.issue for t in pending if t.issue] + [
        t.decision.issue for t in decided if t.decision.issue
    ]
    context = {
        "council": council,
        "run": run,
        "staff": staff,
        "openable": _openable(request, shown),
        "seats": seats,
        "pending": pending,
        "decided": decided,
        "meetings": council.meetings.all()[:24],
        "numbers": services.figures(Council.objects.filter(pk=council.pk)).get(council.pk)
        if staff
        else None,
        "parties": [(p, Party(p).label) for p in PARTIES_OF[council.kind]],
        "seat_form": SeatForm(),
        "topic_form": TopicForm(),
        "meeting_form": MeetingForm(),
    }
    return render(request, "councils/council.html", context)


def _person_by_phone(request: AuthedRequest, council: Council, phone: str) -> Person:
    """The person with this phone who lives (their household's place) or holds a post now
    under the council's place, within the staff's own scope; no one else, so a seat never
    goes to (nor the page names) someone from elsewhere in the county."""
    code = council.place.code
    residents = Person.objects.filter(household__place__code__under=code).filter(
        scope_filter(request.user, "household__place__code")
    )
    holders = (
        Tenure.objects.current()
        .filter(post__place__code__under=code)
        .filter(scope_filter(request.user, "post__place__code"))
    )
    found = (
        Person.objects.filter(phone_hash=keyed_hash(phone))
        .filter(Q(pk__in=residents.values("pk")) | Q(pk__in=holders.values("person_id")))
        .order_by("pk")
        .first()
    )
    if found is None:
        raise Invalid(_("No one living or holding a post in this council's place has that phone."))
    return found


def _source(request: AuthedRequest, source: str, reference: str) -> dict[str, object]:
    """The issue, visit or wish the staff named, if they may see it (else nothing found)."""
    reference = reference.strip()
    if source == "issue":
        issues = Issue.objects.filter(scope_filter(request.user, "place__code"))
        issue = issues.select_related("place").filter(number=reference).first()
        if issue is None:
            raise Invalid(_("No issue with that number in your area."))
        return {"issue": issue}
    if source == "visit":
        visits = Visit.objects.filter(scope_filter(request.user, "place__code"))
        visit = visits.select_related("place").filter(pk=form_id(reference)).first()
        if visit is None:
            raise Invalid(_("No visit with that number in your area."))
        return {"visit": visit}
    if source == "wish":
        wishes = Wish.objects.filter(scope_filter(request.user, "place__code"))
        wish = wishes.select_related("place").filter(pk=form_id(reference)).first()
        if wish is None:
            raise Invalid(_("No micro-wish with that number in your area."))
        return {"wish": wish}
    return {}


def _council_action(request: AuthedRequest, council: Council, action: str) -> HttpResponse:
    if action == "seat":
        form = SeatForm(request.POST)
        if not form.is_valid():
            raise Invalid(_("Please check the form."))
        data = form.cleaned_data
        person = (
            _person_by_phone(request, council, data["phone"]) if data["phone"].strip() else None
        )
        services.add_seat(
            request.user,
            council,
            party=data["party"],
            person=person,
            organisation_name=data["organisation_name"],
            representative=data["representative"],
        )
        messages.success(request, _("The seat was added."))
    elif action == "remove-seat":
        seat = get_visible_or_404(council.seats.all(), pk=form_id(request.POST.get("seat")))
        services.remove_seat(request.user, seat)
        messages.success(request, _("The seat was removed."))
    elif action == "topic":
        topic_form = TopicForm(request.POST)
        if not topic_form.is_valid():
            raise Invalid(_("Please check the form."))
        data = topic_form.cleaned_data
        proposed_by = council.seats.filter(pk=data["proposed_by"] or 0).first()
        sources = _source(request, data["source"], data["reference"])
        services.add_topic(
            request.user,
            council,
            title=data["title"],
            proposal=data["proposal"] if data["source"] == "proposal" else "",
            proposed_by=proposed_by,
            **sources,  # type: ignore[arg-type]
        )
        messages.success(request, _("The topic was put forward."))
    elif action == "meeting":
        meeting_form = MeetingForm(request.POST)
        if not meeting_form.is_valid():
            raise Invalid(_("Please check the form."))
        topics = council.topics.filter(pk__in=[form_id(v) for v in request.POST.getlist("topics")])
        meeting = services.schedule(
            request.user,
            council,
            held_on=meeting_form.cleaned_data["held_on"],
            starts_at=meeting_form.cleaned_data["starts_at"],
            venue=meeting_form.cleaned_data["venue"],
            topics=list(topics),
        )
        messages.success(request, _("The meeting was scheduled."))
        return redirect("councils:meeting", meeting_id=meeting.pk)
    else:
        raise Http404
    return redirect("councils:council", council_id=council.pk)


@login_required
@require_POST
def council_act(request: AuthedRequest, council_id: int, action: str) -> HttpResponse:
    council = _visible_council(request, council_id)
    try:
        return _council_action(request, council, action)
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("councils:council", council_id=council.pk)


def _visible_meeting(request: AuthedRequest, meeting_id: int) -> Meeting:
    meetings = Meeting.objects.filter(
        council__in=services.visible_councils(request.user)
    ).select_related("council__place")
    return get_visible_or_404(meetings, pk=meeting_id)


@login_required
def meeting_detail(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = _visible_meeting(request, meeting_id)
    council = meeting.council
    run = services.may_run(request.user, meeting.council)
    staff = _is_staff(request)
    seat = services.seat_of(request.user, council)
    present = {
        a.seat_id: a for a in Attendance.objects.filter(meeting=meeting).select_related("by")
    }
    seats = [
        (s, present.get(s.pk))
        for s in council.seats.filter(is_active=True).select_related("person")
    ]
    topics = list(
        meeting.topics.select_related("issue", "wish", "visit", "decision__issue").prefetch_related(
            Prefetch("votes", queryset=Vote.objects.all())
        )
    )
    my_votes = (
        {v.topic_id: v for v in Vote.objects.filter(topic__in=topics, seat=seat)} if seat else {}
    )
    agenda = [
        {
            "topic": t,
            "decision": getattr(t, "decision", None) if _decided(t) else None,
            "tally": services.count_votes(t.votes.all()),
            "my_vote": my_votes.get(t.pk),
            "form": DecisionForm(auto_id=f"topic{t.pk}_%s") if run else None,
        }
        for t in topics
    ]
    decisions = list(Decision.objects.filter(meeting=meeting).select_related("topic", "issue"))
    shown = [t.issue for t in topics if t.issue]
    shown += [d.issue for d in decisions if d.issue]
    extra = council.topics.filter(decision__isnull=True).exclude(meeting=meeting) if run else []
    context = {
        "meeting": meeting,
        "council": council,
        "run": run,
        "staff": staff,
        "seat": seat,
        "openable": _openable(request, shown),
        "signed_in": seat is not None and seat.pk in present,
        "seats": seats,
        "present_count": len(present),
        "agenda": agenda,
        "decisions": decisions,
        "extra": extra,
        "concerns": services.personal_data_in(meeting) if run else [],
        "minutes_form": MinutesForm(
            initial={"minutes": meeting.minutes, "public_minutes": meeting.public_minutes}
        ),
        "open": meeting.state != Meeting.State.PUBLISHED,
    }
    return render(request, "councils/meeting.html", context)


def _decided(topic: Topic) -> bool:
    try:
        return topic.decision is not None
    except Decision.DoesNotExist:
        return False


def _meeting_action(request: AuthedRequest, meeting: Meeting, action: str) -> None:
    if action == "sign-in":
        services.sign_in(request.user, meeting)
        messages.success(request, _("You are signed in."))
    elif action == "mark":
        seat = get_visible_or_404(meeting.council.seats.all(), pk=form_id(request.POST.get("seat")))
        services.mark_present(request.user, meeting, seat)
        messages.success(request, _("Marked present."))
    elif action == "vote":
        form = VoteForm(request.POST)
        if not form.is_valid():
            raise Invalid(_("Vote for, against or abstain."))
        topic = get_visible_or_404(meeting.topics.all(), pk=form.cleaned_data["topic"])
        services.cast_vote(request.user, topic, form.cleaned_data["choice"])
        messages.success(request, _("Your vote was counted."))
    elif action == "agenda":
        topics = meeting.council.topics.filter(
            pk__in=[form_id(v) for v in request.POST.getlist("topics")]
        )
        services.put_on_agenda(request.user, meeting, list(topics))
        messages.success(request, _("The agenda was updated."))
    elif action == "decide":
        decision_form = DecisionForm(request.POST)
        if not decision_form.is_valid():
            raise Invalid(_("Please check the form."))
        data = decision_form.cleaned_data
        topic = get_visible_or_404(meeting.topics.all(), pk=data["topic"])
        decision = services.decide(
            request.user,
            topic,
            outcome=data["outcome"],
            text=data["text"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            votes_abstain=data["votes_abstain"],
            owner=data["owner"],
            due_on=data["due_on"],
        )
        if decision.issue is not None:
            messages.success(
                request,
                _("Decided; the work is followed as issue %(number)s.")
                % {"number": decision.issue.number},
            )
        else:
            messages.success(request, _("The decision was recorded."))
    elif action == "minutes":
        minutes_form = MinutesForm(request.POST)
        if not minutes_form.is_valid():
            raise Invalid(_("Please check the form."))
        services.record_minutes(request.user, meeting, **minutes_form.cleaned_data)
        messages.success(request, _("The minutes were saved."))
    elif action == "publish":
        services.publish(request.user, meeting)
        messages.success(request, _("Published on the noticeboard."))
    else:
        raise Http404


@login_required
@require_POST
def meeting_act(request: AuthedRequest, meeting_id: int, action: str) -> HttpResponse:
    meeting = _visible_meeting(request, meeting_id)
    try:
        _meeting_action(request, meeting, action)
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("councils:meeting", meeting_id=meeting.pk)


def board(request: HttpRequest, code: str) -> HttpResponse:
    """Public, no login: the council's published decisions and minutes for the place's
    noticeboard. Only what staff wrote for the public shows (never the minutes, the seats'
    names or the source issue's words)."""
    place = Place.objects.active().filter(code=normalise_code(code)).first()
    if place is None:
        raise Http404
    council = Council.objects.filter(place=place).first()
    meetings = services.published(place)[:24] if council else []
    return render(
        request, "councils/board.html", {"place": place, "council": council, "meetings": meetings}
    )
