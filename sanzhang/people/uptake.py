"""How far the county has come in: households with at least one member holding an account
(每户至少一人), and party members registered at their community (在职党员进社区报到), for
any set of places, each counting everything beneath it."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from sanzhang.places.tree import lineage

from .models import Household, PartyMember


@dataclass(frozen=True)
class Uptake:
    households: int = 0
    households_registered: int = 0
    party_members: int = 0

    @property
    def registered_percent(self) -> int:
        """The share of households with an account, in whole percent (0 with no households)."""
        if not self.households:
            return 0
        return round(100 * self.households_registered / self.households)

    def as_figures(self) -> dict[str, int]:
        return {
            "households": self.households,
            "households_registered": self.households_registered,
            "party_members": self.party_members,
        }


def _subtree(under: str | None, at: datetime.datetime | None) -> tuple[QuerySet, QuerySet, Q]:
    """The households and party members counted (of the subtree `under`, as they stood at
    `at` when given), and what makes a household one with an account."""
    households = Household.objects.all()
    members = PartyMember.objects.all()
    if under:
        households = households.filter(place__code__under=under)
        members = members.filter(community__code__under=under)
    if at is None:
        households = households.filter(moved_away_on__isnull=True)
        return households, members, Q(members__user__isnull=False)
    households = households.filter(
        Q(moved_away_on__isnull=True) | Q(moved_away_on__gte=at.date()), created_at__lt=at
    )
    members = members.filter(registered_on__lt=at.date())
    return households, members, Q(members__user__date_joined__lt=at)


def uptake_counted(under: str | None) -> dict[str, QuerySet]:
    """For one subtree now: each figure of Uptake as the rows of a queryset, to be counted
    with other figures in one query (a dashboard's)."""
    households, members, account = _subtree(under, None)
    return {
        "households": households,
        "households_registered": households.filter(account).distinct(),
        "party_members": members,
    }


def uptake(
    codes: Iterable[str], *, under: str | None = None, at: datetime.datetime | None = None
) -> dict[str, Uptake]:
    """Code → figures for each place of `codes` (reading only the subtree `under`, when
    given). With `at`, as things stood then as far as the records tell: accounts made and
    registrations dated before it, households not yet moved away."""
    wanted = set(codes)
    households, members, account = _subtree(under, at)
    # One row per bottom place, then rolled up: far fewer rows than households.
    per_place = households.values_list("place__code").annotate(
        total=Count("pk", distinct=True), registered=Count("pk", filter=account, distinct=True)
    )
    total: Counter[str] = Counter()
    registered: Counter[str] = Counter()
    for code, count, with_account in per_place:
        for up in lineage(code):
            if up in wanted:
                total[up] += count
                registered[up] += with_account
    party: Counter[str] = Counter()
    for code, count in members.values_list("community__code").annotate(n=Count("pk")):
        for up in lineage(code):
            if up in wanted:
                party[up] += count
    return {code: Uptake(total[code], registered[code], party[code]) for code in wanted}
