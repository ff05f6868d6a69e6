"""Step deadlines: how long an issue of a tier may stay in a step, in working days."""

from __future__ import annotations

import datetime

from . import rulebook
from .calendar import add_working_days
from .models import State, Tier

# Used when the county office has not set a step (and seeded by migration 0002).
DEFAULT_WORKING_DAYS: dict[str, dict[str, int]] = {
    Tier.SIMPLE: {
        State.REPORTED: 1,
        State.ASSIGNED: 1,
        State.IN_PROGRESS: 3,
        State.HANDLED: 1,
        State.INSPECTED: 1,
        State.FED_BACK: 5,
    },
    Tier.COMPLEX: {
        State.REPORTED: 1,
        State.ASSIGNED: 2,
        State.IN_PROGRESS: 7,
        State.HANDLED: 2,
        State.INSPECTED: 1,
        State.FED_BACK: 5,
    },
    Tier.HARD: {
        State.REPORTED: 10,
        State.ASSIGNED: 2,
        State.IN_PROGRESS: 20,
        State.HANDLED: 3,
        State.INSPECTED: 2,
        State.FED_BACK: 5,
    },
}


def working_days_for(tier: str, state: str, code: str | None = None) -> int | None:
    """The step's working days at the place with `code`: the nearest jurisdiction's row for
    this tier and step (the county's, the province's, the default), else the built-in."""
    days = rulebook.working_days(tier, state, code)
    if days is not None:
        return days
    return DEFAULT_WORKING_DAYS.get(tier, {}).get(state)


def due_at(
    tier: str, state: str, start: datetime.datetime, *, code: str | None = None
) -> datetime.datetime | None:
    """When an issue entering `state` at `start` is due to leave it; None for final steps.
    `code` is the issue's place: its county's deadlines and calendar apply."""
    days = working_days_for(tier, state, code)
    if not days:
        return None
    return add_working_days(start, days, code=code)
