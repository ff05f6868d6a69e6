"""The verbs of funding: the county's budget, allocations down the tree, spending claims and
their approval, and corrections. Each is one transaction, audited; refusals are domain errors.

Who does what:
- the county office (SET_BUDGETS) gives the county's account its year's budget per fund, and
  corrects any account of its county (a new ledger line with a reason, never an edit);
- a level's staff (APPROVE_SPENDING, their organisation's place at or above the account's)
  allocate from an account to the account of a place directly below it;
- the staff of a place or above (RECORD_SPENDING, in scope) record a spending claim;
- "the level above" approves or refuses it: staff with APPROVE_SPENDING whose organisation's
  place lies strictly above the spending's place. A community's own spending is approved by
  the county office; a grid's by its community's staff (or the county office). Nobody approves
  their own level's spending.

An approval that finds too little money is refused as a whole (nothing is written) and the
claim stays pending, so it can be approved once more money comes down, or refused.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import in_scope
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.core.photos import prepare as prepare_photos
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import is_under

from .ledger import move, sent_before
from .models import Account, Entry, Fund, Spending

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from sanzhang.access.actor import Actor

# The places that hold accounts: county, township (大区), community, village (片区) and grid.
FUND_PLACE_KINDS = (
    PlaceKind.COUNTY,
    PlaceKind.DISTRICT,
    PlaceKind.COMMUNITY,
    PlaceKind.AREA,
    PlaceKind.GRID,
)
MAX_TEXT = 2000


def account_for(fund: str, year: int, place: Place) -> Account:
    """The account of `fund` at `place` for `year`, opened (empty) on first use."""
    if fund not in Fund.values:
        raise Invalid(_("Choose one of the funds."))
    if place.kind not in FUND_PLACE_KINDS:
        raise Invalid(_("Funds are held by a county, township, community, village or grid."))
    found, _created = Account.objects.get_or_create(fund=fund, year=year, place=place)
    return found


def _org_code(actor: Actor) -> str | None:
    org = actor.organisation if actor.organisation_id else None
    return org.place.code if org is not None else None


def may_approve(actor: Actor, place: Place) -> bool:
    """The actor is staff of a level strictly above `place` (see the module's docstring)."""
    code = _org_code(actor)
    return (
        can(actor, Can.APPROVE_SPENDING)
        and code is not None
        and code != place.code
        and is_under(place.code, code)
    )


def may_allocate_from(actor: Actor, account: Account) -> bool:
    code = _org_code(actor)
    return (
        can(actor, Can.APPROVE_SPENDING) and code is not None and is_under(account.place.code, code)
    )


def _reason(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise Invalid(_("Give the reason."))
    if len(text) > MAX_TEXT:
        raise Invalid(_("Please keep it under 2000 characters."))
    return text


@transaction.atomic
def add_budget(
    actor: Actor,
    *,
    fund: str,
    year: int,
    county: Place,
    amount: Decimal,
    reason: str = "",
    form_key: str = "",
    request: HttpRequest | None = None,
) -> Entry:
    """The county office puts a year's budget of a fund into the county's account (once per
    form key: a retried form returns the line it wrote)."""
    if not can(actor, Can.SET_BUDGETS) or not in_scope(actor, county.code):
        raise NotAllowed(_("Only the county office sets the budgets."))
    if county.kind != PlaceKind.COUNTY:
        raise Invalid(_("Budgets are set for the county; allocate them down from there."))
    account = account_for(fund, year, county)
    before = sent_before(account, form_key)
    if before is not None:
        return before
    entry = move(
        account,
        Entry.Kind.BUDGET,
        amount,
        actor=actor,
        reason=_reason(reason, required=False),
        form_key=form_key,
    )
    audit(
        "funds.budget_added",
        actor=actor,
        request=request,
        obj=account,
        detail={"amount": str(amount)},
    )
    return entry


@transaction.atomic
def allocate(
    actor: Actor,
    source: Account,
    child: Place,
    amount: Decimal,
    *,
    reason: str = "",
    form_key: str = "",
    request: HttpRequest | None = None,
) -> Entry:
    """Money from `source` down to the same fund's account of `child`, a place directly
    below the source's place; refused (nothing moved) if the source has too little."""
    if not may_allocate_from(actor, source):
        raise NotAllowed(_("Only the staff of this level allocate its funds."))
    if child.parent_id != source.place_id:
        raise Invalid(_("Allocate to a place directly below this one."))
    target = account_for(source.fund, source.year, child)
    before = sent_before(target, form_key)
    if before is not None:
        return before
    text = _reason(reason, required=False)
    move(
        source,
        Entry.Kind.ALLOCATION_OUT,
        -amount,
        actor=actor,
        reason=text,
        other=target,
        form_key=form_key,
    )
    entry = move(
        target,
        Entry.Kind.ALLOCATION_IN,
        amount,
        actor=actor,
        reason=text,
        other=source,
        form_key=form_key,
    )
    audit(
        "funds.allocated",
        actor=actor,
        request=request,
        obj=target,
        detail={"from": source.pk, "amount": str(amount)},
    )
    return entry


@transaction.atomic
def correct(
    actor: Actor,
    account: Account,
    amount: Decimal,
    *,
    reason: str,
    form_key: str = "",
    request: HttpRequest | None = None,
) -> Entry:
    """A correction by the county office: a new line (signed) with its reason (once per form
    key)."""
    if not can(actor, Can.SET_BUDGETS) or not in_scope(actor, account.place.code):
        raise NotAllowed(_("Only the county office corrects the ledger."))
    if amount == 0:
        raise Invalid(_("The amount must not be zero."))
    before = sent_before(account, form_key)
    if before is not None:
        return before
    entry = move(
        account,
        Entry.Kind.CORRECTION,
        amount,
        actor=actor,
        reason=_reason(reason, required=True),
        form_key=form_key,
    )
    audit(
        "funds.corrected", actor=actor, request=request, obj=account, detail={"amount": str(amount)}
    )
    return entry


def record_spending(
    actor: Actor,
    account: Account,
    *,
    item: str,
    amount: Decimal,
    spent_on: datetime.date,
    purpose: str,
    receipt: UploadedFile[Any] | None,
    form_key: str = "",
    request: HttpRequest | None = None,
) -> Spending:
    """A spending claim of the account's place, with the receipt's photo; waits for the level
    above. The same form sent twice (its token) records it once."""
    if not can(actor, Can.RECORD_SPENDING) or not in_scope(actor, account.place.code):
        raise NotAllowed(_("Only the staff of this place record its spending."))
    item, purpose = item.strip(), _reason(purpose, required=False)
    if not item or not purpose:
        raise Invalid(_("Give the item and the purpose of the spending."))
    if receipt is None:
        raise Invalid(_("Add the photo of the receipt."))
    if abs((spent_on - timezone.localdate()).days) > 400 or spent_on > timezone.localdate():
        raise Invalid(_("Give the date the money was spent (not in the future)."))
    if form_key:
        existing = Spending.objects.filter(recorded_by=actor, form_key=form_key).first()
        if existing is not None:
            return existing
    photo = prepare_photos([receipt], limit=1)[0]
    spending = Spending(
        account=account,
        item=item[:100],
        amount=amount,
        spent_on=spent_on,
        purpose=purpose,
        recorded_by=actor,
        recorded_at=timezone.now(),
        form_key=form_key[:64],
    )
    spending.receipt.save(photo.name or "receipt.jpg", photo, save=False)
    try:
        with transaction.atomic():
            spending.save()
    except IntegrityError:
        return Spending.objects.get(recorded_by=actor, form_key=form_key)
    audit("funds.spending_recorded", actor=actor, request=request, obj=spending)
    return spending


def _decide(spending: Spending, actor: Actor, status: str, refusal: str = "") -> None:
    if not may_approve(actor, spending.account.place):
        raise NotAllowed(_("Only the level above approves this spending."))
    # Four eyes: whoever recorded the claim does not also release the money.
    if status == Spending.Status.APPROVED and spending.recorded_by_id == actor.pk:
        raise NotAllowed(_("Another person approves the spending you recorded."))
    decided = Spending.objects.filter(pk=spending.pk, status=Spending.Status.PENDING).update(
        status=status, decided_by=actor, decided_at=timezone.now(), refusal=refusal
    )
    if decided == 0:
        raise Conflict(_("This spending has been decided already."))


def approve(spending: Spending, actor: Actor, *, request: HttpRequest | None = None) -> Entry:
    """The level above approves: the account is debited, or, if its balance is short, nothing
    is written and the claim stays pending (Conflict "exceeds the balance"; the refused try is
    audited)."""
    try:
        with transaction.atomic():
            _decide(spending, actor, Spending.Status.APPROVED)
            entry = move(
                spending.account,
                Entry.Kind.SPENDING,
                -spending.amount,
                actor=actor,
                reason=spending.item,
                spending=spending,
            )
            audit("funds.spending_approved", actor=actor, request=request, obj=spending)
    except Conflict as error:
        audit(
            "funds.spending_approved",
            actor=actor,
            request=request,
            obj=spending,
            outcome="refused",
            detail={"why": error.message},
        )
        raise
    return entry


@transaction.atomic
def refuse(
    spending: Spending, actor: Actor, *, reason: str, request: HttpRequest | None = None
) -> None:
    """The level above refuses the claim, with its reason."""
    _decide(spending, actor, Spending.Status.REFUSED, _reason(reason, required=True))
    audit("funds.spending_refused", actor=actor, request=request, obj=spending)
