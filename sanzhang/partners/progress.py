"""How far a unit kept its commitments, counted when read (nothing is stored to go stale).

A commitment is kept by the activities recorded against it; a volunteer-hours commitment also by
what the unit's party members did in the community that year, counted automatically:

- the unit's members are the party members registered in the community (在职党员进社区报到,
  `people.PartyMember`) whose work unit (`work_unit`, free text typed at registration) is the
  unit's name, compared after removing every space (half- or full-width) from both, so
  "县 人民医院" and "县人民医院" match; a different name (an abbreviation) does not;
- their service hours: the hours recorded for them on the volunteer tasks of the community
  (`volunteers.Signup.hours`) whose task started in the year;
- the micro-wishes they claimed in the community and fulfilled in the year (`wishes.Wish`),
  each reckoned as `HOURS_PER_WISH` hours of service.

A commitment's kept share is what was done over its target, at most 100 %; an agreement's is
the mean of its commitments' shares. All of it in Decimal.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from sanzhang.people.models import PartyMember
from sanzhang.places.tree import is_under
from sanzhang.volunteers.models import Signup
from sanzhang.wishes.models import Status, Wish

from .models import Agreement, Commitment, CommitmentKind

HOURS_PER_WISH = Decimal("2")  # the county's reckoning of one fulfilled micro-wish
HUNDRED = Decimal("100")
ZERO = Decimal("0")


@dataclass(frozen=True)
class MemberWork:
    """What the unit's registered party members did in one community in one year."""

    members: int = 0
    hours: Decimal = ZERO
    wishes: int = 0

    @property
    def counted_hours(self) -> Decimal:
        return self.hours + self.wishes * HOURS_PER_WISH


@dataclass
class Line:
    """A commitment with what was recorded, what counted by itself, and the kept share."""

    commitment: Commitment
    recorded: Decimal
    automatic: Decimal = ZERO

    @property
    def done(self) -> Decimal:
        return self.recorded + self.automatic

    @property
    def kept(self) -> Decimal:
        """The share kept, in per cent to one decimal, at most 100."""
        return percent(min(self.done / self.commitment.target, Decimal(1)))


@dataclass
class Progress:
    agreement: Agreement
    lines: list[Line] = field(default_factory=list)
    work: MemberWork = field(default_factory=MemberWork)

    @property
    def kept(self) -> Decimal | None:
        """The mean of the lines' kept shares (None without commitments)."""
        if not self.lines:
            return None
        shares = [min(line.done / line.commitment.target, Decimal(1)) for line in self.lines]
        return percent(sum(shares, ZERO) / len(shares))


def percent(share: Decimal) -> Decimal:
    return (share * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _spaceless(value: str) -> str:
    return "".join(value.split())  # str.split() knows the full-width space too


def progress_of(agreement: Agreement) -> Progress:
    """The agreement's commitments with what was done toward each."""
    return progress_of_many([agreement])[agreement.pk]


def progress_of_many(agreements: list[Agreement]) -> dict[int, Progress]:
    """Progress of many agreements in a handful of queries (the county's overview)."""
    found = {a.pk: Progress(a) for a in agreements}
    commitments = list(
        Commitment.objects.filter(agreement__in=agreements)
        .annotate(recorded=Sum("activities__amount"))
        .order_by("id")
    )
    hours_wanted = {c.agreement_id for c in commitments if c.kind == CommitmentKind.VOLUNTEER_HOURS}
    works = member_work([found[pk].agreement for pk in hours_wanted])
    counted: set[int] = set()
    for commitment in commitments:
        progress = found[commitment.agreement_id]
        line = Line(commitment, commitment.recorded or ZERO)  # type: ignore[attr-defined]
        # The members' hours count once: toward the first volunteer-hours line (by id) only.
        if (
            commitment.kind == CommitmentKind.VOLUNTEER_HOURS
            and commitment.agreement_id not in counted
        ):
            counted.add(commitment.agreement_id)
            progress.work = works[commitment.agreement_id]
            line.automatic = progress.work.counted_hours
        progress.lines.append(line)
    return found


def members_of(agreements: list[Agreement]) -> dict[int, set[int]]:
    """Agreement id → ids of the persons registered in its community whose work unit is the
    agreement's unit's name (spaces aside)."""
    communities = {a.community_id for a in agreements}
    by_unit: dict[tuple[int, str], set[int]] = defaultdict(set)
    rows = (
        PartyMember.objects.filter(community_id__in=communities)
        .exclude(work_unit="")
        .values_list("person_id", "community_id", "work_unit")
    )
    for person_id, community_id, work_unit in rows:
        by_unit[(community_id, _spaceless(work_unit))].add(person_id)
    return {a.pk: by_unit.get((a.community_id, _spaceless(a.unit.name)), set()) for a in agreements}


def member_work(agreements: list[Agreement]) -> dict[int, MemberWork]:
    """Agreement id → what the unit's members did in its community in its year."""
    members = members_of(agreements)
    people = set().union(*members.values()) if members else set()
    if not people:
        return {a.pk: MemberWork() for a in agreements}
    years = {a.year for a in agreements}
    start, end = _year_bounds(min(years))[0], _year_bounds(max(years))[1]
    hours = Signup.objects.filter(
        volunteer__person_id__in=people,
        hours__isnull=False,
        task__starts_at__gte=start,
        task__starts_at__lt=end,
    ).values_list("volunteer__person_id", "task__place__code", "task__starts_at", "hours")
    wishes = Wish.objects.filter(
        Q(status=Status.FULFILLED) | Q(status=Status.CONFIRMED),
        claimer_id__in=people,
        fulfilled_at__gte=start,
        fulfilled_at__lt=end,
    ).values_list("claimer_id", "place__code", "fulfilled_at")
    done, fulfilled = list(hours), list(wishes)
    return {a.pk: _work_of(a, members[a.pk], done, fulfilled) for a in agreements}


def _work_of(
    agreement: Agreement,
    people: set[int],
    hours: list[tuple[int, str, datetime.datetime, Decimal | None]],
    wishes: list[tuple[int, str, datetime.datetime | None]],
) -> MemberWork:
    code, year = agreement.community.code, agreement.year

    def here(person: int, place: str, at: datetime.datetime | None) -> bool:
        # `at` is never None here: the queries asked for a time within the years.
        in_year = at is not None and timezone.localtime(at).year == year
        return in_year and person in people and is_under(place, code)

    total = sum((h or ZERO for p, c, at, h in hours if here(p, c, at)), ZERO)
    count = sum(1 for p, c, at in wishes if here(p, c, at))
    return MemberWork(members=len(people), hours=total, wishes=count)


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=zone)
