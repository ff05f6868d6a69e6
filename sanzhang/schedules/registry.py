"""The schedules: what runs how often. Code, not data: each names a function."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    function: str  # dotted path of a function taking no arguments and returning a str or int
    every: datetime.timedelta
    # True: every missed period gets its own run after downtime (a daily summary per day);
    # False: only the latest one does (a sweep that covers everything anyway).
    catch_up: bool = False


SCHEDULES = [
    Schedule(
        "escalate_overdue",
        "sanzhang.issues.overdue.escalate_overdue",
        datetime.timedelta(minutes=15),
    ),
    Schedule(
        "sweep_deliveries",
        "sanzhang.notifications.tasks.sweep_pending",
        datetime.timedelta(minutes=5),
    ),
]


def by_name(name: str) -> Schedule:
    return next(s for s in SCHEDULES if s.name == name)
