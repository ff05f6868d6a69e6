"""The demo county's announcements (上传下达) over the past year: the county office's to the whole
county (a flood warning in the rainy season among them), each community's and township's to its
residents, and some grid leaders' to their grids; with the receipts of the households that read
them (a share of the households, as many as have accounts) and, for the urgent ones, of the
households the grid leaders told at the door. Bulk-created; everything is already pushed."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from sanzhang.announcements.models import Announcement, Receipt
from sanzhang.people.models import Household, Organisation, Role, User
from sanzhang.places.models import Place, PlaceKind
from sanzhang.posts.models import PostKind, Tenure

from .issues import IMPORTER

DAYS = 365
# Receipts are written for the last RECEIPT_DAYS' announcements only: a year's would be a few
# hundred thousand rows, and the demo must load in about a minute.
RECEIPT_DAYS = 90
READ_SHARE = 0.2  # households that read an announcement in the app
DOOR_SHARE = 0.5  # of the rest, told at the door after an urgent one
OFFICE_EVERY = 45  # days between the office's announcements
LOCAL_PER_YEAR = 4  # a community's or township's announcements a year
GRID_SHARE = 0.1  # grids whose leader posts
GRID_PER_YEAR = 3

COUNTY_NOTICES = [
    (
        "防汛紧急通知",
        "今晚至明晨有大暴雨，低洼地带和一楼住户请做好转移准备，有困难请联系网格长。",
        True,
    ),
    ("冬季防火安全提示", "天干物燥，请安全用电用火，不在楼道堆放杂物，电动车不进楼入户。", False),
    ("医保参保缴费提醒", "城乡居民医保缴费已开始，请于年底前通过手机或到社区办理。", False),
    ("三长联动工作告居民书", "有事找三长：单元长、楼栋长、网格长的电话已在便民公示牌公布。", False),
    (
        "高温天气防暑提示",
        "近期持续高温，请老人儿童减少午间外出，社区党群服务中心开放纳凉点。",
        False,
    ),
    ("寒潮预警", "未来三天强降温，请注意防寒保暖，独居老人家中请检查取暖设施。", True),
]
LOCAL_NOTICES = [
    ("停水通知", "因管网检修，本周六8:00至18:00停水，请提前储水。"),
    ("莲心议事会议题征集", "本月议事会将讨论小区停车问题，欢迎居民向网格长反映意见。"),
    ("夜间课堂开课通知", "本周四晚七点半在党群服务中心开设夜间课堂，欢迎党员群众参加。"),
    ("垃圾分类宣传", "请按可回收物、有害垃圾、厨余垃圾、其他垃圾分类投放。"),
    ("免费体检通知", "65岁以上老人免费体检，请携带身份证到卫生服务站。"),
    ("文明城市创建倡议", "请爱护公共环境，不乱停乱放，共同建设美好家园。"),
]
GRID_NOTICES = [
    ("楼道清理通知", "本周末集中清理楼道杂物，请各户配合。"),
    ("电梯维保通知", "明天上午电梯维保，请错峰出行。"),
    ("燃气安全入户检查", "下周将入户检查燃气安全，请家中留人。"),
]


def _at(rng: random.Random, day: int) -> datetime.datetime:
    start = timezone.now() - datetime.timedelta(days=DAYS - day)
    return start.replace(hour=rng.randint(8, 20), minute=rng.randrange(60), second=0)


class _Builder:
    def __init__(self, rng: random.Random, author: User) -> None:
        self.rng = rng
        self.author = author
        self.made: list[tuple[Announcement, list[int]]] = []
        self.homes: dict[str, list[int]] = {}

    def households(self, place: Place) -> list[int]:
        if place.code not in self.homes:
            found = Household.objects.filter(
                place__code__under=place.code, moved_away_on__isnull=True
            )
            self.homes[place.code] = list(found.values_list("pk", flat=True))
        return self.homes[place.code]

    def add(self, place: Place, signed: str, notice: tuple[str, str, bool], day: int) -> None:
        title, body, urgent = notice
        homes = self.households(place)
        at = _at(self.rng, day)
        row = Announcement(
            place=place,
            title=title,
            body=body,
            urgent=urgent,
            author=self.author,
            signed=signed[:100],
            published_at=at,
            until=timezone.localdate(at) + datetime.timedelta(days=14),
            audience_size=len(homes),
            pushed_at=at,
        )
        self.made.append((row, homes))


def _office(builder: _Builder, county: Place) -> None:
    office = Organisation.objects.filter(kind=Organisation.Kind.COUNTY_OFFICE).first()
    signed = office.name if office else f"{county.name}三长办"
    for n, day in enumerate(range(10, DAYS, OFFICE_EVERY)):
        builder.add(county, signed, COUNTY_NOTICES[n % len(COUNTY_NOTICES)], day)


def _local(builder: _Builder) -> None:
    places = Place.objects.filter(kind__in=[PlaceKind.COMMUNITY, PlaceKind.DISTRICT]).order_by(
        "code"
    )
    for place in places:
        for n in range(LOCAL_PER_YEAR):
            title, body = LOCAL_NOTICES[(n + place.pk) % len(LOCAL_NOTICES)]
            day = builder.rng.randrange(DAYS - 1)
            builder.add(place, f"{place.name}居委会", (title, body, False), day)


def _grids(builder: _Builder, share: float) -> None:
    led = (
        Tenure.objects.current()
        .filter(role=Tenure.Role.HOLDER, post__kind=PostKind.GRID_LEADER)
        .select_related("post__place")
        .order_by("post__place__code")
    )
    kind = str(PostKind.GRID_LEADER.label)
    for tenure in led:
        if builder.rng.random() >= share:
            continue
        grid = tenure.post.place
        for _ in range(GRID_PER_YEAR):
            title, body = builder.rng.choice(GRID_NOTICES)
            urgent = builder.rng.random() < 0.25
            day = builder.rng.randrange(DAYS - 1)
            builder.add(grid, f"{grid.name}{kind}", (title, body, urgent), day)


def _receipts(builder: _Builder, announcements: list[Announcement]) -> list[Receipt]:
    rng, now, made = builder.rng, timezone.now(), []
    since = now - datetime.timedelta(days=RECEIPT_DAYS)
    for announcement, (_row, homes) in zip(announcements, builder.made, strict=True):
        if announcement.published_at < since:
            continue
        for household_id in homes:
            pick = rng.random()
            door = announcement.urgent and pick < READ_SHARE + (1 - READ_SHARE) * DOOR_SHARE
            if pick >= READ_SHARE and not door:
                continue
            how = Receipt.How.READ if pick < READ_SHARE else Receipt.How.AT_THE_DOOR
            hours = rng.uniform(0.2, 72) if how == Receipt.How.READ else rng.uniform(2, 24)
            at = min(announcement.published_at + datetime.timedelta(hours=hours), now)
            made.append(
                Receipt(announcement=announcement, household_id=household_id, how=how, at=at)
            )
    return Receipt.objects.bulk_create(made, batch_size=5000)


def load_announcements_history(rng: random.Random, grid_share: float = GRID_SHARE) -> int:
    """A year of announcements by the office, the communities and townships and the leaders of
    `grid_share` of the grids, with their receipts; returns the number of announcements. Posted
    as the history import account (the demo's logins come later), signed as residents read it."""
    author, _created = User.objects.get_or_create(
        username=IMPORTER,
        defaults={"role": Role.COUNTY_OFFICE, "is_active": False, "first_name": "历史记录导入"},
    )
    builder = _Builder(rng, author)
    county = Place.objects.filter(kind=PlaceKind.COUNTY).order_by("code").first()
    if county is None:
        return 0
    _office(builder, county)
    _local(builder)
    _grids(builder, grid_share)
    announcements = Announcement.objects.bulk_create([row for row, _homes in builder.made])
    _receipts(builder, announcements)
    return len(announcements)


def remove_announcements() -> None:
    """For `remove_demo`, before the households and places go."""
    Receipt.objects.all().delete()
    Announcement.objects.all().delete()
