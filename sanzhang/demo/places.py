"""The demo county's place tree, with the seed's own figures (DOMAIN.md), built level by level."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sanzhang.places.models import Place, PlaceEvent, PlaceKind

CENTRE = (26.838, 116.325)  # 广昌县城
COMMUNITY_NAMES = [
    "旴江社区",
    "莲花社区",
    "建设社区",
    "广昌社区",
    "东街社区",
    "西街社区",
    "南门社区",
    "北门社区",
    "城东社区",
    "城西社区",
]
TOWNSHIPS = [
    "旴江镇",
    "头陂镇",
    "赤水镇",
    "驿前镇",
    "甘竹镇",
    "千善乡",
    "水南圩乡",
    "长桥乡",
    "杨溪乡",
    "塘坊乡",
    "尖峰乡",
]
VILLAGE_HEADS = "高上下东西南北大小新老中前后坪岭坑塘湖田"
VILLAGE_TAILS = "坊源口桥洲湾坑岗背村家埠"
GROUP_NAMES = (
    "上屋",
    "下屋",
    "新屋",
    "老屋",
    "中村",
    "前村",
    "后村",
    "坪上",
    "岭下",
    "塘边",
    "田心",
    "湾里",
    "桥头",
    "洲上",
    "大坪",
    "山背",
)
NUMERALS = "一二三四五六七八九十"

# The seed's figures at scale 1.
FIGURES = {
    "communities": 10,
    "urban_grids": 68,
    "buildings": 646,
    "units": 1841,
    "districts": 11,
    "areas": 129,
    "rural_grids": 2221,
}


@dataclass
class DemoTree:
    county: Place
    communities: list[Place] = field(default_factory=list)
    urban_grids: list[Place] = field(default_factory=list)
    buildings: list[Place] = field(default_factory=list)
    units: list[Place] = field(default_factory=list)
    districts: list[Place] = field(default_factory=list)
    areas: list[Place] = field(default_factory=list)
    rural_grids: list[Place] = field(default_factory=list)


def up(place: Place) -> Place:
    """The parent, held in memory since the tree was built (no query)."""
    assert place.parent is not None  # nosec B101 # for mypy: called only on places below the county
    return place.parent


def scaled(name: str, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(FIGURES[name] * scale))


def spread(total: int, parents: Sequence[Place], rng: random.Random) -> list[Place]:
    """Assign `total` children to parents: every parent gets one, the rest at random."""
    owners = list(parents) + [rng.choice(parents) for _ in range(total - len(parents))]
    return sorted(owners, key=lambda parent: parent.code)


def cn_number(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def _near(parent: Place, rng: random.Random, spread_deg: float) -> tuple[float, float]:
    lat, lng = parent.centre_lat or CENTRE[0], parent.centre_lng or CENTRE[1]
    return lat + rng.uniform(-spread_deg, spread_deg), lng + rng.uniform(-spread_deg, spread_deg)


def _child(parent: Place, kind: str, segment: str, name: str, point: tuple[float, float]) -> Place:
    return Place(
        parent=parent,
        kind=kind,
        code=f"{parent.code}.{segment}",
        name=name,
        depth=parent.depth + 1,
        is_rural=parent.is_rural or kind == PlaceKind.DISTRICT,
        centre_lat=round(point[0], 6),
        centre_lng=round(point[1], 6),
        boundary=_square(point) if kind == PlaceKind.GRID else None,
    )


def _square(point: tuple[float, float], half: float = 0.0015) -> dict:
    """A demo grid's boundary: a small square around its centre (real ones are imported)."""
    lat, lng = round(point[0], 6), round(point[1], 6)
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _save(places: list[Place]) -> list[Place]:
    created = Place.objects.bulk_create(places, batch_size=2000)
    PlaceEvent.objects.bulk_create(
        (
            PlaceEvent(place=p, action=PlaceEvent.Action.CREATED, after={"code": p.code})
            for p in created
        ),
        batch_size=2000,
    )
    return created


def _children(
    parents: Sequence[Place],
    total: int,
    rng: random.Random,
    make: Callable[[Place, int], tuple[str, str, str]],
    spread_deg: float,
) -> list[Place]:
    """`total` children over `parents`, numbered from 1 within each parent."""
    counters: dict[int, int] = {}
    places = []
    for parent in spread(total, parents, rng):
        n = counters[id(parent)] = counters.get(id(parent), 0) + 1
        segment, kind, name = make(parent, n)
        places.append(_child(parent, kind, segment, name, _near(parent, rng, spread_deg)))
    return _save(places)


def build_tree(scale: float, rng: random.Random) -> DemoTree:
    top = Place(kind=PlaceKind.COUNTY, code="GC", name="广昌县", depth=0)
    top.centre_lat, top.centre_lng = CENTRE
    county = _save([top])[0]
    tree = DemoTree(county=county)
    n_communities = min(scaled("communities", scale), len(COMMUNITY_NAMES))
    tree.communities = _save(
        [
            _child(county, PlaceKind.COMMUNITY, f"C{i + 1:02d}", name, _near(county, rng, 0.01))
            for i, name in enumerate(COMMUNITY_NAMES[:n_communities])
        ]
    )
    tree.urban_grids = _children(
        tree.communities,
        scaled("urban_grids", scale),
        rng,
        lambda p, n: (f"G{n:02d}", PlaceKind.GRID, f"第{cn_number(n)}网格"),
        0.004,
    )
    tree.buildings = _children(
        tree.urban_grids,
        scaled("buildings", scale),
        rng,
        lambda p, n: (f"B{n:03d}", PlaceKind.BUILDING, f"{n}栋"),
        0.001,
    )
    tree.units = _children(
        tree.buildings,
        scaled("units", scale),
        rng,
        lambda p, n: (f"U{n}", PlaceKind.UNIT, f"{n}单元"),
        0.0001,
    )
    build_rural(tree, scale, rng)
    return tree


def _village_namer(rng: random.Random) -> Callable[[], str]:
    """Village names, unique in the county (the heads and tails give 228 of them)."""
    used: set[str] = set()

    def name() -> str:
        for _ in range(1000):
            candidate = rng.choice(VILLAGE_HEADS) + rng.choice(VILLAGE_TAILS) + "村"
            if candidate not in used:
                used.add(candidate)
                return candidate
        return f"第{len(used) + 1}村"

    return name


def build_rural(tree: DemoTree, scale: float, rng: random.Random) -> None:
    n_districts = min(scaled("districts", scale), len(TOWNSHIPS))
    county = tree.county
    tree.districts = _save(
        [
            _child(county, PlaceKind.DISTRICT, f"D{i + 1:02d}", name, _near(county, rng, 0.15))
            for i, name in enumerate(TOWNSHIPS[:n_districts])
        ]
    )
    village_name = _village_namer(rng)
    tree.areas = _children(
        tree.districts,
        scaled("areas", scale),
        rng,
        lambda p, n: (f"A{n:02d}", PlaceKind.AREA, village_name()),
        0.04,
    )
    tree.rural_grids = _children(
        tree.areas,
        scaled("rural_grids", scale),
        rng,
        lambda p, n: (f"G{n:02d}", PlaceKind.GRID, rng.choice(GROUP_NAMES) + cn_number(n) + "组"),
        0.01,
    )
