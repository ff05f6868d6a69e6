"""Loading (and removing) the demo county. Deterministic: the same seed gives the same county."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from sanzhang.issues.models import AgendaItem, Issue, Meeting
from sanzhang.issues.triage_training import counties as triage_counties
from sanzhang.issues.triage_training import train_county
from sanzhang.party.models import Membership, PartyOrganisation
from sanzhang.people.models import Household, Organisation, PartyMember, Person, User
from sanzhang.places.models import Place, PlaceCodeAlias, PlaceEvent
from sanzhang.posts.models import Post, PostKind, Tenure
from sanzhang.supervision.models import DailySummary, MonthlyReport, Notice, RectificationList
from sanzhang.training.models import Attendance, Course, Session
from sanzhang.vetting.models import Vetting
from sanzhang.visits.models import Visit
from sanzhang.volunteers.models import Task, Volunteer
from sanzhang.wishes.models import Wish

from .announcements import load_announcements_history, remove_announcements
from .councils import load_council_history, remove_council_history
from .evaluations import load_evaluation_history, remove_evaluations
from .funds import load_funds_history, remove_funds
from .issues import load_issue_history
from .leaders import (
    DEPARTMENTS,
    RESERVE_SHARE,
    ROTATED_SHARE,
    RURAL_COVERED,
    RURAL_DEPUTIES,
    RURAL_LEADERS,
    Appointments,
    Holders,
    _start,
)
from .marketplace import load_marketplace_history, remove_marketplace
from .partners import load_partners_history, remove_partners
from .party import load_party_organisation
from .places import DemoTree, build_tree, up
from .points import load_points_history, remove_points
from .residents import build_households
from .rotation import load_rotation, remove_rotation
from .supervision import load_supervision_history
from .training import load_training_history
from .vetting import load_vetting_history
from .visits import load_visit_history
from .volunteers import load_riders
from .wishes import load_wish_history

SEED = 20220901  # the leading group was set up in September 2022
URBAN_START, RURAL_START = datetime.date(2022, 10, 1), datetime.date(2023, 3, 1)


class DemoAlreadyLoaded(Exception):
    pass


@dataclass(frozen=True)
class DemoCounts:
    places: int
    households: int
    people: int
    posts: int
    current_holders: int


def _urban(tree: DemoTree, holders: Holders, plan: Appointments, rng: random.Random) -> None:
    units_of: dict[int, list[int]] = defaultdict(list)
    for unit in tree.units:
        units_of[up(unit).pk].append(unit.pk)
    for unit in tree.units:
        start = _start(rng, URBAN_START, 240)
        home = up(up(up(unit)))
        post = plan.add(unit, PostKind.UNIT_LEADER, holders.pick([unit.pk]), start, home)
        if rng.random() < RESERVE_SHARE:
            reserve = holders.pick([unit.pk])
            plan.tenures.append((post, reserve, Tenure.Role.RESERVE, start, None))
        if rng.random() < ROTATED_SHARE:
            plan.history(post, holders, start)
    units_of_grid: dict[int, list[int]] = defaultdict(list)
    for building in tree.buildings:
        person = holders.pick(units_of[building.pk])
        start = _start(rng, URBAN_START, 240)
        plan.add(building, PostKind.BUILDING_LEADER, person, start, up(up(building)))
        units_of_grid[up(building).pk] += units_of[building.pk]
    for grid in tree.urban_grids:
        person = holders.pick(units_of_grid[grid.pk])
        plan.add(grid, PostKind.GRID_LEADER, person, _start(rng, URBAN_START, 120), up(grid))


def _rural(
    tree: DemoTree, scale: float, holders: Holders, plan: Appointments, rng: random.Random
) -> None:
    for district in tree.districts:
        plan.add(district, PostKind.DISTRICT_LEADER, holders.outsider(), RURAL_START, district)
    grids_of: dict[int, list[int]] = defaultdict(list)
    for grid in tree.rural_grids:
        grids_of[up(grid).pk].append(grid.pk)
    for area in tree.areas:
        person = holders.pick(grids_of[area.pk])
        plan.add(area, PostKind.AREA_LEADER, person, _start(rng, RURAL_START, 90), area)
    covered = sorted(
        rng.sample(tree.rural_grids, round(len(tree.rural_grids) * RURAL_COVERED)),
        key=lambda g: g.code,
    )
    leaders = max(1, min(len(covered), round(RURAL_LEADERS * scale)))
    people = [holders.pick([g.pk]) for g in covered[:leaders]]
    for i, grid in enumerate(covered):
        # Neighbouring grids share a leader once there are more grids than leaders.
        person = people[i * leaders // len(covered)]
        start = _start(rng, RURAL_START, 180)
        plan.add(grid, PostKind.GRID_LEADER, person, start, up(grid))
    for grid in rng.sample(covered, min(len(covered), round(RURAL_DEPUTIES * scale))):
        start = _start(rng, RURAL_START, 180)
        plan.add(grid, PostKind.DEPUTY_GRID_LEADER, holders.pick([grid.pk]), start, up(grid))


def _organisations(tree: DemoTree) -> None:
    orgs = [Organisation(kind=Organisation.Kind.COUNTY_OFFICE, name="县三长办", place=tree.county)]
    orgs += [
        Organisation(kind=Organisation.Kind.DEPARTMENT, name=d, place=tree.county)
        for d in DEPARTMENTS
    ]
    # The party committee's organisation department (组织部): it vets cadres in the grid.
    orgs.append(
        Organisation(kind=Organisation.Kind.DEPARTMENT, name="县委组织部", place=tree.county)
    )
    orgs += [
        Organisation(kind=Organisation.Kind.COMMITTEE, name=f"{p.name}居委会", place=p)
        for p in tree.communities
    ]
    orgs += [
        Organisation(kind=Organisation.Kind.COMMITTEE, name=f"{a.name}村委会", place=a)
        for a in tree.areas
    ]
    Organisation.objects.bulk_create(orgs, batch_size=2000)


# The stages of a load, in order: `load_demo` names each as it starts (for a progress bar).
STAGES = [
    "places", "households", "posts", "organisations", "party", "issues",
    "visits", "riders", "supervision", "wishes", "points", "training",
    "councils", "vetting", "evaluation", "rotation", "services", "partners", "funds",
    "announcements", "triage",
]  # fmt: skip


def load_demo(
    scale: float = 1.0, seed: int = SEED, stage: Callable[[str], None] | None = None
) -> DemoCounts:
    if Place.objects.exists():
        raise DemoAlreadyLoaded
    rng = random.Random(seed)  # nosec B311 # seeded on purpose: the same demo every time, no secret
    begin = stage or (lambda name: None)
    with transaction.atomic():
        begin("places")
        tree = build_tree(scale, rng)
        begin("households")
        residents = build_households(tree, scale, rng)
        begin("posts")
        holders = Holders(residents, rng)
        plan = Appointments(rng)
        _urban(tree, holders, plan, rng)
        _rural(tree, scale, holders, plan, rng)
        plan.save(holders)
        begin("organisations")
        _organisations(tree)
        begin("party")
        load_party_organisation(tree, scale, rng)
        begin("issues")
        load_issue_history(scale, rng)
        begin("visits")
        load_visit_history(rng)
        begin("riders")
        load_riders(scale, rng)
        begin("supervision")
        load_supervision_history()
        begin("wishes")
        load_wish_history(scale, rng)
        begin("points")
        load_points_history(seed)
        begin("training")
        load_training_history(rng)  # after the points rules: attending earns points
        begin("councils")
        load_council_history(rng)  # topics from the issue, visit and wish histories
        begin("vetting")
        load_vetting_history(rng)  # reviewers are the branches' secretaries and grid leaders
        begin("evaluation")
        load_evaluation_history(rng)  # last quarter's, closed: its points need the rules
        begin("rotation")
        load_rotation(rng)  # reserves beside most posts, the terms, rotations planned
        begin("services")
        load_marketplace_history(scale, rng)  # complaints are issues: the office must exist
        begin("partners")
        load_partners_history(rng)  # members' rider hours and claimed wishes count there
        begin("funds")
        load_funds_history(rng)  # budgets down to every grid, a year of spending
        begin("announcements")
        load_announcements_history(rng)  # by the office, communities and grid leaders
        begin("triage")
        for county in triage_counties():  # suggestions learn from the history just written
            train_county(county)
    return counts()


def counts() -> DemoCounts:
    return DemoCounts(
        places=Place.objects.count(),
        households=Household.objects.count(),
        people=Person.objects.count(),
        posts=Post.objects.count(),
        current_holders=Tenure.objects.current().filter(role=Tenure.Role.HOLDER).count(),
    )


def remove_demo() -> None:
    """Delete the county's data (accounts stay, unlinked), deepest places first."""
    with transaction.atomic():
        User.objects.update(person=None, organisation=None)
        remove_evaluations()  # votes and results name people and tenures
        remove_rotation()  # plans name tenures and people
        remove_marketplace()  # bookings and complaints name households and issues
        remove_partners()  # bindings and agreements name places
        remove_funds()  # accounts and the ledger name places and accounts
        remove_announcements()  # receipts name households
        remove_points()  # the ledger names people and issues
        remove_council_history()  # its topics name issues, visits and wishes
        Vetting.objects.all().delete()  # with its reviewers and views
        Attendance.objects.all().delete()
        Session.objects.all().delete()
        Course.objects.all().delete()
        for record in (
            Notice,
            RectificationList,
            MonthlyReport,
            DailySummary,
            Visit,
            Task,
            Volunteer,
        ):
            record.objects.all().delete()  # the supervision record first: it names issues
        AgendaItem.objects.all().delete()
        Meeting.objects.all().delete()
        Issue.objects.update(merged_into=None)
        Issue.objects.all().delete()  # with their events, photos, followers and notices
        Wish.objects.all().delete()  # with their events
        Membership.objects.all().delete()
        # Deepest first: nothing is deleted while something sits under it.
        for kind in ("group", "branch", "working_committee"):
            PartyOrganisation.objects.filter(kind=kind).delete()
        PartyOrganisation.objects.filter(parent__isnull=False).delete()
        PartyOrganisation.objects.all().delete()
        for model in (Tenure, Post, PartyMember, Person, Household, Organisation):
            model.objects.all().delete()
        PlaceCodeAlias.objects.all().delete()
        PlaceEvent.objects.all().delete()
        for depth in sorted(set(Place.objects.values_list("depth", flat=True)), reverse=True):
            Place.objects.filter(depth=depth).delete()
