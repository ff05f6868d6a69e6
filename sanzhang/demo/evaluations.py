"""The demo county's public evaluation (党群评议): last quarter's, closed, with evaluations from
about one resident in twenty of the holders over their home (most satisfied, as the seed's
figures suggest), the counts kept at closing and points for the well rated under a default rule.

Votes are keyed on the voter person (most demo residents have no account): one person, one
evaluation of each holder. Bulk inserts; the closing goes through the service's own counting.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from sanzhang.evaluations import services
from sanzhang.evaluations.models import Choice, Evaluation, Period, Result, State
from sanzhang.people.models import Person
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import lineage
from sanzhang.points.models import Cause, PointRule
from sanzhang.posts.models import Tenure

VOTER_SHARE = 0.05  # of the residents, each evaluating every holder over their home
COMMENT_SHARE = 0.15
RULE_POINTS = 5
COMMENTS = {
    Choice.SATISFIED: [
        "很负责，常来走访",
        "有事找他很及时",
        "热心肠，办事靠谱",
        "楼道的事都管得好",
    ],
    Choice.BASIC: ["总体不错，希望多来看看", "反映的问题解决得有点慢", "电话有时打不通"],
    Choice.UNSATISFIED: ["很少见到人", "反映的问题一直没解决", "态度不太好"],
}
QUARTER_NAMES = ["一", "二", "三", "四"]


def last_quarter(today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The quarter before the one `today` lies in: its title and first and last days."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    ends_on = datetime.date(today.year, first_month, 1) - datetime.timedelta(days=1)
    starts_on = datetime.date(ends_on.year, ends_on.month - 2, 1)
    title = f"{ends_on.year}年第{QUARTER_NAMES[(ends_on.month - 1) // 3]}季度"
    return title, starts_on, ends_on


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone()
    )


def _holders(ends_on: datetime.date) -> dict[str, list[tuple[int, int]]]:
    """Place code → (tenure id, person id) of the holders there during the quarter."""
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    tenures = Tenure.objects.current().filter(role=Tenure.Role.HOLDER, started_on__lte=ends_on)
    for tenure_id, person_id, code in tenures.values_list(
        "pk", "person_id", "post__place__code"
    ).order_by("pk"):
        found[code].append((tenure_id, person_id))
    return found


def load_evaluation_history(rng: random.Random) -> None:
    county = Place.objects.filter(kind=PlaceKind.COUNTY).order_by("depth", "code").first()
    if county is None:
        return
    title, starts_on, ends_on = last_quarter(timezone.localdate())
    closed_at = _at(ends_on + datetime.timedelta(days=5), 10)
    period = Period.objects.create(
        place=county,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        state=State.OPEN,  # closed below, through the service's counting
    )
    holders = _holders(ends_on)
    # How each holder is seen: most well, a few poorly (the seed's 满意率 is high).
    liking = {
        tenure_id: rng.choice([0.95, 0.9, 0.85, 0.8, 0.7, 0.5])
        for rows in holders.values()
        for tenure_id, _ in rows
    }
    residents = list(
        Person.objects.filter(household__isnull=False, household__place__code__under=county.code)
        .values_list("pk", "household__place__code")
        .order_by("pk")
    )
    voters = rng.sample(residents, round(len(residents) * VOTER_SHARE))
    days = (ends_on - starts_on).days
    votes = []
    for person_id, home in voters:
        for code in lineage(home):
            for tenure_id, holder_id in holders.get(code, []):
                if holder_id == person_id:
                    continue  # nobody evaluates themselves
                draw, like = rng.random(), liking[tenure_id]
                choice = (
                    Choice.SATISFIED
                    if draw < like
                    else Choice.BASIC
                    if draw < like + (1 - like) * 0.6
                    else Choice.UNSATISFIED
                )
                comment = rng.choice(COMMENTS[choice]) if rng.random() < COMMENT_SHARE else ""
                day = starts_on + datetime.timedelta(days=rng.randrange(days + 1))
                votes.append(
                    Evaluation(
                        period=period,
                        tenure_id=tenure_id,
                        voter_id=person_id,
                        choice=choice,
                        comment=comment,
                        at=_at(day, rng.randrange(8, 21), rng.randrange(60)),
                    )
                )
    Evaluation.objects.bulk_create(votes, batch_size=2000)
    _close(period, closed_at)


def _close(period: Period, closed_at: datetime.datetime) -> None:
    """Closed as the office closes one (no office account in the demo), under a default rule
    for the cause when the county has none."""
    if not PointRule.objects.filter(
        cause=Cause.EVALUATION_SATISFIED, place__isnull=True, valid_to__isnull=True
    ).exists():
        PointRule.objects.create(
            cause=Cause.EVALUATION_SATISFIED,
            points=RULE_POINTS,
            valid_from=period.starts_on,
            note="党群评议满意率达标的三长",
        )
    services.settle(period, closed_at)


def remove_evaluations() -> None:
    """For removing the demo: votes and results name people and tenures (PROTECT)."""
    Result.objects.all().delete()
    Evaluation.objects.all().delete()
    Period.objects.all().delete()
