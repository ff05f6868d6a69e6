"""The demo county's volunteer riders (莲乡红骑兵): couriers, delivery riders and drivers living
in the town's communities, each under a grid leader of their community, with the tasks their
communities posted for them and the hours they served."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from sanzhang.people.models import Person
from sanzhang.places.models import Place, PlaceKind
from sanzhang.posts.models import Post, PostKind
from sanzhang.volunteers.models import Signup, Task, Volunteer

RIDERS = 240
TASKS_PER_COMMUNITY = 4
COMPANIES = {
    "courier": ["顺丰", "中通", "邮政"],
    "food_delivery": ["美团", "饿了么"],
    "ride_hail": ["滴滴"],
    "other": [""],
}
TASKS = [
    "为独居老人送菜上门",
    "雨天护送学生过马路",
    "协助社区发放防汛物资",
    "为行动不便老人代取药品",
]


def load_riders(scale: float, rng: random.Random) -> int:
    communities = list(Place.objects.filter(kind=PlaceKind.COMMUNITY).order_by("code"))
    if not communities:
        return 0
    leaders = {
        c.code: list(Post.objects.filter(place__code__under=c.code, kind=PostKind.GRID_LEADER))
        for c in communities
    }
    now = timezone.now()
    per_community = max(1, round(RIDERS * scale / len(communities)))
    riders = []
    for community in communities:
        people = list(
            Person.objects.filter(household__place__code__under=community.code)
            .order_by("pk")
            .values_list("pk", flat=True)[: per_community * 4]
        )
        for person_id in rng.sample(people, min(len(people), per_community)):
            kind = rng.choice(["courier", "food_delivery", "food_delivery", "ride_hail", "other"])
            registered = now - datetime.timedelta(days=rng.randint(30, 400))
            riders.append(
                Volunteer(
                    person_id=person_id,
                    kind=kind,
                    company=rng.choice(COMPANIES[kind]),
                    place=community,
                    leader_post=rng.choice(leaders[community.code]),
                    registered_on=timezone.localdate(registered),
                )
            )
    Volunteer.objects.bulk_create(riders, batch_size=1000)
    by_community: dict[int, list[Volunteer]] = {}
    for rider in Volunteer.objects.all():
        by_community.setdefault(rider.place_id, []).append(rider)
    signups = []
    for community in communities:
        team = by_community.get(community.pk, [])
        for n in range(TASKS_PER_COMMUNITY):
            starts = now - datetime.timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 8))
            joined = rng.sample(team, min(len(team), rng.randint(2, 6)))
            task = Task.objects.create(
                place=community,
                title=TASKS[n % len(TASKS)],
                description="请按时到社区报到。",
                starts_at=starts,
                slots=max(len(joined), 6),
                taken=len(joined),
                is_open=starts > now,
            )
            signups += [
                Signup(task=task, volunteer=v, hours=Decimal(rng.choice(["1", "1.5", "2", "3"])))
                for v in joined
            ]
    Signup.objects.bulk_create(signups, batch_size=1000)
    return len(riders)
