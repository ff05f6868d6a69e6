"""The menu, drawn from what each user may open.

Each app registers its entries in its `AppConfig.ready` with the test that decides who sees
them (a capability of `roles`, or a rule the app knows, such as who may claim a wish); an
entry is shown exactly when its page answers that user, so the menu never offers a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

from .roles import Can, can

if TYPE_CHECKING:
    from .actor import Actor, Visitor


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str | Promise
    order: int  # place in the menu, smallest first
    shown: Callable[[Actor], bool]


_ENTRIES: dict[str, Entry] = {}


def register(
    url_name: str, label: str | Promise, order: int, shown: Can | Callable[[Actor], bool]
) -> None:
    """Add an entry; `shown` is a capability or a test taking the user."""
    if isinstance(shown, Can):
        capability = shown
        _ENTRIES[url_name] = Entry(url_name, label, order, lambda user: can(user, capability))
    else:
        _ENTRIES[url_name] = Entry(url_name, label, order, shown)


def entries_for(user: Visitor | None) -> list[Entry]:
    if user is None or not user.is_authenticated:
        return []
    found = [entry for entry in _ENTRIES.values() if entry.shown(user)]
    return sorted(found, key=lambda entry: entry.order)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: `nav`, the (address, label) pairs of the user's menu."""
    user = getattr(request, "user", None)
    return {"nav": [(reverse(e.url_name), str(e.label)) for e in entries_for(user)]}
