"""Who sees an issue and in what capacity they may act on it.

Sight follows the one scope layer (access.scope): post holders and community staff see the
issues in their subtree, the county office its county's, a department what it was given,
a resident sees what they reported or follow. Acting needs more: the owner handles, the
owner's superiors (any post holder above the owner's place, the community staff over it, the
county office) triage and inspect, the reporter rates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import held_places, in_scope, scope_codes, scope_filter
from sanzhang.places.tree import is_under

from .models import Issue, IssueEvent, IssueFollower, IssuePhoto

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor, Visitor

# The steps a resident sees of their report, on the page and in the API alike; comments,
# inspection notes, send-backs and the like stay with the staff.
RESIDENT_EVENTS = [
    "reported",
    "confirmed",
    "assigned",
    "started",
    "handled",
    "fed_back",
    "rated_satisfied",
    "rated_dissatisfied",
    "escalated",
    "merged",
    "declined",
    "moderated",
]


def issues_visible_to(user: Visitor) -> QuerySet[Issue]:
    issues = Issue.objects.all()
    if not user.is_authenticated or not user.is_active:
        return issues.none()
    if can(user, Can.HELP_WITH_ISSUES):
        if not user.organisation_id:
            return issues.none()
        helping = Issue.helper_organisations.through.objects.filter(
            organisation_id=user.organisation_id
        ).values("issue_id")
        return issues.filter(Q(owner_organisation_id=user.organisation_id) | Q(pk__in=helping))
    if can(user, Can.SEE_ISSUES_IN_SCOPE):
        return issues.filter(scope_filter(user, "place__code"))
    if can(user, Can.ACT_AS_RESIDENT):
        following = IssueFollower.objects.filter(user=user).values("issue_id")
        return issues.filter(Q(reporter=user) | Q(pk__in=following))
    return issues.none()  # administrators and auditors work elsewhere


def public_issues(code: str | None = None) -> QuerySet[Issue]:
    """The issues shown to anyone on the public board (公示), under the place with `code` when
    given: every one but those merged into another. Only the state, category and place are
    public; the reporter's words and photos only where `public_consent`, never who they are."""
    issues = Issue.objects.filter(merged_into__isnull=True)
    return issues.filter(place__code__under=code) if code is not None else issues


def is_owner(user: Actor, issue: Issue) -> bool:
    """The user is (one of) the issue's owners: holds its post, or belongs to its organisation,
    or is community staff over a complex issue (the grid leader solves those with the
    community party organisation)."""
    if issue.owner_organisation_id is not None:
        return bool(user.organisation_id) and user.organisation_id == issue.owner_organisation_id
    if issue.owner_place_id in held_places(user):
        return True
    if can(user, Can.OWN_COMPLEX_ISSUES) and issue.tier == "complex":
        codes = scope_codes(user) or []
        return any(is_under(issue.owner_place.code, code) for code in codes)
    return False


def is_helper(user: Actor, issue: Issue) -> bool:
    return (
        can(user, Can.HELP_WITH_ISSUES)
        and user.organisation_id is not None
        and issue.helper_organisations.filter(pk=user.organisation_id).exists()
    )


def is_supervisor(user: Actor, issue: Issue) -> bool:
    """Above the owner: triages, inspects, urges (检查督促)."""
    if can(user, Can.SUPERVISE_ALL_OWNERS):
        return in_scope(user, issue.place.code)
    if issue.owner_organisation_id is not None:
        return False  # the county office, and departments, answer to the county office
    owner_code = issue.owner_place.code
    if any(
        is_under(owner_code, code) and owner_code != code for code in held_places(user).values()
    ):
        return True
    if can(user, Can.SUPERVISE_IN_COMMUNITY):
        return any(is_under(owner_code, code) for code in scope_codes(user) or [])
    return False


def is_reporter(user: Actor, issue: Issue) -> bool:
    """The reporter rates; for a report recorded at the door for someone with no account, the
    leader who recorded it records the household's rating."""
    if issue.reporter_id is not None:
        return issue.reporter_id == user.pk
    return issue.recorded_by_id == user.pk


def sees_all_of(user: Visitor, issue: Issue) -> bool:
    """Its reporter and those working on it see its words and every photo; a follower sees
    what the public may (moderation: the county office may have hidden some)."""
    return not can(user, Can.ACT_AS_RESIDENT) or issue.reporter_id == user.pk


def words_for(user: Visitor, issue: Issue) -> str:
    return issue.text if sees_all_of(user, issue) or issue.words_public else ""


def events_for(user: Visitor, issue: Issue) -> list[IssueEvent]:
    """The steps a resident's page shows; the report's own words (the first step's note) only
    where the viewer may read them."""
    events = list(issue.events.filter(kind__in=RESIDENT_EVENTS))
    if not (sees_all_of(user, issue) or issue.words_public):
        for event in events:
            if event.kind == IssueEvent.Kind.REPORTED:
                event.note = ""
    return events


def photos_for(user: Visitor, issue: Issue) -> QuerySet[IssuePhoto]:
    photos = issue.photos.all()
    return photos if sees_all_of(user, issue) else photos.filter(hidden_from_public=False)
