"""Budgets, allocations down the tree, spending claims approved by the level above only, the
append-only ledger and its corrections, and two approvals racing for the last money."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import County, make_staff, needs_real_concurrency, simultaneously
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.funds import services
from sanzhang.funds.models import Account, AppendOnlyError, Entry, Fund, Spending
from sanzhang.people.models import Role, User

from .conftest import YEAR, claim, fund_grid, receipt

pytestmark = pytest.mark.django_db


def test_budget_flows_down_the_tree_and_totals_follow(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    grid = fund_grid(county, county_officer, community_staff, "1000.00")
    top = Account.objects.get(place=county.county)
    community = Account.objects.get(place=county.community)
    assert (top.received, top.allocated, top.balance) == (Decimal(1000), Decimal(1000), Decimal(0))
    assert (community.received, community.balance) == (Decimal(1000), Decimal(0))
    assert grid.balance == Decimal("1000.00")
    out = Entry.objects.get(account=top, kind=Entry.Kind.ALLOCATION_OUT)
    assert out.amount == Decimal("-1000.00") and out.other == community
    assert AuditEvent.objects.filter(action="funds.allocated").count() == 2


def test_an_allocation_beyond_the_balance_moves_nothing(county: County, county_officer) -> None:  # type: ignore[no-untyped-def]
    services.add_budget(
        county_officer,
        fund=Fund.GRID_BRANCH,
        year=YEAR,
        county=county.county,
        amount=Decimal("10.00"),
    )
    top = Account.objects.get(place=county.county)
    with pytest.raises(Conflict):
        services.allocate(county_officer, top, county.community, Decimal("10.01"))
    top.refresh_from_db()
    assert top.balance == Decimal("10.00")
    assert not Account.objects.filter(place=county.community, balance__gt=0).exists()
    assert Entry.objects.count() == 1


def test_allocation_goes_only_to_a_place_directly_below(county: County, county_officer) -> None:  # type: ignore[no-untyped-def]
    services.add_budget(
        county_officer, fund=Fund.GRID_BRANCH, year=YEAR, county=county.county, amount=Decimal("10")
    )
    top = Account.objects.get(place=county.county)
    with pytest.raises(Invalid):
        services.allocate(county_officer, top, county.grid_a, Decimal("1"))


def test_only_the_county_office_sets_budgets(county: County, community_staff) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAllowed):
        services.add_budget(
            community_staff,
            fund=Fund.GRID_BRANCH,
            year=YEAR,
            county=county.county,
            amount=Decimal("1"),
        )


def test_the_community_approves_its_grids_spending(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    grid = fund_grid(county, county_officer, community_staff, "100.00")
    spending = claim(county_officer, grid, "30.10")
    assert spending.status == Spending.Status.PENDING and spending.receipt.name.endswith(".jpg")
    services.approve(spending, community_staff)
    grid.refresh_from_db()
    assert (grid.balance, grid.spent) == (Decimal("69.90"), Decimal("30.10"))
    spending.refresh_from_db()
    assert spending.status == Spending.Status.APPROVED and spending.decided_by == community_staff
    with pytest.raises(Conflict):
        services.approve(spending, community_staff)  # once only
    grid.refresh_from_db()
    assert grid.balance == Decimal("69.90")


def test_a_community_does_not_approve_its_own_spending(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    services.add_budget(
        county_officer, fund=Fund.GRID_BRANCH, year=YEAR, county=county.county, amount=Decimal("50")
    )
    top = Account.objects.get(place=county.county)
    services.allocate(county_officer, top, county.community, Decimal("50"))
    community = Account.objects.get(place=county.community)
    spending = claim(community_staff, community, "20")
    with pytest.raises(NotAllowed):
        services.approve(spending, community_staff)
    services.approve(spending, county_officer)  # the level above
    community.refresh_from_db()
    assert community.balance == Decimal("30.00")


def test_a_village_staff_cannot_approve_the_communitys_grids(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    village = make_staff("village", Role.COMMUNITY_STAFF, county.area, "committee")
    grid = fund_grid(county, county_officer, community_staff, "10")
    spending = claim(community_staff, grid, "1")
    with pytest.raises(NotAllowed):
        services.approve(spending, village)
    with pytest.raises(NotAllowed):
        claim(village, grid, "1")


def test_an_approval_beyond_the_balance_is_refused_and_the_claim_waits(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    grid = fund_grid(county, county_officer, community_staff, "10.00")
    spending = claim(county_officer, grid, "10.01")
    with pytest.raises(Conflict) as refused:
        services.approve(spending, community_staff)
    assert "exceeds the balance" in refused.value.message
    spending.refresh_from_db()
    grid.refresh_from_db()
    assert spending.status == Spending.Status.PENDING and grid.balance == Decimal("10.00")
    assert (
        AuditEvent.objects.filter(action="funds.spending_approved", outcome="refused").count() == 1
    )
    services.refuse(spending, community_staff, reason="超出余额")
    spending.refresh_from_db()
    assert spending.status == Spending.Status.REFUSED and spending.refusal == "超出余额"


def test_a_refusal_needs_a_reason(county: County, county_officer, community_staff) -> None:  # type: ignore[no-untyped-def]
    grid = fund_grid(county, county_officer, community_staff, "10")
    with pytest.raises(Invalid):
        services.refuse(claim(community_staff, grid, "1"), community_staff, reason=" ")


def test_a_spending_needs_its_receipt_and_the_same_form_records_once(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    grid = fund_grid(county, county_officer, community_staff, "10")
    from django.utils import timezone

    fields = {
        "item": "纸笔",
        "amount": Decimal("2"),
        "spent_on": timezone.localdate(),
        "purpose": "学习",
    }
    with pytest.raises(Invalid):
        services.record_spending(community_staff, grid, receipt=None, **fields)  # type: ignore[arg-type]
    first = services.record_spending(
        community_staff, grid, receipt=receipt(), form_key="t1", **fields
    )  # type: ignore[arg-type]
    again = services.record_spending(
        community_staff, grid, receipt=receipt(), form_key="t1", **fields
    )  # type: ignore[arg-type]
    assert first.pk == again.pk and Spending.objects.count() == 1


def test_the_ledger_is_append_only_and_corrections_carry_a_reason(
    county: County, county_officer
) -> None:  # type: ignore[no-untyped-def]
    entry = services.add_budget(
        county_officer,
        fund=Fund.HELPING_UNITS,
        year=YEAR,
        county=county.county,
        amount=Decimal("5"),
    )
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).update(amount=Decimal("50"))
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    account = entry.account
    with pytest.raises(Invalid):
        services.correct(county_officer, account, Decimal("-1"), reason="")
    services.correct(county_officer, account, Decimal("-1.50"), reason="重复录入")
    with pytest.raises(Conflict):
        services.correct(county_officer, account, Decimal("-3.51"), reason="超出")
    account.refresh_from_db()
    assert account.balance == Decimal("3.50")
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            account=account, kind="correction", amount=1, balance_after=1, at=entry.at
        )


def test_the_balance_never_goes_below_zero_in_the_database(county: County, county_officer) -> None:  # type: ignore[no-untyped-def]
    entry = services.add_budget(
        county_officer,
        fund=Fund.HELPING_UNITS,
        year=YEAR,
        county=county.county,
        amount=Decimal("5"),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=entry.account_id).update(balance=Decimal("-0.01"))


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_approvals_racing_for_the_last_money_one_wins(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    grid = fund_grid(county, county_officer, community_staff, "100.00")
    first, second = (
        claim(community_staff, grid, "60.00"),
        claim(community_staff, grid, "60.00", "音响"),
    )
    other = User.objects.create_user(
        username="staff2", role=Role.COMMUNITY_STAFF, organisation=community_staff.organisation
    )

    def approving(spending: Spending):  # type: ignore[no-untyped-def]
        def call(client: Client) -> int:
            return client.post(
                f"/funds/spendings/{spending.pk}/", {"action": "approve"}
            ).status_code

        return call

    results = simultaneously([(community_staff, approving(first)), (other, approving(second))])
    assert results == [302, 302]
    grid.refresh_from_db()
    assert grid.balance == Decimal("40.00") and grid.spent == Decimal("60.00")
    statuses = sorted(Spending.objects.values_list("status", flat=True))
    assert statuses == ["approved", "pending"]
    assert Entry.objects.filter(account=grid, kind=Entry.Kind.SPENDING).count() == 1


def test_whoever_recorded_a_spending_does_not_approve_it(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    grid = fund_grid(county, county_officer, community_staff, "100.00")
    spending = claim(community_staff, grid, "30.00")
    with pytest.raises(NotAllowed):
        services.approve(spending, community_staff)
    grid.refresh_from_db()
    assert grid.balance == Decimal("100.00")


def test_the_last_fen_after_a_float_unfriendly_sum_is_spendable(
    county: County, county_officer, community_staff
) -> None:  # type: ignore[no-untyped-def]
    """0.30 - 0.10 is 0.19999999999999998 in floating point (SQLite's decimals): the balance is
    rounded to the fen in the database, so the last 0.20 is spent exactly."""
    grid = fund_grid(county, county_officer, community_staff, "0.30")
    services.approve(claim(county_officer, grid, "0.10", item="茶叶"), community_staff)
    services.approve(claim(county_officer, grid, "0.20", item="纸杯"), community_staff)
    grid.refresh_from_db()
    assert grid.balance == Decimal("0.00")
