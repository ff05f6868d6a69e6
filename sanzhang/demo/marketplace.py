"""The demo county's service micro-platform (服务微平台): a few dozen merchants listed in the
communities and villages they serve (and three applications waiting to be checked), resident
accounts who booked them over a year, the ratings they gave, two merchants whose recent ratings
put them on the staff's review list, and a couple of complaints made issues of the loop through
the loop's own intake.

Bulk-created like the other histories; only the complaints go through the services (they make
issues, with routing, deadlines and events)."""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from sanzhang.core.crypto import keyed_hash
from sanzhang.marketplace import bookings as booking_services
from sanzhang.marketplace.listing import COMMUNITY_KINDS
from sanzhang.marketplace.models import (
    Application,
    Booking,
    BookingEvent,
    Listing,
    Merchant,
    ServiceKind,
)
from sanzhang.people.models import Person, Role, User
from sanzhang.places.models import Place
from sanzhang.signup.accounts import username_for

from .accounts import demo_residents_homes

UNUSABLE = make_password(None)  # signs in by phone code only, as set_unusable_password
MERCHANTS = 36  # at scale 1
SHOPPERS_PER_COMMUNITY = 12
DAYS = 365
POOR = 2  # merchants whose work residents rate badly
NAMES = [
    "老李",
    "诚信",
    "旴江",
    "莲花",
    "便民",
    "邻里",
    "快修",
    "安心",
    "顺达",
    "阿强",
    "红姐",
    "德馨",
]
KIND_WORDS = {
    ServiceKind.APPLIANCE_REPAIR: ("家电维修", "上门费30元，换件另计", "冰箱不制冷"),
    ServiceKind.CLEANING: ("保洁", "日常保洁每小时40元", "厨房油烟机清洗"),
    ServiceKind.LOCKSMITH: ("开锁", "开普通锁50元，换锁芯80元起", "钥匙锁在屋里了"),
    ServiceKind.HOUSEKEEPING: ("家政", "钟点工每小时35元", "老人需要做饭陪护"),
    ServiceKind.PLUMBING: ("水电", "上门费20元，材料另计", "卫生间水管漏水"),
    ServiceKind.MOVING: ("搬家", "小面包车市内200元起", "搬到隔壁小区"),
}
GOOD_WORDS = ["师傅很专业", "准时上门，价格公道", "修得很快", "态度好", ""]
BAD_WORDS = ["迟到很久", "没修好又收钱", "态度差", "价格比说好的高"]


@dataclass(frozen=True)
class Loaded:
    merchants: int
    bookings: int
    complaints: int


def _licence() -> str:
    """One stored licence photo, which every demo application points at."""
    out = io.BytesIO()
    Image.new("RGB", (320, 220), "#f3e2b3").save(out, "JPEG")
    return default_storage.save(
        "marketplace/licences/demo-licence.jpg", ContentFile(out.getvalue())
    )


def _phone(n: int) -> str:
    return f"1370000{n:04d}"


def _merchants(
    communities: list[Place], count: int, rng: random.Random
) -> tuple[list[Merchant], dict[int, float]]:
    """Merchants with their accounts and applications (listed), and how good each one is."""
    licence, now = _licence(), timezone.now()
    county = next(p for p in communities[0].ancestors() if p.kind == "county")
    kinds = list(ServiceKind)
    plans = []
    for n in range(count):
        offered = rng.sample(kinds, rng.choice([1, 1, 2]))
        label = KIND_WORDS[offered[0]][0]
        plans.append((n, f"{NAMES[n % len(NAMES)]}{label}{'' if n < len(NAMES) else n}", offered))
    # A reload (load_demo --reset) finds the accounts the first load made: accounts stay.
    names = [f"shop{keyed_hash(_phone(n))[:20]}" for n, _name, _kinds in plans]
    kept = {u.username: u for u in User.objects.filter(username__in=names)}
    User.objects.bulk_create(
        [
            User(username=username, role=Role.MERCHANT, password=UNUSABLE, first_name=name)
            for username, (n, name, _kinds) in zip(names, plans, strict=True)
            if username not in kept
        ]
    )
    by_name = {u.username: u for u in User.objects.filter(username__in=names)}
    users = [by_name[username] for username in names]
    applications = Application.objects.bulk_create(
        [
            Application(
                token=f"demo-{n}",
                business_name=name,
                contact_name=f"{name[:1]}师傅",
                phone=_phone(n),
                phone_hash=keyed_hash(_phone(n)),
                services=[k.value for k in offered],
                prices="；".join(KIND_WORDS[k][1] for k in offered),
                county=county,
                licence=licence,
                state=Application.State.LISTED,
                decided_at=now - datetime.timedelta(days=DAYS + 10),
            )
            for n, name, offered in plans
        ]
    )
    merchants = Merchant.objects.bulk_create(
        [
            Merchant(
                user=user,
                business_name=app.business_name,
                contact_name=app.contact_name,
                phone=app.phone,
                phone_hash=app.phone_hash,
                services=app.services,
                prices=app.prices,
                application=app,
            )
            for user, app in zip(users, applications, strict=True)
        ]
    )
    through = Application.communities.through
    served: list[Place] = []
    rows = []
    for app, merchant in zip(applications, merchants, strict=True):
        served = rng.sample(communities, min(len(communities), rng.choice([1, 2, 3])))
        rows += [through(application_id=app.pk, place_id=p.pk) for p in served]
        merchant.served = served  # type: ignore[attr-defined]
    through.objects.bulk_create(rows)
    quality = {m.pk: rng.uniform(3.6, 4.9) for m in merchants}
    for m in merchants[:POOR]:
        quality[m.pk] = rng.uniform(1.6, 2.3)
    return merchants, quality


def _pending(communities: list[Place], start: int, rng: random.Random) -> None:
    """Three applications waiting for the staff to check them."""
    licence = "marketplace/licences/demo-licence.jpg"
    county = next(p for p in communities[0].ancestors() if p.kind == "county")
    for n in range(3):
        phone = _phone(start + n)
        app = Application.objects.create(
            token=f"demo-pending-{n}",
            business_name=["新家保洁", "万家开锁", "顺心家电"][n],
            contact_name=["周女士", "吴师傅", "郑师傅"][n],
            phone=phone,
            services=[
                [ServiceKind.CLEANING],
                [ServiceKind.LOCKSMITH],
                [ServiceKind.APPLIANCE_REPAIR],
            ][n],
            prices="按实际情况报价",
            county=county,
            licence=licence,
        )
        app.communities.set([rng.choice(communities)])


def _listings(merchants: list[Merchant]) -> list[Listing]:
    at = timezone.now() - datetime.timedelta(days=DAYS + 5)
    return Listing.objects.bulk_create(
        [
            Listing(merchant=m, community=p, listed_at=at)
            for m in merchants
            for p in m.served  # type: ignore[attr-defined]
        ]
    )


def _shoppers(communities: list[Place], rng: random.Random) -> dict[int, list[User]]:
    """Resident accounts (as a phone sign-in makes them) of some households of each community."""
    taken = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    used_names = set(User.objects.values_list("username", flat=True))
    found: dict[int, list[User]] = {}
    made = []
    for community in communities:
        people = (
            Person.objects.filter(
                household__place__code__under=community.code, household__moved_away_on__isnull=True
            )
            .exclude(phone_hash="")
            .exclude(pk__in=taken)
            .exclude(household__place__code__in=demo_residents_homes())
        )
        chosen = []
        for person in people.order_by("pk")[: SHOPPERS_PER_COMMUNITY * 3]:
            name = username_for(person.phone_hash)
            if name in used_names:
                continue
            used_names.add(name)
            chosen.append(
                User(
                    username=name,
                    role=Role.RESIDENT,
                    person=person,
                    first_name=person.name,
                    password=UNUSABLE,
                )
            )
            if len(chosen) == SHOPPERS_PER_COMMUNITY:
                break
        made += chosen
        found[community.pk] = chosen
    User.objects.bulk_create(made)
    return found


def _state(age: datetime.timedelta, rng: random.Random) -> str:
    S = Booking.State
    if age < datetime.timedelta(days=3):
        return rng.choice([S.REQUESTED, S.ACCEPTED, S.PROPOSED])
    return rng.choices([S.RATED, S.DONE, S.CANCELLED, S.DECLINED], weights=[75, 10, 8, 7])[0]


def _bookings(
    listings: list[Listing],
    shoppers: dict[int, list[User]],
    quality: dict[int, float],
    rng: random.Random,
) -> list[Booking]:
    now = timezone.now()
    made = []
    for listing in listings:
        people = shoppers.get(listing.community_id) or []
        if not people:
            continue
        for n in range(rng.randint(4, 16)):
            resident = rng.choice(people)
            assert resident.person is not None  # nosec B101 # chosen from people
            created = now - datetime.timedelta(days=rng.uniform(0, DAYS))
            kind = rng.choice(listing.merchant.services)
            state = _state(now - created, rng)
            wanted = created + datetime.timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 8))
            stars = None
            words = ""
            if state == Booking.State.RATED:
                q = quality[listing.merchant_id]
                stars = max(1, min(5, round(rng.gauss(q, 0.7))))
                words = rng.choice(GOOD_WORDS if stars >= 4 else BAD_WORDS)
            made.append(
                Booking(
                    listing=listing,
                    resident=resident,
                    household_id=resident.person.household_id or 0,
                    token=f"demo-{listing.pk}-{n}",
                    service=kind,
                    wanted_at=wanted,
                    proposed_at=wanted + datetime.timedelta(days=1)
                    if state == Booking.State.PROPOSED
                    else None,
                    problem=KIND_WORDS[ServiceKind(kind)][2],
                    state=state,
                    note="这几天排满了" if state == Booking.State.DECLINED else "",
                    stars=stars,
                    rating_words=words,
                    rated_at=wanted + datetime.timedelta(days=1) if stars else None,
                    created_at=created,
                    updated_at=min(now, wanted + datetime.timedelta(days=1)),
                )
            )
    return Booking.objects.bulk_create(made, batch_size=2000)


def _events(made: list[Booking]) -> None:
    rows = []
    for b in made:
        rows.append(
            BookingEvent(
                booking=b, actor=b.resident, action="book", to_state="requested", at=b.created_at
            )
        )
        if b.state != Booking.State.REQUESTED:
            rows.append(
                BookingEvent(
                    booking=b,
                    action=b.state,
                    from_state="requested",
                    to_state=b.state,
                    at=b.updated_at,
                    note=str(b.stars or ""),
                )
            )
    BookingEvent.objects.bulk_create(rows, batch_size=5000)


def _complaints(merchants: list[Merchant]) -> int:
    """A couple of residents complain of a poorly rated merchant's work: issues of the loop."""
    bad = Booking.objects.filter(
        listing__merchant__in=merchants[:POOR], stars__lte=2
    ).select_related("resident__person__household", "household__place", "listing__merchant")
    made = 0
    for booking in bad.order_by("-rated_at")[:2]:
        booking_services.complain(booking.resident, booking, words="收费比说好的高，问题也没解决")
        made += 1
    return made


def load_marketplace_history(scale: float, rng: random.Random) -> Loaded:
    """Merchants over the county's communities and villages, a year of bookings and ratings,
    three applications to check and a couple of complaints (after the issue history and the
    county office: a complaint is routed like any report)."""
    communities = list(Place.objects.active().filter(kind__in=COMMUNITY_KINDS).order_by("code"))
    if not communities:
        return Loaded(0, 0, 0)
    count = max(6, round(MERCHANTS * scale))
    merchants, quality = _merchants(communities, count, rng)
    _pending(communities, count, rng)
    listings = _listings(merchants)
    made = _bookings(listings, _shoppers(communities, rng), quality, rng)
    _events(made)
    return Loaded(len(merchants), len(made), _complaints(merchants))


def remove_marketplace() -> None:
    """Delete the platform's rows (their accounts stay, like the demo's other accounts)."""
    Booking.objects.all().delete()
    Listing.objects.all().delete()
    Merchant.objects.all().delete()
    Application.objects.all().delete()
