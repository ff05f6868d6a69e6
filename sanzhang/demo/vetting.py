"""The demo county's cadre vettings (干部考察进网格) over the past year: concluded ones, five
of them deferred (the seed's figure), and a couple still open (one collecting views, one
waiting for the department's decision). Cadres are residents of grids whose leader is in
post; the reviewers are those grids' leaders and branch secretaries, never the cadre.

The vettings belong to the organisation department (县委组织部) at the county, created here
when the demo has none."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from sanzhang.party.models import PartyOrganisation
from sanzhang.people.models import Organisation, Person
from sanzhang.places.models import Place, PlaceKind
from sanzhang.posts.models import PostKind, Tenure
from sanzhang.vetting.models import Conclusion, Decision, Reviewer, Status, Vetting, View

from .names import person_name

ORG_DEPARTMENT = "县委组织部"
DEMO_GRID = "GC.C01.G01"  # the demo's grid leader login holds this grid (demo.accounts)
PROMOTED, DEFERRED = 13, 5  # concluded over the year; the case study names 5 deferred
OPEN, SUBMITTED = 1, 1  # still collecting views; findings in, waiting for the decision
UNITS = ["县财政局", "县教育局", "县住建局", "县农业农村局", "县卫健委", "旴江镇人民政府"]
POSTS = [("副局长", "局长"), ("科长", "副局长"), ("副镇长", "镇长"), ("股长", "副科长")]
SAID_WELL = [
    "为人热情，邻居有事都愿意帮忙",
    "家里老人照顾得很好，孩子也懂礼貌",
    "经常参加社区志愿活动，疫情时主动值守",
    "从没听说和谁红过脸",
]
SAID_ILL = [
    "为停车位和邻居吵过好几次",
    "家里装修噪音大，劝了也不听",
    "老人生病住院很少回来看望",
    "楼道里长期堆放杂物，物业劝说不理",
]
VERSIONS: dict[str, int] = {Status.OPEN: 1, Status.SUBMITTED: 2, Status.DECIDED: 3}  # moves + 1
NEIGHBOURS = ["对门邻居", "楼上邻居", "楼下邻居", "同楼栋居民"]
GOOD = {
    "family_conduct": "家庭和睦，孝敬老人，教育子女有方",
    "neighbours": "邻里关系融洽，乐于助人",
    "law_abiding": "未发现违法违纪情况",
    "community_affairs": "积极参加社区活动和在职党员报到服务",
}
POOR = {
    "family_conduct": "对家中老人关心不够",
    "neighbours": "多次与邻居发生争执，邻居意见较大",
    "law_abiding": "未发现违法违纪情况",
    "community_affairs": "在职党员报到后很少参加社区活动",
}


def _department(county: Place) -> Organisation:
    found, _created = Organisation.objects.get_or_create(
        place=county, name=ORG_DEPARTMENT, defaults={"kind": Organisation.Kind.DEPARTMENT}
    )
    return found


def _reviewing_grids() -> dict[int, list[Tenure]]:
    """Urban grids → the current holders of their grid leader's and branch secretary's posts
    (grids with no leader in post cannot be asked)."""
    kinds = [PostKind.GRID_LEADER, PostKind.BRANCH_SECRETARY]
    tenures = Tenure.objects.current().filter(
        role=Tenure.Role.HOLDER, post__kind__in=kinds, post__place__kind=PlaceKind.GRID
    )
    grids: dict[int, list[Tenure]] = {}
    for tenure in tenures.select_related("post__place").order_by("post__place__code", "pk"):
        grids.setdefault(tenure.post.place_id, []).append(tenure)
    return {
        g: ts for g, ts in grids.items() if any(t.post.kind == PostKind.GRID_LEADER for t in ts)
    }


def _cadres(
    grids: dict[int, list[Tenure]], wanted: int, rng: random.Random, first: int | None
) -> list[tuple[Person, int]]:
    """Residents of those grids who hold no post, a few per grid: (person, grid id)."""
    holders = Tenure.objects.current().values("person_id")
    per_grid = max(3, -(-wanted // max(len(grids), 1)))
    found: list[tuple[Person, int]] = []
    order = rng.sample(sorted(grids), len(grids))
    order.sort(key=lambda g: g != first)  # the demo grid leader's grid first, when it can be asked
    for grid_id in order:
        if len(found) >= wanted:
            break
        grid = Place.objects.get(pk=grid_id)
        people = Person.objects.filter(household__place__code__under=grid.code)
        people = people.exclude(pk__in=holders).exclude(household__moved_away_on__isnull=False)
        found += [
            (p, grid_id) for p in people.select_related("household").order_by("pk")[:per_grid]
        ]
    rng.shuffle(found)
    return found[:wanted]


def load_vetting_history(rng: random.Random) -> None:
    county = Place.objects.filter(kind=PlaceKind.COUNTY).order_by("code").first()
    if county is None:
        return
    _department(county)
    grids = _reviewing_grids()
    plan = (
        [Status.DECIDED] * (PROMOTED + DEFERRED)
        + [Status.OPEN] * OPEN
        + [Status.SUBMITTED] * SUBMITTED
    )
    demo_grid = Place.objects.filter(code=DEMO_GRID).values_list("pk", flat=True).first()
    cadres = _cadres(grids, len(plan), rng, demo_grid)
    mine = [i for i, (_cadre, grid_id) in enumerate(cadres) if grid_id == demo_grid]
    waiting = plan.index(Status.OPEN)
    if mine and waiting < len(cadres):  # the demo's grid leader has a vetting to review
        cadres[mine[0]], cadres[waiting] = cadres[waiting], cadres[mine[0]]
    outcomes = [Decision.DEFER] * DEFERRED + [Decision.PROMOTE] * PROMOTED
    rng.shuffle(outcomes)
    now = timezone.now()
    for index, ((cadre, grid_id), status) in enumerate(zip(cadres, plan, strict=False)):
        decision = outcomes[index] if status == Status.DECIDED else ""
        opened = now - datetime.timedelta(
            days=rng.uniform(35, 360) if decision else rng.uniform(3, 20)
        )
        _one(county, cadre, grids[grid_id], status, decision, opened, rng)


def _one(
    county: Place,
    cadre: Person,
    tenures: list[Tenure],
    status: str,
    decision: str,
    opened: datetime.datetime,
    rng: random.Random,
) -> None:
    unit = rng.choice(UNITS)
    now_post, next_post = rng.choice(POSTS)
    poor = decision == Decision.DEFER or (status == Status.SUBMITTED and rng.random() < 0.5)
    # Never in the future: a vetting opened a few days ago was submitted by now at the latest.
    submitted = min(opened + datetime.timedelta(days=rng.uniform(5, 14)), timezone.now())
    vetting = Vetting.objects.create(
        county=county,
        cadre_name=cadre.name,
        current_post=f"{unit} {now_post}",
        proposed_post=f"{unit} {next_post}",
        cadre_person=cadre,
        deadline=timezone.localdate(opened) + datetime.timedelta(days=21),
        status=status,
        version=VERSIONS[status],
        opened_at=opened,
    )
    if cadre.household_id:
        vetting.households.set([cadre.household_id])
    grid_id = tenures[0].post.place_id
    vetting.branches.set(PartyOrganisation.objects.branches().filter(place_id=grid_id))
    Reviewer.objects.bulk_create(
        Reviewer(vetting=vetting, person_id=t.person_id, post_id=t.post_id, assigned_at=opened)
        for t in tenures
        if t.person_id != cadre.pk
    )
    _views(vetting, poor, opened, rng)
    if status == Status.OPEN:
        return
    Vetting.objects.filter(pk=vetting.pk).update(
        **(POOR if poor else GOOD),
        conclusion=Conclusion.NOT_SATISFACTORY if poor else Conclusion.SATISFACTORY,
        reasons="邻里反映较多，家风有待改进" if poor else "",
        submitted_at=submitted,
    )
    if decision:
        Vetting.objects.filter(pk=vetting.pk).update(
            decision=decision,
            decision_note="暂缓提拔，一年后再考察" if decision == Decision.DEFER else "",
            decided_at=submitted + datetime.timedelta(days=rng.uniform(2, 10)),
        )


def _views(vetting: Vetting, poor: bool, opened: datetime.datetime, rng: random.Random) -> None:
    count = rng.randint(2, 4)
    said = [rng.choice(SAID_ILL if poor and i == 0 else SAID_WELL) for i in range(count)]
    kinds = [View.Giver.BRANCH_MEMBER if rng.random() < 0.3 else View.Giver.NEIGHBOUR for _ in said]
    now = timezone.now()
    View.objects.bulk_create(
        View(
            vetting=vetting,
            giver_kind=kind,
            giver=person_name(rng),
            relationship="支部党员" if kind == View.Giver.BRANCH_MEMBER else rng.choice(NEIGHBOURS),
            said=text,
            recorded_at=min(opened + datetime.timedelta(days=1 + i), now),
        )
        for i, (text, kind) in enumerate(zip(said, kinds, strict=True))
    )
