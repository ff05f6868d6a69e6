"""Periods of time for balances, rankings and caps: months, quarters, years and custom spans
of local days, each read as [start, end) in the county's time zone."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """Local days from `start` up to, not including, `end`; `key` names it in a URL."""

    start: datetime.date
    end: datetime.date
    key: str
    label: str

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        return local_midnight(self.start), local_midnight(self.end)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month(year: int, number: int) -> Period:
    start = datetime.date(year, number, 1)
    label = _("%(year)d-%(month)02d") % {"year": year, "month": number}
    return Period(start, _add_months(start, 1), f"{year}-{number:02d}", label)


def quarter(year: int, number: int) -> Period:
    start = datetime.date(year, 3 * number - 2, 1)
    label = _("%(year)d Q%(quarter)d") % {"year": year, "quarter": number}
    return Period(start, _add_months(start, 3), f"{year}-Q{number}", label)


def year(number: int) -> Period:
    start = datetime.date(number, 1, 1)
    return Period(start, datetime.date(number + 1, 1, 1), str(number), str(number))


def custom(first: datetime.date, last: datetime.date) -> Period:
    key = f"{first:%Y-%m-%d}..{last:%Y-%m-%d}"
    return Period(first, last + datetime.timedelta(days=1), key, f"{first} – {last}")


def parse(key: str) -> Period | None:
    """The period a key names (2026-03, 2026-Q1, 2026, 2026-01-05..2026-02-04), or None."""
    try:
        if found := _MONTH.match(key):
            return month(int(found[1]), int(found[2]))
        if found := _QUARTER.match(key):
            return quarter(int(found[1]), int(found[2]))
        if found := _YEAR.match(key):
            return year(int(found[1]))
        first, _sep, last = key.partition("..")
        start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    except ValueError:
        return None
    return custom(start, end) if start <= end else None


def containing(kind: str, day: datetime.date) -> Period:
    """The day, week (from Monday), month or year that holds `day`."""
    if kind == "day":
        return custom(day, day)
    if kind == "week":
        monday = day - datetime.timedelta(days=day.weekday())
        return custom(monday, monday + datetime.timedelta(days=6))
    if kind == "month":
        return month(day.year, day.month)
    return year(day.year)


def choices(today: datetime.date) -> list[Period]:
    """What the period menu offers: the last 12 months, the last 4 quarters, 3 years."""
    months = [_add_months(today.replace(day=1), -n) for n in range(12)]
    this_quarter = (today.month - 1) // 3
    quarters = [
        quarter(index // 4, index % 4 + 1)
        for index in range(today.year * 4 + this_quarter, today.year * 4 + this_quarter - 4, -1)
    ]
    years = [year(today.year - n) for n in range(3)]
    return [month(m.year, m.month) for m in months] + quarters + years
