"""The demo county's micro-wishes (微心愿): about 1,894 claimed by party members at scale 1 (the
seed's figure), most fulfilled and confirmed, the rest open at every step; some waiting on the
demo accounts (the resident confirms one, the community staff check some, the unit leader holds
one). Bulk inserts: every timeline is a legal path through the wish's steps."""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from sanzhang.people.models import Household, PartyMember, Person, User
from sanzhang.posts.models import Tenure
from sanzhang.wishes import services
from sanzhang.wishes.models import Status, Wish, WishEvent

from .accounts import UNIT
from .issues import IMPORTER

# Final status: how many at scale 1. Claimed, fulfilled and confirmed add up to 1,894.
COUNTS = {
    Status.CONFIRMED: 1640,
    Status.FULFILLED: 160,
    Status.CLAIMED: 94,
    Status.APPROVED: 120,
    Status.SUBMITTED: 45,
    Status.REJECTED: 80,
}
HISTORY_DAYS = 540
AGES: dict[str, tuple[float, float]] = {  # days since posting, by final status
    Status.SUBMITTED: (0, 3),
    Status.APPROVED: (2, 25),
    Status.CLAIMED: (3, 30),
    Status.FULFILLED: (4, 20),
    Status.REJECTED: (5, HISTORY_DAYS),
    Status.CONFIRMED: (20, HISTORY_DAYS),
}
STAFF_COMMUNITY = "GC.C01"  # the demo staff account's community checks these first
TEXTS = [
    "独居老人，想请人帮忙买米买油送上楼",
    "想请人陪同去县医院复查",
    "家里电灯坏了，想请人帮忙换一下",
    "孩子想要一套课外读物",
    "想学用智能手机视频通话",
    "腿脚不便，想要一副拐杖",
    "想请人帮忙修一下漏水的水龙头",
    "希望有人帮忙打扫一下卫生",
    "想给老伴过生日订一个蛋糕",
    "想要一台收音机听戏",
    "冬天到了，想要一床厚棉被",
    "想请人帮忙代缴水电费",
    "孩子暑假想找人辅导作业",
    "想请人帮忙把旧家具搬下楼",
    "想要一副老花镜",
]
NOTES = [
    "已上门送到，老人很高兴",
    "已陪同就诊并送回家",
    "已上门修好",
    "已购买并送到家中",
    "已教会老人使用，留了联系电话",
    "已联系志愿者一起完成",
]
REASONS = ["属于问题反映，已转事件上报", "内容不够具体，请补充后再提交", "已由社区统一安排解决"]
K = WishEvent.Kind


@dataclass
class Plan:
    status: str
    household: int
    place: int
    code: str
    created: datetime.datetime
    events: list[tuple[str, str, str, datetime.datetime, str]] = field(default_factory=list)


def _timeline(plan: Plan, rng: random.Random, now: datetime.datetime) -> dict[str, object]:
    """The plan's events, and the wish's fields they set."""
    at = plan.created
    plan.events.append((K.POSTED, "", Status.SUBMITTED, at, ""))
    fields: dict[str, object] = {}
    path = [Status.SUBMITTED]
    order = [Status.APPROVED, Status.CLAIMED, Status.FULFILLED, Status.CONFIRMED]
    if plan.status == Status.REJECTED:
        at += datetime.timedelta(hours=rng.uniform(2, 48))
        plan.events.append((K.REJECTED, Status.SUBMITTED, Status.REJECTED, at, rng.choice(REASONS)))
        fields["reason"] = plan.events[-1][4]
        return fields
    if plan.status != Status.SUBMITTED:
        path += order[: order.index(plan.status) + 1]  # type: ignore[arg-type]
    hours = {
        Status.APPROVED: (2, 48),
        Status.CLAIMED: (1, 200),
        Status.FULFILLED: (20, 280),
        Status.CONFIRMED: (1, 72),
    }
    for before, after in itertools.pairwise(path):
        at = min(at + datetime.timedelta(hours=rng.uniform(*hours[after])), now)
        note = rng.choice(NOTES) if after == Status.FULFILLED else ""
        plan.events.append((after, before, after, at, note))
        fields[f"{after}_at"] = at  # approved_at, claimed_at, fulfilled_at, confirmed_at
        if after == Status.FULFILLED:
            fields["fulfil_note"] = note
    if "approved_at" in fields:
        approved_at = fields["approved_at"]
        assert isinstance(approved_at, datetime.datetime)  # nosec B101 # for mypy: set just above
        fields["claim_by"] = approved_at + datetime.timedelta(days=services.claim_days())
    if "claimed_at" in fields:
        claimed_at = fields["claimed_at"]
        assert isinstance(claimed_at, datetime.datetime)  # nosec B101 # for mypy: set just above
        fields["fulfil_by"] = claimed_at + datetime.timedelta(days=services.fulfil_days())
    return fields


def _age(status: str, rng: random.Random) -> datetime.timedelta:
    """How long ago a wish that is now `status` was posted: open ones are recent."""
    low, high = AGES[status]
    return datetime.timedelta(days=rng.uniform(low, high), minutes=rng.randrange(600))


def _plans(scale: float, rng: random.Random, now: datetime.datetime) -> list[Plan]:
    homes = list(Household.objects.order_by("pk").values_list("pk", "place_id", "place__code"))
    staff_homes = [h for h in homes if h[2].startswith(STAFF_COMMUNITY + ".")]
    resident = _demo_resident_household()
    plans = []
    for status, count in COUNTS.items():
        for n in range(max(1, round(count * scale))):
            if status == Status.SUBMITTED and n < 3 and staff_homes:
                home = rng.choice(staff_homes)
            elif status == Status.FULFILLED and n == 0 and resident is not None:
                home = resident
            else:
                home = rng.choice(homes)
            plans.append(Plan(status, home[0], home[1], home[2], now - _age(status, rng)))
    return plans


def _demo_resident_household() -> tuple[int, int, str] | None:
    """The household of the demo `resident` account (accounts.py picks the same person)."""
    holders = Tenure.objects.values("person_id")
    people = Person.objects.filter(household__place__code=UNIT).exclude(pk__in=holders)
    found = people.order_by("pk").values_list(
        "household_id", "household__place_id", "household__place__code"
    )
    return found.first()


def _claimers(rng: random.Random) -> tuple[dict[str, list[int]], list[int], int | None]:
    """Party members by the community they registered at, all of them, and the demo unit
    leader (who holds one claimed wish)."""
    by_community: dict[str, list[int]] = defaultdict(list)
    everyone = []
    for person_id, code in PartyMember.objects.order_by("pk").values_list(
        "person_id", "community__code"
    ):
        by_community[code].append(person_id)
        everyone.append(person_id)
    unit = Tenure.objects.current().filter(
        post__place__code=UNIT, role=Tenure.Role.HOLDER, post__seat=1
    )
    return by_community, everyone, unit.values_list("person_id", flat=True).first()


def _claimer(
    code: str, by_community: dict[str, list[int]], everyone: list[int], rng: random.Random
) -> int:
    """Mostly a party member registered at the wish's own community or village."""
    for community, members in by_community.items():
        if (code + ".").startswith(community + ".") and rng.random() < 0.85:
            return rng.choice(members)
    return rng.choice(everyone)


def load_wish_history(scale: float, rng: random.Random) -> int:
    """Write the wishes and their timelines; returns the number of wishes."""
    now = timezone.now().replace(second=0, microsecond=0)
    importer = User.objects.get(username=IMPORTER)
    by_community, everyone, unit_leader = _claimers(rng)
    if not everyone:
        return 0
    plans = _plans(scale, rng, now)
    members = dict(
        Person.objects.filter(household_id__in={p.household for p in plans})
        .order_by("-pk")
        .values_list("household_id", "pk")
    )  # the first member of each household, by pk (later rows overwrite earlier ones)
    wishes = []
    first_claimed = True
    for plan in plans:
        fields = _timeline(plan, rng, now)
        claimer = None
        if "claimed_at" in fields:
            claimer = _claimer(plan.code, by_community, everyone, rng)
            if plan.status == Status.CLAIMED and first_claimed and unit_leader is not None:
                claimer, first_claimed = unit_leader, False
        last = plan.events[-1][3]
        wishes.append(
            Wish(
                household_id=plan.household,
                place_id=plan.place,
                posted_by=importer,
                for_person_id=members.get(plan.household),
                text=rng.choice(TEXTS),
                status=plan.status,
                claimer_id=claimer,
                version=len(plan.events),
                reviewed_by=importer if len(plan.events) > 1 else None,
                created_at=plan.created,
                updated_at=last,
                **fields,
            )  # type: ignore[misc]
        )
    Wish.objects.bulk_create(wishes, batch_size=1000)
    WishEvent.objects.bulk_create(
        (
            WishEvent(
                wish=wish,
                kind=kind,
                from_status=before,
                to_status=after,
                at=at,
                note=note,
                actor=importer if kind in (K.APPROVED, K.REJECTED) else None,
            )
            for wish, plan in zip(wishes, plans, strict=True)
            for kind, before, after, at, note in plan.events
        ),
        batch_size=2000,
    )
    services.flag_late(now)
    return len(wishes)
