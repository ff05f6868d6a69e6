"""Who acts, and what their access rests on, read once per request.

`Actor` is the type of "the person doing this" in every service: a signed-in account (a
resident, a post holder, staff, an office, a department, the system accounts that replay
history). `Visitor` adds the anonymous visitor, for the checks a page makes before anyone has
signed in.

What scope and capabilities rest on beyond the account row (the posts held now, a party
member's registration) is read at most once per request into the account's `Standing`: the
authentication middleware builds one user object per request, and the standing lives with it
and dies with it (a change of posts within the same request is seen by the next one).
Nothing else is cached on the user.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from sanzhang.people.models import User

from .roles import GRANTS, Can

if TYPE_CHECKING:
    from sanzhang.people.models import PartyMember

type Actor = User
type Visitor = User | AnonymousUser

_SLOT = "_sanzhang_standing"


class Standing:
    """The facts about an account that access reads beyond its row, each read on first use."""

    def __init__(self, user: User) -> None:
        self._user = user

    @cached_property
    def held_places(self) -> dict[int, str]:
        """Place id → code of the posts the account's person acts for now: those they hold,
        and those they stand reserve for where their county lets reserves act (双三长)."""
        held, _, acting = self._posts
        return {**acting, **held}

    @cached_property
    def reserve_places(self) -> dict[int, str]:
        """Place id → code of the posts the account's person stands reserve for now: they read
        there what the holder reads."""
        return self._posts[1]

    @cached_property
    def _posts(self) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
        """Held, reserve and acting reserve places, read together (posts.reserves)."""
        user = self._user
        if user.role not in GRANTS[Can.HOLD_POSTS] or not user.person_id:
            return {}, {}, {}
        from sanzhang.posts.reserves import current_places

        return current_places(user.person_id)

    @cached_property
    def party_member(self) -> PartyMember | None:
        """The person's registration as a party member at a community (在职党员报到)."""
        from sanzhang.people.models import PartyMember

        if not self._user.person_id:
            return None
        return PartyMember.objects.filter(person_id=self._user.person_id).first()

    @cached_property
    def scope_codes(self) -> list[str] | None:
        """The subtrees the account sees, None for the whole tree (decided by `access.scope`)."""
        from .scope import decide_scope

        return decide_scope(self._user, self)


def standing(user: User) -> Standing:
    """The account's standing for this request (built on first use)."""
    found = user.__dict__.get(_SLOT)
    if found is None:
        found = Standing(user)
        user.__dict__[_SLOT] = found
    return found
