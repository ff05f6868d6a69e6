"""The funding pages: the balances of the user's area (one stored row per account, never a sum
of the ledger), an account's ledger with its moves, the spending claims and their approval,
and the leaders' allowances. Each list exports to Excel."""

from __future__ import annotations

import datetime
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import get_visible_or_404, scope_filter, top_place
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Invalid, Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest, photo_response
from sanzhang.core.xlsx import Column, Sheet, xlsx_response
from sanzhang.places.models import Place, PlaceKind

from . import allowances, services
from .forms import AllocateForm, BudgetForm, CorrectForm, RefuseForm, RuleForm, SpendingForm
from .models import Account, Entry, Fund, Spending

MAX_ROWS = 2000


def _year(request: AuthedRequest) -> int:
    this_year = timezone.localdate().year
    value = request.GET.get("year", "")
    year = int(value) if value.isascii() and value.isdigit() and len(value) <= 4 else this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def _accounts(request: AuthedRequest):  # type: ignore[no-untyped-def]
    return Account.objects.filter(scope_filter(request.user, "place__code")).select_related("place")


def _county(request: AuthedRequest) -> Place | None:
    """The county of the user's area: the county's rule prices its communities' leaders too."""
    top = top_place(request.user)
    if top is None or top.kind == PlaceKind.COUNTY:
        return top
    return next((p for p in top.ancestors() if p.kind == PlaceKind.COUNTY), None)


@login_required
@require_http_methods(["GET", "POST"])
def home(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.VIEW_FUNDS)
    year = _year(request)
    county = _county(request)
    if request.method == "POST":
        try:
            data = valid_data(BudgetForm(request.POST))
            if county is None:
                raise Invalid(_("Only the county office sets the budgets."))
            services.add_budget(
                request.user,
                county=county,
                year=year,
                fund=data["fund"],
                amount=data["amount"],
                reason=data["reason"],
                form_key=data["key"],
                request=request,
            )
            messages.success(request, _("The budget is added to the county's account."))
            return redirect(f"{request.path}?year={year}")
        except Refusal as error:
            messages.error(request, error.message)
    fund = request.GET.get("fund", "")
    rows = _accounts(request).filter(year=year).order_by("place__code", "fund")
    if fund in Fund.values:
        rows = rows.filter(fund=fund)
    if request.GET.get("format") == "xlsx":
        audit("funds.balances_exported", request=request, detail={"year": year})
        return _balances_xlsx(year, list(rows[: MAX_ROWS * 10]))
    context = {
        "year": year,
        "fund": fund,
        "funds": Fund.choices,
        "rows": rows[:MAX_ROWS],
        "may_budget": county is not None and can(request.user, Can.SET_BUDGETS),
        "key": secrets.token_hex(16),
        "pending": _pending(request).count(),
    }
    return render(request, "funds/home.html", context)


def _balances_xlsx(year: int, rows: list[Account]) -> HttpResponse:
    sheet = Sheet(
        _("Balances %(year)s") % {"year": year},
        [
            Column(_("Place"), 24),
            Column(_("Code"), 20),
            Column(_("Fund"), 30),
            Column(_("Received"), 14),
            Column(_("Allocated down"), 14),
            Column(_("Spent"), 14),
            Column(_("Account balance"), 14),
        ],
        [
            [
                a.place.name,
                a.place.code,
                a.get_fund_display(),
                a.received,
                a.allocated,
                a.spent,
                a.balance,
            ]
            for a in rows
        ],
    )
    return xlsx_response(_("fund balances %(year)s.xlsx") % {"year": year}, [sheet])


def _children(account: Account):  # type: ignore[no-untyped-def]
    return account.place.children.filter(
        kind__in=services.FUND_PLACE_KINDS, retired_at__isnull=True
    ).order_by("code")


@login_required
@require_http_methods(["GET", "POST"])
def account_page(request: AuthedRequest, account_id: int) -> HttpResponse:
    require(request.user, Can.VIEW_FUNDS)
    account = get_visible_or_404(_accounts(request), pk=account_id)
    if request.method == "POST":
        try:
            done = _act_on_account(request, account)
            messages.success(request, done)
            return redirect("funds:account", account_id=account.pk)
        except Refusal as error:
            messages.error(request, error.message)
    entries = account.entries.select_related("other__place", "actor", "spending")
    if request.GET.get("format") == "xlsx":
        audit("funds.ledger_exported", request=request, obj=account)
        return _ledger_xlsx(account, list(entries.order_by("at", "id")))
    account.refresh_from_db()
    context = {
        "account": account,
        "entries": entries[:500],
        "spendings": account.spendings.order_by("-recorded_at")[:100],
        "children": _children(account) if services.may_allocate_from(request.user, account) else [],
        "may_record": can(request.user, Can.RECORD_SPENDING),
        "may_correct": can(request.user, Can.SET_BUDGETS),
        "token": secrets.token_hex(16),
        "today": timezone.localdate(),
    }
    return render(request, "funds/account.html", context)


def _act_on_account(request: AuthedRequest, account: Account) -> str:
    action = request.POST.get("action")
    user = request.user
    if action == "allocate":
        data = valid_data(AllocateForm(request.POST))
        child = _children(account).filter(pk=data["child"]).first()
        if child is None:
            raise Invalid(_("Allocate to a place directly below this one."))
        services.allocate(
            user,
            account,
            child,
            data["amount"],
            reason=data["reason"],
            form_key=data["key"],
            request=request,
        )
        return _("Allocated to %(place)s.") % {"place": child.name}
    if action == "correct":
        data = valid_data(CorrectForm(request.POST))
        services.correct(
            user,
            account,
            data["amount"],
            reason=data["reason"],
            form_key=data["key"],
            request=request,
        )
        return _("The correction is entered in the ledger.")
    if action == "spend":
        data = valid_data(SpendingForm(request.POST, request.FILES))
        services.record_spending(
            user,
            account,
            item=data["item"],
            amount=data["amount"],
            spent_on=data["spent_on"],
            purpose=data["purpose"],
            receipt=data["receipt"],
            form_key=data["token"],
            request=request,
        )
        return _("The spending is recorded and waits for the level above to approve it.")
    raise Invalid(_("Unknown action."))


def _ledger_xlsx(account: Account, entries: list[Entry]) -> HttpResponse:
    sheet = Sheet(
        _("Fund ledger"),
        [
            Column(_("When"), 18, "datetime"),
            Column(_("Entry kind"), 20),
            Column(_("Amount"), 14),
            Column(_("Balance after"), 14),
            Column(_("Other account"), 24),
            Column(_("Notes"), 40),
            Column(_("By"), 14),
        ],
        [
            [
                e.at,
                e.get_kind_display(),
                e.amount,
                e.balance_after,
                e.other.place.name if e.other else "",
                e.reason,
                e.actor.get_username() if e.actor else "",
            ]
            for e in entries
        ],
    )
    name = _("%(fund)s %(place)s %(year)s.xlsx") % {
        "fund": account.get_fund_display(),
        "place": account.place.name,
        "year": account.year,
    }
    return xlsx_response(name, [sheet])


def _spendings(request: AuthedRequest):  # type: ignore[no-untyped-def]
    return Spending.objects.filter(
        scope_filter(request.user, "account__place__code")
    ).select_related("account__place", "recorded_by")


def _pending(request: AuthedRequest):  # type: ignore[no-untyped-def]
    return _spendings(request).filter(status=Spending.Status.PENDING)


@login_required
def spendings(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.VIEW_FUNDS)
    status = request.GET.get("status", Spending.Status.PENDING)
    rows = _spendings(request)
    if status in Spending.Status.values:
        rows = rows.filter(status=status)
    context = {"rows": rows[:500], "status": status, "statuses": Spending.Status.choices}
    return render(request, "funds/spendings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def spending_page(request: AuthedRequest, spending_id: int) -> HttpResponse:
    require(request.user, Can.VIEW_FUNDS)
    spending = get_visible_or_404(_spendings(request), pk=spending_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.approve(spending, request.user, request=request)
                messages.success(request, _("Approved: the money is taken from the account."))
            else:
                reason = valid_data(RefuseForm(request.POST))["reason"]
                services.refuse(spending, request.user, reason=reason, request=request)
                messages.success(request, _("The spending is refused."))
        except Refusal as error:
            messages.error(request, error.message)
        return redirect("funds:spending", spending_id=spending.pk)
    context = {
        "spending": spending,
        "may_decide": spending.status == Spending.Status.PENDING
        and services.may_approve(request.user, spending.account.place),
    }
    return render(request, "funds/spending.html", context)


@login_required
def receipt(request: AuthedRequest, spending_id: int) -> FileResponse:
    require(request.user, Can.VIEW_FUNDS)
    spending = get_visible_or_404(_spendings(request), pk=spending_id)
    if not spending.receipt:
        raise Http404
    audit("funds.receipt_viewed", request=request, obj=spending)
    return photo_response(spending.receipt)


def _month(request: AuthedRequest) -> datetime.date:
    today = timezone.localdate()
    try:
        found = datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    return found if datetime.date(2000, 1, 1) <= found <= today else today.replace(day=1)


@login_required
@require_http_methods(["GET", "POST"])
def allowances_page(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.VIEW_FUNDS)
    county = _county(request)
    if county is None:
        raise Http404
    if request.method == "POST":
        try:
            data = valid_data(RuleForm(request.POST))
            allowances.set_rule(request.user, county, request=request, **data)
            messages.success(request, _("The allowance rule is set."))
            return redirect("funds:allowances")
        except Refusal as error:
            messages.error(request, error.message)
    month = _month(request)
    rule = allowances.rule_of(county)
    rows = allowances.allowances(request.user, rule, month) if rule else []
    if request.GET.get("format") == "xlsx" and rule is not None:
        audit("funds.allowances_exported", request=request, detail={"month": f"{month:%Y-%m}"})
        return _allowances_xlsx(month, rows)
    if rows:  # leaders' names with their points and money
        audit("funds.allowances_viewed", request=request, detail={"month": f"{month:%Y-%m}"})
    context = {
        "county": county,
        "rule": rule,
        "month": month,
        "rows": rows[:MAX_ROWS],
        "total": sum((r.amount for r in rows), start=0),
        "funds": Fund.choices,
        "may_set": can(request.user, Can.SET_ALLOWANCES),
    }
    return render(request, "funds/allowances.html", context)


def _allowances_xlsx(month: datetime.date, rows: list[allowances.Allowance]) -> HttpResponse:
    sheet = Sheet(
        _("Allowances %(month)s") % {"month": f"{month:%Y-%m}"},
        [
            Column(_("Full name"), 14),
            Column(_("Posts"), 40),
            Column(_("Points"), 10, "int"),
            Column(_("Allowance"), 14),
        ],
        [[r.name, "、".join(r.posts), r.points, r.amount] for r in rows],
    )
    return xlsx_response(_("allowances %(month)s.xlsx") % {"month": f"{month:%Y-%m}"}, [sheet])
