"""Working days in the county's calendar: weekdays, less holidays, plus weekend days worked
(调休), as the county office enters them. A place's calendar is the install's days plus its
province's and its county's, the nearest row winning for a date (`jurisdiction.layered`);
without a place, the install's days alone."""

from __future__ import annotations

import datetime

from . import rulebook


def _overrides(
    start: datetime.date, end: datetime.date, code: str | None = None
) -> dict[datetime.date, bool]:
    return rulebook.holidays(start, end, code)


def is_working_day(
    day: datetime.date,
    overrides: dict[datetime.date, bool] | None = None,
    *,
    code: str | None = None,
) -> bool:
    if overrides is None:
        overrides = _overrides(day, day, code)
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def add_working_days(
    start: datetime.datetime, days: int, *, code: str | None = None
) -> datetime.datetime:
    """The same time of day `days` working days after `start` in the calendar of the place
    with `code` (one query for the calendar).

    A deadline counted from a day off counts from the next working day, as staff do.
    """
    # Long national holidays are at most ~9 days; three times the span covers any run of them.
    horizon = start.date() + datetime.timedelta(days=days * 3 + 21)
    overrides = _overrides(start.date(), horizon, code)
    day = start.date()
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, overrides):
            remaining -= 1
    return start + datetime.timedelta(days=(day - start.date()).days)


def working_days_between(
    start: datetime.date, end: datetime.date, *, code: str | None = None
) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end, code)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day, overrides)
    return count
