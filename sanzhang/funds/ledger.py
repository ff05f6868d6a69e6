"""The one writer of balances: each move is a conditional UPDATE of the account's stored
balance and its ledger line, in the caller's transaction.

A debit is `UPDATE ... SET balance = balance - x WHERE id = ? AND balance >= x`: of two debits
racing for the last money one matches a row and the other matches none, on SQLite (whose
IMMEDIATE transactions take turns) and PostgreSQL (whose second UPDATE waits for the first's
row lock and re-checks the condition) alike. The balance after is read back in the same
transaction, after the row is written, so it is this move's own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.core.errors import Conflict

from .models import Account, Entry, Spending

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

# Which total each kind of move adds to (a correction changes the balance alone).
TOTALS = {
    Entry.Kind.BUDGET: "received",
    Entry.Kind.ALLOCATION_IN: "received",
    Entry.Kind.ALLOCATION_OUT: "allocated",
    Entry.Kind.SPENDING: "spent",
}


def sent_before(account: Account, form_key: str) -> Entry | None:
    """The line a form with this key wrote on the account already (a retry), if any."""
    if not form_key:
        return None
    return Entry.objects.filter(account=account, form_key=form_key[:64]).first()


def move(
    account: Account,
    kind: Entry.Kind,
    amount: Decimal,
    *,
    actor: Actor | None,
    reason: str = "",
    other: Account | None = None,
    spending: Spending | None = None,
    form_key: str = "",
) -> Entry:
    """Add `amount` (signed: negative takes money out) to the account and write its line;
    Conflict if taking it out would leave less than nothing."""
    # Rounded to the fen in the database: SQLite keeps decimals as floating point, where
    # 0.30 - 0.10 is 0.19999999999999998 and the last 0.20 would not be spendable.
    changes: dict[str, object] = {"balance": Round(F("balance") + amount, 2)}
    total = TOTALS.get(kind)
    if total is not None:
        changes[total] = Round(F(total) + abs(amount), 2)
    accounts = Account.objects.filter(pk=account.pk)
    if amount < 0:
        accounts = accounts.filter(balance__gte=-amount)
    if accounts.update(**changes) == 0:
        # Nothing matched: the balance is short (another debit got there first, perhaps).
        raise Conflict(_("This exceeds the balance of the account."))
    after = Account.objects.values_list("balance", flat=True).get(pk=account.pk)
    try:
        with transaction.atomic():
            return Entry.objects.create(
                account=account,
                kind=kind,
                amount=amount,
                balance_after=after,
                other=other,
                spending=spending,
                reason=reason,
                actor=actor,
                at=timezone.now(),
                form_key=form_key[:64],
            )
    except IntegrityError:
        if not form_key:
            raise
        # The same form, sent twice at once, lost to its twin: the refusal rolls back the
        # caller's transaction, and this move's UPDATE with it.
        raise Conflict(_("This form was sent already: see the ledger.")) from None
