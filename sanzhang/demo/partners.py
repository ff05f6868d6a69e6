"""The demo county's co-building units (共建单位): the county bodies, the hospital, the school
and a few enterprises its party members work at, each community and village bound to one to
three of them (a few as helping units, 帮扶单位); last year's and this year's agreements with
two or three commitments each, activities against them, and last year's ratings by the
community party committees. The unit names are the work units of the demo's registered party
members (`leaders.WORK_UNITS`), so the volunteer-hours commitments also count what those
members did by themselves (`partners.progress`). Bulk-created: a second or two for a county.

Call `load_partners_history(rng)` after the riders and wishes histories (it reads nothing of
them, but the counts it shows are richer then); it needs the places and nothing else."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from sanzhang.partners.models import (
    Activity,
    Agreement,
    Binding,
    BindingKind,
    Commitment,
    CommitmentKind,
    Rating,
    Unit,
    UnitKind,
)
from sanzhang.places.models import Place, PlaceKind

from . import names
from .leaders import WORK_UNITS

ENTERPRISES = ["国网广昌县供电公司", "县农村商业银行", "县自来水公司", "莲乡食品有限公司"]
HELPING_SHARE = 0.3  # the units assigned to help a village rather than build with it
# What a unit promises: kind, what, the range of the target, its measure, and the activities.
PROMISES = [
    (
        CommitmentKind.VOLUNTEER_HOURS,
        "党员志愿服务",
        (20, 80),
        "小时",
        ["义诊", "环境整治", "送餐上门"],
    ),
    (CommitmentKind.FUNDS, "共建经费", (5000, 30000), "元", ["拨付共建经费"]),
    (CommitmentKind.PROJECT, "共建项目", (1, 4), "项", ["完成楼道照明改造", "建成学习室"]),
    (CommitmentKind.RESOURCES, "开放场地与物资", (2, 10), "次", ["开放会议室", "捐赠物资"]),
]
COMMENTS = [
    "积极参与社区共建，承诺兑现到位。",
    "参与较多，服务群众有实效。",
    "承诺部分未兑现，需加强联系。",
]


def _kind_of(name: str) -> str:
    if "医院" in name or "卫健" in name:
        return UnitKind.HOSPITAL
    if "中学" in name or "小学" in name:
        return UnitKind.SCHOOL
    if name in ENTERPRISES:
        return UnitKind.ENTERPRISE
    return UnitKind.GOVERNMENT


def _units(county: Place, rng: random.Random) -> list[Unit]:
    now = timezone.now()
    made = [
        Unit(
            county=county,
            name=name,
            kind=_kind_of(name),
            party_organisation=f"{name}党委"
            if _kind_of(name) != UnitKind.ENTERPRISE
            else f"{name}党支部",
            contact_name=rng.choice(names.SURNAMES) + rng.choice(["主任", "书记", "科长"]),
            contact_phone=f"139{rng.randrange(10**8):08d}",
            created_at=now,
        )
        for name in [*dict.fromkeys(WORK_UNITS), *ENTERPRISES]
    ]
    return Unit.objects.bulk_create(made)


def load_partners_history(rng: random.Random) -> None:
    """Units for every county, bound to each of its communities and villages (1–3 each), with
    last year's rated agreements and this year's open ones."""
    for county in Place.objects.filter(kind=PlaceKind.COUNTY).order_by("code"):
        places = list(
            Place.objects.filter(
                code__under=county.code, kind__in=[PlaceKind.COMMUNITY, PlaceKind.AREA]
            ).order_by("code")
        )
        if places:
            _county(county, places, rng)


def _county(county: Place, places: list[Place], rng: random.Random) -> None:
    units = _units(county, rng)
    this_year = timezone.localdate().year
    bindings, agreements = [], []
    for place in places:
        for unit in rng.sample(units, rng.randint(1, 3)):
            kind = BindingKind.HELPING if rng.random() < HELPING_SHARE else BindingKind.CO_BUILDING
            since = datetime.date(this_year - 2, rng.randint(1, 12), rng.randint(1, 28))
            bindings.append(Binding(unit=unit, place=place, kind=kind, since=since))
            for year in (this_year - 1, this_year):
                signed = datetime.date(year, rng.randint(1, 3), rng.randint(1, 28))
                agreements.append(
                    Agreement(
                        unit=unit,
                        community=place,
                        year=year,
                        signed_on=signed,
                        created_at=_at(signed),
                    )
                )
    Binding.objects.bulk_create(bindings)
    Agreement.objects.bulk_create(agreements, batch_size=1000)
    commitments = _commitments(agreements, rng)
    _activities(commitments, rng)
    _ratings([a for a in agreements if a.year == this_year - 1], rng)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())


def _commitments(agreements: list[Agreement], rng: random.Random) -> list[Commitment]:
    made = []
    for agreement in agreements:
        for kind, what, (low, high), measure, _done in rng.sample(PROMISES, rng.randint(2, 3)):
            made.append(
                Commitment(
                    agreement=agreement,
                    kind=kind,
                    description=what,
                    target=Decimal(rng.randint(low, high)),
                    measure=measure,
                )
            )
    return Commitment.objects.bulk_create(made, batch_size=1000)


def _activities(commitments: list[Commitment], rng: random.Random) -> None:
    today = timezone.localdate()
    kinds: dict[str, list[str]] = {kind: done for kind, _what, _range, _measure, done in PROMISES}
    made = []
    for commitment in commitments:
        year = commitment.agreement.year
        last_day = min(today, datetime.date(year, 12, 31))
        days = (last_day - datetime.date(year, 1, 1)).days
        share = Decimal(rng.randint(30, 110)) / 100  # most keep most of what they promised
        count = rng.randint(1, 3)
        for n in range(count):
            held_on = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, days))
            amount = (commitment.target * share / count).quantize(Decimal("0.01"))
            made.append(
                Activity(
                    commitment=commitment,
                    held_on=held_on,
                    what=f"{rng.choice(kinds[commitment.kind])}（第{n + 1}次）",
                    amount=amount,
                    recorded_at=_at(held_on),
                )
            )
    Activity.objects.bulk_create(made, batch_size=2000)


def _ratings(agreements: list[Agreement], rng: random.Random) -> None:
    made = []
    for agreement in agreements:
        base = rng.choice([4, 4, 3, 3, 2])
        grades = [max(1, min(4, base + rng.choice([-1, 0, 0, 1]))) for _ in range(4)]
        made.append(
            Rating(
                agreement=agreement,
                keeping=grades[0],
                taking_part=grades[1],
                serving=grades[2],
                conduct=grades[3],
                comment=COMMENTS[0] if base == 4 else COMMENTS[1] if base == 3 else COMMENTS[2],
                rated_at=_at(datetime.date(agreement.year, 12, rng.randint(10, 28))),
            )
        )
    Rating.objects.bulk_create(made, batch_size=1000)


def remove_partners() -> None:
    """Delete the co-building register (its rows name places and accounts)."""
    for model in (Rating, Activity, Commitment, Agreement, Binding, Unit):
        model.objects.all().delete()
