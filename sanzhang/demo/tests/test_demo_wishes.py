"""The demo county's micro-wishes: shaped like the seed's 1,894 claimed, legal timelines,
work waiting on the demo accounts, removed with the demo."""

from __future__ import annotations

import itertools

import pytest

from sanzhang.demo.accounts import ensure_demo_accounts
from sanzhang.demo.loader import load_demo, remove_demo
from sanzhang.people.models import PartyMember, Role
from sanzhang.wishes import access
from sanzhang.wishes.models import Status, Wish

SCALE = 0.02
CLAIMED = [Status.CLAIMED, Status.FULFILLED, Status.CONFIRMED]


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return load_demo(scale=SCALE)


def test_about_1894_wishes_were_claimed_by_party_members(demo) -> None:
    claimed = Wish.objects.filter(status__in=CLAIMED)
    assert 36 <= claimed.count() <= 40  # 1,894 at scale 1
    members = set(PartyMember.objects.values_list("person_id", flat=True))
    assert set(claimed.values_list("claimer_id", flat=True)) <= members
    assert set(Wish.objects.values_list("status", flat=True)) == set(Status.values)


def test_every_timeline_is_a_legal_path(demo) -> None:
    order = ["submitted", "approved", "claimed", "fulfilled", "confirmed"]
    for wish in Wish.objects.prefetch_related("events"):
        steps = [e for e in wish.events.all() if not e.kind.startswith("late")]
        assert steps[0].kind == "posted" and steps[-1].to_status == wish.status
        for before, after in itertools.pairwise(steps):
            assert before.to_status == after.from_status and before.at <= after.at
            if after.kind != "rejected":
                assert order.index(after.to_status) == order.index(after.from_status) + 1
        assert wish.version == len(steps)
        assert (wish.claimer_id is not None) == (wish.status in CLAIMED)


def test_demo_accounts_find_wishes_waiting(demo) -> None:
    accounts = {account.username: user for account, user in ensure_demo_accounts()}
    staff, resident, unit = accounts["staff"], accounts["resident"], accounts["unit"]
    assert access.wishes_visible_to(staff).filter(status=Status.SUBMITTED).exists()
    assert resident.role == Role.RESIDENT
    waiting = access.wishes_visible_to(resident).filter(status=Status.FULFILLED)
    assert any("confirm" in access.allowed_actions(resident, w) for w in waiting)
    assert Wish.objects.filter(claimer_id=unit.person_id, status=Status.CLAIMED).exists()
    assert access.open_near(unit).exists()


def test_removing_the_demo_removes_its_wishes(demo) -> None:
    remove_demo()
    assert not Wish.objects.exists()
