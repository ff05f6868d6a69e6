"""Who is told of an issue event: the reporter (and followers), the owner, the owner's superior."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sanzhang.access.roles import Can, roles_granted
from sanzhang.issues.models import Issue, IssueEvent
from sanzhang.people.models import Organisation, User
from sanzhang.places.tree import lineage
from sanzhang.posts.models import Tenure
from sanzhang.posts.reserves import acting_reserves

Kind = IssueEvent.Kind

REPORTER_KINDS = {
    Kind.REPORTED,
    Kind.CONFIRMED,
    Kind.ASSIGNED,
    Kind.STARTED,
    Kind.FED_BACK,
    Kind.DECLINED,
    Kind.MERGED,
    Kind.ESCALATED,
}
OWNER_KINDS = {
    Kind.REPORTED,
    Kind.CONFIRMED,
    Kind.ASSIGNED,
    Kind.RETURNED,
    Kind.ESCALATED,
    Kind.OVERDUE,
    Kind.SENT_BACK,
    Kind.RATED_DISSATISFIED,
    Kind.COMMENTED,
    Kind.DUPLICATE_JOINED,
    Kind.INSPECTED,
}
SUPERIOR_KINDS = {Kind.HANDLED, Kind.ESCALATED, Kind.OVERDUE, Kind.RATED_DISSATISFIED}


def owner_users(issue: Issue) -> list[int]:
    if issue.owner_organisation_id is not None:
        staff = User.objects.filter(organisation_id=issue.owner_organisation_id, is_active=True)
        return list(staff.values_list("pk", flat=True))
    holders = Tenure.objects.current().filter(
        role=Tenure.Role.HOLDER, post__place_id=issue.owner_place_id
    )
    people = [*holders.values_list("person_id", flat=True), *acting_reserves(issue.owner_place_id)]
    return list(
        User.objects.filter(person_id__in=people, is_active=True).values_list("pk", flat=True)
    )


def office_staff(code: str, capability: Can) -> QuerySet[User]:
    """The active staff holding `capability` of the county office over the place with `code`
    (its province's only where the county has none); lazy, one query when read."""
    office_place = (
        Organisation.objects.filter(
            kind=Organisation.Kind.COUNTY_OFFICE, place__code__in=lineage(code)
        )
        .order_by("-place__depth")
        .values("place_id")[:1]
    )
    return User.objects.filter(
        role__in=roles_granted(capability),
        organisation__kind=Organisation.Kind.COUNTY_OFFICE,
        organisation__place_id__in=office_place,
        is_active=True,
    )


def superior_users(issue: Issue) -> list[int]:
    """The holders of the nearest post above the owner's place, and the community staff over it;
    for a department or the county office, the county office."""
    office = office_staff(issue.place.code, Can.SUPERVISE_ALL_OWNERS)
    if issue.owner_organisation_id is not None:
        owner = issue.owner_organisation
        if owner is not None and owner.kind == Organisation.Kind.COUNTY_OFFICE:
            return []
        return list(office.values_list("pk", flat=True))
    ancestors = list(reversed(issue.owner_place.ancestors()))
    holders = (
        Tenure.objects.current()
        .filter(role=Tenure.Role.HOLDER, post__place__in=ancestors)
        .values_list("post__place_id", "person_id")
    )
    by_place: dict[int, list[int]] = {}
    for place_id, person_id in holders:
        by_place.setdefault(place_id, []).append(person_id)
    nearest = next((by_place[p.pk] for p in ancestors if p.pk in by_place), [])
    staff = User.objects.filter(
        Q(person_id__in=nearest)
        | Q(
            role__in=roles_granted(Can.SUPERVISE_IN_COMMUNITY),
            organisation__place__in=ancestors,
        ),
        is_active=True,
    )
    found = list(staff.values_list("pk", flat=True))
    return found or list(office.values_list("pk", flat=True))


def recipients(event: IssueEvent) -> dict[int, str]:
    """User id → why they are told ("reporter", "owner", "superior"); never the actor."""
    issue = event.issue
    found: dict[int, str] = {}
    if event.kind in SUPERIOR_KINDS:
        found.update(dict.fromkeys(superior_users(issue), "superior"))
    if event.kind in OWNER_KINDS:
        found.update(dict.fromkeys(owner_users(issue), "owner"))
    if event.kind in REPORTER_KINDS:
        # A report's first event has nobody following it yet.
        followers = [] if event.kind == Kind.REPORTED else issue.followers.values_list("user_id")
        reporters = {issue.reporter_id, *(pk for (pk,) in followers)}
        found.update(dict.fromkeys((r for r in reporters if r is not None), "reporter"))
    found.pop(event.actor_id, None)  # type: ignore[arg-type]
    return found
