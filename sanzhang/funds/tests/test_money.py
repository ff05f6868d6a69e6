"""Money is exact: amounts are parsed as decimals and balances add to the fen, on SQLite and
PostgreSQL alike, across thousands of entries."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from sanzhang.conftest import County
from sanzhang.core.errors import Invalid
from sanzhang.funds import services
from sanzhang.funds.models import Account, Entry, Fund
from sanzhang.funds.money import parse_amount

from .conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12.30", "12.30"),
        ("12.3", "12.30"),
        ("12", "12.00"),
        (" 1,200.05 ", "1200.05"),
        ("0.01", "0.01"),
    ],
)
def test_amounts_are_read_as_yuan_and_fen(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1e3", "12.30"),
        ("-5", "negative"),
        ("1.234", "two decimals"),
        ("0", "more than zero"),
        ("", "12.30"),
        ("NaN", "12.30"),
        ("Infinity", "12.30"),
        ("1 000", "12.30"),
        ("9999999999999", "12.30"),
    ],
)
def test_other_amounts_are_refused_in_words(text: str, words: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_amount(text)
    assert words in refused.value.message


def test_a_tenth_and_a_fifth_make_three_tenths(county: County, county_officer) -> None:  # type: ignore[no-untyped-def]
    for amount in ("0.10", "0.20"):
        services.add_budget(
            county_officer,
            fund=Fund.CO_BUILDING,
            year=YEAR,
            county=county.county,
            amount=parse_amount(amount),
        )
    account = Account.objects.get(place=county.county)
    assert account.balance == Decimal("0.30")
    assert str(account.balance) == "0.30"
    services.allocate(county_officer, account, county.community, Decimal("0.30"))
    account.refresh_from_db()
    assert account.balance == Decimal("0.00")


def test_thousands_of_entries_add_up_to_the_fen(county: County, county_officer) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(15)  # nosec B311 # test data
    amounts = [Decimal(rng.randint(1, 99_999)) / 100 for _ in range(2000)]
    for amount in amounts:
        services.add_budget(
            county_officer, fund=Fund.GRID_BRANCH, year=YEAR, county=county.county, amount=amount
        )
    expected = sum(amounts, start=Decimal(0))
    account = Account.objects.get(place=county.county)
    assert account.balance == expected
    assert account.received == expected
    assert Entry.objects.filter(account=account).aggregate(t=Sum("amount"))["t"] == expected
    last = Entry.objects.filter(account=account).order_by("-id").first()
    assert last is not None and last.balance_after == expected
