"""One lifecycle for every state machine of the domain: the issue loop, micro-wishes,
rectification items, and the apps that come later.

A machine is a transition table (which move goes from which states, and in which capacities
one may take it) and one writer: `advance` moves a row by a conditional UPDATE on its id,
version and state, so of two people acting at once one wins and the other is told plainly.
The caller writes its event row in the same transaction and `emit`s it; the listeners that
the apps register in their `AppConfig.ready` (the notices, in the app and through the robot
and SMS channels) write their own rows in that transaction too, so they exist exactly when
the move does. (Points still hear the events' `post_save`; they move here next.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from .errors import Conflict

Listener = Callable[[Any], object]
_listeners: dict[str, list[Listener]] = defaultdict(list)


@dataclass(frozen=True)
class Transition:
    """A move of a machine: its label for people, the states it leaves, who may take it."""

    label: Any
    from_states: frozenset[str]
    capacities: frozenset[str]


def allowed(table: dict[str, Transition], state: str, capacities: Collection[str]) -> list[str]:
    """The moves of `table` open from `state` to someone holding `capacities`, in table order."""
    held = set(capacities)
    return [
        name for name, move in table.items() if state in move.from_states and held & move.capacities
    ]


def advance(
    row: Any,  # a model instance with a `version` field
    *,
    to_state: str,
    conflict: str,
    state_field: str = "status",
    from_states: Iterable[str] | None = None,
    **changes: Any,
) -> None:
    """Move `row` to `to_state` if nobody moved it since it was read (same version and state,
    or one of `from_states`), bumping the version; else raise `Conflict(conflict)`. Call it
    inside the transaction that writes the move's event."""
    model = type(row)
    current = getattr(row, state_field)
    states = list(from_states) if from_states is not None else [current]
    updated = model._default_manager.filter(
        pk=row.pk, version=row.version, **{f"{state_field}__in": states}
    ).update(**{state_field: to_state}, version=F("version") + 1, **changes)
    if updated != 1:
        # Nothing got updated: someone else moved it first.
        raise Conflict(conflict)


def listen(machine: str, listener: Listener) -> None:
    """Call `listener(event)` for every event `machine` emits (registered once per listener)."""
    if listener not in _listeners[machine]:
        _listeners[machine].append(listener)


def emit(machine: str, event: Any) -> None:
    """Tell the listeners of `machine` of `event`, in the caller's transaction."""
    for listener in _listeners[machine]:
        listener(event)
