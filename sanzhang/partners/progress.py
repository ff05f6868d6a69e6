"""How far a unit kept its commitments, counted when read (nothing is stored to go stale).

A commitment is kept by the activities recorded against it; a volunteer-hours commitment also by
what the unit's party members did in the community that year, counted automatically:

- the unit's members are the party members registered in the community (在职党员进社区报到,
  `people.PartyMember`) whose work unit (`work_unit`, free text typed at registration) is the
  unit's name, compared after removing every space (half- or full-width) on both sides, so
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
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum, Value
from django.db.models.functions import Replace
from django.utils import timezone

from sanzhang.people.models import PartyMember
from sanzhang.places.models import Place
from sanzhang.volunteers.models import Signup
from sanzhang.wishes.models import Status, Wish

from .models import Agreement, Commitment, CommitmentKind, Unit

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
    return "".join(value.split())


def members_of(unit: Unit, community: Place) -> list[int]:
    """Ids of the persons registered in `community` whose work unit is the unit's name."""
    name = _spaceless(unit.name)
    spaceless = Replace(Replace("work_unit", Value(" "), Value("")), Value("\u3000"), Value(""))
    return list(
        PartyMember.objects.filter(community=community)
        .annotate(unit_name=spaceless)
        .filter(unit_name=name)
        .values_list("person_id", flat=True)
    )


def member_work(unit: Unit, community: Place, year: int) -> MemberWork:
    people = members_of(unit, community)
    if not people:
        return MemberWork()
    start, end = _year_bounds(year)
    hours = Signup.objects.filter(
        volunteer__person_id__in=people,
        task__place__code__under=community.code,
        task__starts_at__gte=start,
        task__starts_at__lt=end,
        hours__isnull=False,
    ).aggregate(total=Sum("hours"))["total"]
    wishes = Wish.objects.filter(
        Q(status=Status.FULFILLED) | Q(status=Status.CONFIRMED),
        claimer_id__in=people,
        place__code__under=community.code,
        fulfilled_at__gte=start,
        fulfilled_at__lt=end,
    ).count()
    return MemberWork(members=len(people), hours=hours or ZERO, wishes=wishes)


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def progress_of(agreement: Agreement) -> Progress:
    """The agreement's commitments with what was done toward each."""
    commitments = list(agreement.commitments.annotate(recorded=Sum("activities__amount")))
    found = Progress(agreement)
    if any(c.kind == CommitmentKind.VOLUNTEER_HOURS for c in commitments):
        found.work = member_work(agreement.unit, agreement.community, agreement.year)
    for commitment in commitments:
        line = Line(commitment, commitment.recorded or ZERO)  # type: ignore[attr-defined]
        if commitment.kind == CommitmentKind.VOLUNTEER_HOURS:
            line.automatic = found.work.counted_hours
        found.lines.append(line)
    return found
