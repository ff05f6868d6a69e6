"""The demo county's funds (经费保障) for this year: each fund's budget at the county, allocated
down to every township, community, village and grid, and spending through the year with a
receipt (one stored photo shared by all), most approved, some waiting, a few refused; plus
the county's allowance rule. Bulk-created: balances are worked out here and stored with the
ledger lines, as the services would have left them (the demo test checks they agree)."""

from __future__ import annotations

import datetime
import io
import random
from collections import defaultdict
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from PIL import Image

from sanzhang.funds.models import Account, AllowanceRule, Entry, Fund, Spending
from sanzhang.funds.services import FUND_PLACE_KINDS
from sanzhang.people.models import Role, User
from sanzhang.places.models import Place, PlaceKind

IMPORTER = "history-import"  # as demo/issues.py: the account that entered earlier records
# Each fund's yearly money per grid, and what every level above keeps for its own work.
PER_GRID: dict[str, int] = {
    Fund.GRID_BRANCH: 3000,
    Fund.HELPING_UNITS: 1500,
    Fund.CO_BUILDING: 2000,
}
OWN: dict[str, int] = {Fund.GRID_BRANCH: 5000, Fund.HELPING_UNITS: 3000, Fund.CO_BUILDING: 4000}
ITEMS = [
    ("党员活动室办公用品", "网格支部日常办公"),
    ("主题党日活动横幅", "主题党日活动"),
    ("走访慰问困难群众物品", "帮扶走访慰问"),
    ("共建单位联谊活动场地", "共建活动"),
    ("网格员培训资料印刷", "网格业务培训"),
    ("便民服务点饮水设备", "便民服务"),
]
SPEND_CHANCE = 0.35  # per place and month


class _Books:
    """Accounts and ledger lines kept in memory, with the balances the services would keep."""

    def __init__(self, year: int, actor: User) -> None:
        self.year, self.actor = year, actor
        self.accounts: dict[tuple[str, int], Account] = {}
        self.lines: list[tuple[Account, Entry]] = []

    def account(self, fund: str, place: Place) -> Account:
        key = (fund, place.pk)
        if key not in self.accounts:
            self.accounts[key] = Account(fund=fund, year=self.year, place=place)
        return self.accounts[key]

    def move(
        self, account: Account, kind: str, amount: Decimal, at: datetime.datetime, **extra
    ) -> None:  # type: ignore[no-untyped-def]
        account.balance += amount
        if kind in ("budget", "allocation_in"):
            account.received += amount
        elif kind == "allocation_out":
            account.allocated -= amount
        elif kind == "spending":
            account.spent -= amount
        entry = Entry(
            kind=kind,
            amount=amount,
            balance_after=account.balance,
            actor=self.actor,
            at=at,
            **extra,
        )
        self.lines.append((account, entry))


def _tree() -> tuple[list[Place], dict[int, list[Place]]]:
    places = list(Place.objects.active().filter(kind__in=FUND_PLACE_KINDS).order_by("code"))
    children: dict[int, list[Place]] = defaultdict(list)
    for place in places:
        if place.parent_id is not None:
            children[place.parent_id].append(place)
    return places, children


def _need(place: Place, fund: str, children: dict[int, list[Place]], memo: dict[int, int]) -> int:
    if place.pk not in memo:
        own = PER_GRID[fund] if place.kind == PlaceKind.GRID else OWN[fund]
        memo[place.pk] = own + sum(_need(c, fund, children, memo) for c in children[place.pk])
    return memo[place.pk]


def _receipt() -> str:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (250, 248, 240)).save(out, "JPEG", quality=70)
    return default_storage.save("funds/demo/receipt.jpg", ContentFile(out.getvalue()))


def load_funds_history(rng: random.Random) -> int:
    """Write this year's budgets, allocations and spending; returns the number of ledger lines."""
    now = timezone.now()
    start = timezone.make_aware(datetime.datetime(now.year, 1, 1, 9))
    span = now - start

    def when(share: float) -> datetime.datetime:
        return start + span * share

    actor = User.objects.filter(username=IMPORTER).first() or User.objects.create(
        username=IMPORTER, role=Role.COUNTY_OFFICE, is_active=False
    )
    books = _Books(now.year, actor)
    places, children = _tree()
    for fund in Fund.values:
        memo: dict[int, int] = {}
        for county in (p for p in places if p.kind == PlaceKind.COUNTY):
            books.move(
                books.account(fund, county),
                "budget",
                Decimal(_need(county, fund, children, memo)),
                when(0.01),
                reason="县财政年度预算",
            )
        for place in places:  # parents before children: the codes are in tree order
            for child in children[place.pk]:
                amount = Decimal(_need(child, fund, children, memo))
                source, target = books.account(fund, place), books.account(fund, child)
                at = when(0.02 + 0.005 * place.depth)
                books.move(source, "allocation_out", -amount, at, other=target)
                books.move(target, "allocation_in", amount, at, other=source)
    spendings = _spend(books, places, rng, when)
    _save(books, spendings, _receipt())
    for county in (p for p in places if p.kind == PlaceKind.COUNTY):
        AllowanceRule.objects.create(
            place=county,
            yuan_per_point=Decimal("0.50"),
            monthly_cap=Decimal("200.00"),
            fund=Fund.GRID_BRANCH,
            set_by=actor,
            set_at=when(0.01),
        )
    return len(books.lines)


def _spend(books: _Books, places: list[Place], rng: random.Random, when) -> list[Spending]:  # type: ignore[no-untyped-def]
    made: list[Spending] = []
    steps = 12
    for place in places:
        if place.kind == PlaceKind.COUNTY:
            continue
        for step in range(steps):
            if rng.random() > SPEND_CHANCE:
                continue
            fund = rng.choice(Fund.values)
            account = books.account(fund, place)
            amount = Decimal(rng.randint(2000, 60000)) / 100
            at = when(0.05 + 0.95 * (step + rng.random()) / steps)
            item, purpose = rng.choice(ITEMS)
            last = step == steps - 1
            status = Spending.Status.PENDING if last else Spending.Status.APPROVED
            if amount > account.balance or rng.random() < 0.05:
                status = Spending.Status.REFUSED
            spending = Spending(
                account=account,
                item=item,
                amount=amount,
                spent_on=timezone.localdate(at),
                purpose=purpose,
                status=status,
                recorded_by=books.actor,
                recorded_at=at,
                decided_by=None if last else books.actor,
                decided_at=None if last else at + datetime.timedelta(days=2),
                refusal="票据不全，请补充后重新提交" if status == Spending.Status.REFUSED else "",
            )
            made.append(spending)
            if status == Spending.Status.APPROVED:
                books.move(
                    account,
                    "spending",
                    -amount,
                    at + datetime.timedelta(days=2),
                    reason=item,
                    spending=spending,
                )
    return made


def _save(books: _Books, spendings: list[Spending], receipt: str) -> None:
    Account.objects.bulk_create(list(books.accounts.values()), batch_size=1000)
    for spending in spendings:
        spending.account_id = spending.account.pk
        spending.receipt.name = receipt
    Spending.objects.bulk_create(spendings, batch_size=1000)
    entries = []
    for account, entry in books.lines:
        entry.account_id = account.pk
        if entry.other is not None:
            entry.other_id = entry.other.pk
        if entry.spending is not None:
            entry.spending_id = entry.spending.pk
        entries.append(entry)
    Entry.objects.bulk_create(entries, batch_size=2000)


def remove_funds() -> None:
    """The ledger refuses deletes through the ORM; removing the demo is the one exception."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Entry._meta.db_table}")  # noqa: S608 (our table) # nosec B608 # nosemgrep: sanzhang-sql-formatted
    for model in (Spending, AllowanceRule, Account):
        model.objects.all().delete()
