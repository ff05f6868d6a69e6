"""The demo county's party organisation in the seed's numbers (四级组织体系): the county
committee; a working committee per community (社区党工委) with a branch per urban grid (68
网格党支部); a committee per township with a branch per village and groups at rural grids
(1,373 网格党小组 of the 2,221 grids). The grid leader is the grid branch's secretary and the
village's 片区长 its branch's (the county's usual practice); every registered party member joins
the branch or group where they hold their post."""

from __future__ import annotations

import datetime
import random

from sanzhang.party.models import Membership, PartyOrganisation
from sanzhang.people.models import PartyMember
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import is_under, nearest_in
from sanzhang.posts.models import Post, PostKind, Tenure

from .places import DemoTree

Kind = PartyOrganisation.Kind
RURAL_GROUPS = 1373  # of the seed's 2,221 rural grids
JOINED = datetime.date(2023, 3, 1)


def load_party_organisation(tree: DemoTree, scale: float, rng: random.Random) -> None:
    county = PartyOrganisation.objects.create(
        kind=Kind.COMMITTEE, name=f"中共{tree.county.name}委员会", place=tree.county, ref="DW"
    )
    orgs: dict[str, PartyOrganisation] = {}  # place code -> its organisation
    working = _bulk(
        [
            PartyOrganisation(
                kind=Kind.WORKING_COMMITTEE,
                name=f"{c.name}党工委",
                place=c,
                parent=county,
                ref=f"GW-{c.code}",
            )
            for c in tree.communities
        ]
    )
    townships = _bulk(
        [
            PartyOrganisation(
                kind=Kind.COMMITTEE,
                name=f"{d.name}党委",
                place=d,
                parent=county,
                ref=f"DW-{d.code}",
            )
            for d in tree.districts
        ]
    )
    orgs.update({o.place.code: o for o in working + townships})
    branches = _bulk(
        [_branch(g, orgs, "网格党支部") for g in tree.urban_grids]
        + [_branch(a, orgs, "村党支部") for a in tree.areas]
    )
    orgs.update({o.place.code: o for o in branches})
    wanted = min(len(tree.rural_grids), round(RURAL_GROUPS * scale))
    grouped = sorted(rng.sample(tree.rural_grids, wanted), key=lambda g: g.code)
    groups = _bulk(
        [
            PartyOrganisation(
                kind=Kind.GROUP,
                name=f"{g.name}党小组",
                place=g,
                parent=orgs[_parent_code(g)],
                ref=f"XZ-{g.code}",
            )
            for g in grouped
        ]
    )
    orgs.update({o.place.code: o for o in groups})
    _secretaries(branches)
    _memberships(orgs)


def _parent_code(place: Place) -> str:
    return place.code.rsplit(".", 1)[0]


def _branch(place: Place, orgs: dict[str, PartyOrganisation], suffix: str) -> PartyOrganisation:
    return PartyOrganisation(
        kind=Kind.BRANCH,
        name=f"{place.name}{suffix}" if suffix == "村党支部" else f"{place.name}党支部",
        place=place,
        parent=orgs[_parent_code(place)],
        ref=f"ZB-{place.code}",
    )


def _bulk(orgs: list[PartyOrganisation]) -> list[PartyOrganisation]:
    return PartyOrganisation.objects.bulk_create(orgs, batch_size=2000)


def _secretaries(branches: list[PartyOrganisation]) -> None:
    """Each branch's secretary's post, held by the leader of its place since they took it."""
    leaders = {
        code: (person_id, started)
        for code, person_id, started in Tenure.objects.current()
        .filter(
            role=Tenure.Role.HOLDER,
            post__kind__in=[PostKind.GRID_LEADER, PostKind.AREA_LEADER],
            post__place__in=[b.place for b in branches],
        )
        .values_list("post__place__code", "person_id", "started_on")
    }
    posts = Post.objects.bulk_create(
        [
            Post(place=b.place, kind=PostKind.BRANCH_SECRETARY, duties="主持支部工作，参与网格治理")
            for b in branches
        ],
        batch_size=2000,
    )
    Tenure.objects.bulk_create(
        [
            Tenure(
                post=post,
                person_id=leaders[post.place.code][0],
                started_on=leaders[post.place.code][1],
            )
            for post in posts
            if post.place.code in leaders
        ],
        batch_size=2000,
    )


def _memberships(orgs: dict[str, PartyOrganisation]) -> None:
    """Each registered member joins the nearest branch or group above a post they hold, else
    a branch of the community or village they registered at."""
    held: dict[int, str] = {}
    for person_id, post_code in (
        Tenure.objects.current()
        .filter(role=Tenure.Role.HOLDER)
        .exclude(post__kind=PostKind.BRANCH_SECRETARY)
        .order_by("started_on", "pk")
        .values_list("person_id", "post__place__code")
    ):
        held.setdefault(person_id, post_code)
    # The community a member registered at: a town grid's branch sits under it, a village's
    # branch at it.
    first_branch: dict[str, PartyOrganisation] = {}
    for branch in sorted(orgs.values(), key=lambda o: o.place.code):
        if branch.kind == Kind.BRANCH:
            place = branch.place
            home = place.code if place.kind == PlaceKind.AREA else _parent_code(place)
            first_branch.setdefault(home, branch)
    holding = {c: o for c, o in orgs.items() if o.kind in (Kind.BRANCH, Kind.GROUP)}
    rows = []
    for member_id, person_id, community in PartyMember.objects.values_list(
        "pk", "person_id", "community__code"
    ):
        org: PartyOrganisation | None = None
        code = held.get(person_id)
        nearest = nearest_in(code, holding) if code is not None else None
        if nearest is not None:
            org = holding[nearest]
        org = org or first_branch.get(community)
        if org is None and code is not None:  # a township's post: a branch of its township
            org = next((b for c, b in sorted(first_branch.items()) if is_under(c, code)), None)
        if org is not None:
            rows.append(Membership(member_id=member_id, organisation=org, since=JOINED))
    Membership.objects.bulk_create(rows, batch_size=2000)
