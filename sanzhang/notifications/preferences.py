"""A person's choice of the morning digest: offered to those things wait on (leaders, staff,
departments, offices), not to residents, whose notices already say what waits on them."""

from __future__ import annotations

from sanzhang.access.actor import Actor
from sanzhang.people.models import Role

from .models import Preference


def offers_digest(user: Actor) -> bool:
    return user.is_authenticated and user.role != Role.RESIDENT


def wants_digest(user: Actor) -> bool:
    return Preference.objects.filter(user_id=user.pk, daily_digest=True).exists()


def choose_digest(user: Actor, on: bool) -> bool:
    """Record the choice (idempotent); returns it."""
    Preference.objects.update_or_create(user_id=user.pk, defaults={"daily_digest": on})
    return on
