"""Terms (任期): the county sets how long each kind of post is held; the terms ending within a
month are listed to the community staff, and each is reminded to them once in their notices."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sanzhang.access.actor import Actor
from sanzhang.access.scope import scope_codes, scope_filter
from sanzhang.notifications.services import tell
from sanzhang.people.models import Role, User
from sanzhang.places.tree import is_under, lineage
from sanzhang.posts.models import PostRule, Tenure

from .models import RotationPlan

# How far ahead a term's end is listed and reminded (一个月内届满).
AHEAD = datetime.timedelta(days=31)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class EndingTerm:
    tenure: Tenure
    ends_on: datetime.date
    plan: RotationPlan | None
    reserve: Tenure | None
    overdue: bool  # the term has ended and the holder still serves


def ending_among(
    holders: QuerySet[Tenure], today: datetime.date, within: list[str] | None = None
) -> list[tuple[Tenure, datetime.date]]:
    """Current holders whose term (by their county's rule) ends by `today` + AHEAD; only the
    rules of the counties over or under the codes `within` are read (None: every county's)."""
    horizon = today + AHEAD
    chosen = PostRule.objects.filter(term_months__isnull=False).select_related("county")
    if within is not None:
        near = Q(county__code__in={a for code in within for a in lineage(code)})
        for code in within:
            near |= Q(county__code__under=code)
        chosen = chosen.filter(near)
    rules = list(chosen)
    if not rules:
        return []
    # In the database: started early enough that the term can end by the horizon (three days'
    # slack: a start on the 31st ends on the 28th, add_months clamps); exactly below.
    started = Q()
    for rule in rules:
        assert rule.term_months is not None  # nosec B101 # filtered above; for mypy
        started |= Q(
            post__kind=rule.kind,
            post__place__code__under=rule.county.code,
            started_on__lte=add_months(horizon, -rule.term_months) + datetime.timedelta(days=3),
        )
    months = {(rule.county.code, rule.kind): rule.term_months for rule in rules}
    found = []
    for tenure in holders.filter(started).select_related("post__place", "person"):
        term = next(
            (
                m
                for (county, kind), m in months.items()
                if kind == tenure.post.kind and is_under(tenure.post.place.code, county)
            ),
            None,
        )
        if term is not None and (ends_on := add_months(tenure.started_on, term)) <= horizon:
            found.append((tenure, ends_on))
    found.sort(key=lambda pair: (pair[1], pair[0].post.place.code))
    return found


def terms_ending(user: Actor, today: datetime.date | None = None) -> list[EndingTerm]:
    """The user's area's holders whose term ends within a month (or has ended while they
    still serve), earliest first, each with the rotation planned for the post and its reserve."""
    today = today or timezone.localdate()
    holders = Tenure.objects.current().filter(
        scope_filter(user, "post__place__code"), role=Tenure.Role.HOLDER
    )
    ending = ending_among(holders, today, scope_codes(user))
    posts = [tenure.post_id for tenure, _ in ending]
    plans = {
        plan.post_id: plan
        for plan in RotationPlan.objects.filter(
            post_id__in=posts, state=RotationPlan.State.PLANNED
        ).select_related("incoming")
    }
    reserves = {
        tenure.post_id: tenure
        for tenure in Tenure.objects.current()
        .filter(post_id__in=posts, role=Tenure.Role.RESERVE)
        .select_related("person")
    }
    return [
        EndingTerm(
            tenure,
            ends_on,
            plans.get(tenure.post_id),
            reserves.get(tenure.post_id),
            overdue=ends_on < today,
        )
        for tenure, ends_on in ending
    ]


def remind_terms_ending(today: datetime.date | None = None) -> int:
    """Tell the community or village staff over each post whose holder's term ends within a
    month, once per term (the notice's subject names the tenure and the day); returns how many
    staff were told."""
    today = today or timezone.localdate()
    ending = ending_among(Tenure.objects.current().filter(role=Tenure.Role.HOLDER), today)
    planned = set(
        RotationPlan.objects.filter(state=RotationPlan.State.PLANNED).values_list(
            "post_id", flat=True
        )
    )
    ending = [(tenure, ends_on) for tenure, ends_on in ending if tenure.post_id not in planned]
    codes = {code for tenure, _ in ending for code in lineage(tenure.post.place.code)}
    staff: dict[str, dict[int, str]] = defaultdict(dict)
    for pk, code in User.objects.filter(
        role=Role.COMMUNITY_STAFF, is_active=True, organisation__place__code__in=codes
    ).values_list("pk", "organisation__place__code"):
        staff[code][pk] = "staff"
    told = 0
    link = reverse("rotation:home")
    for tenure, ends_on in ending:
        readers: dict[int, str] = {}
        for code in lineage(tenure.post.place.code):
            readers.update(staff.get(code, {}))
        if not readers:
            continue
        with override("zh-hans"):  # notices keep their words as written
            text = _(
                "%(name)s's term as %(post)s of %(place)s ends on %(date)s: plan the rotation."
            ) % {
                "name": tenure.person.name,
                "post": tenure.post.get_kind_display(),
                "place": tenure.post.place.name,
                "date": ends_on.isoformat(),
            }
        told += tell(
            subject=f"term:{tenure.pk}:{ends_on:%Y%m%d}",
            text=text,
            link=link,
            place_code=tenure.post.place.code,
            readers=readers,
            channels=False,  # staff's own notices, not the group chats over the place
        )
    return told
