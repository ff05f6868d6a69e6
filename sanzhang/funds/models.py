"""Funding (经费保障): a year's budget per fund, allocated down the tree, spent by places with a
receipt, and a ledger per account that is append-only like the points ledger.

An account (one fund, one year, one place) stores its balance and its totals, so the balances
page reads one row per account and never sums the ledger; every change of a balance is a
conditional UPDATE (`balance >= amount` for a debit) written in the same transaction as its
ledger line, so the stored balance always equals the sum of the ledger and never goes below
zero. Money is Decimal with two places (yuan and fen), never a float.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanzhang.places.models import Place


class Fund(models.TextChoices):
    """The funds the county's plan names."""

    GRID_BRANCH = "grid_branch", _("Grid branch working funds (网格支部工作经费)")
    HELPING_UNITS = "helping_units", _("Helping units' funds (帮扶单位经费)")
    CO_BUILDING = "co_building", _("Co-building funds (共建经费)")


class Account(models.Model):
    """One fund's money at one place for one year: the stored balance and what came in
    (`received`: budget and allocations from above), went down (`allocated`) and was spent."""

    fund = models.CharField(_("fund"), max_length=16, choices=Fund.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="fund_accounts"
    )
    balance = models.DecimalField(_("balance"), default=0, max_digits=14, decimal_places=2)
    received = models.DecimalField(_("received"), default=0, max_digits=14, decimal_places=2)
    allocated = models.DecimalField(_("allocated down"), default=0, max_digits=14, decimal_places=2)
    spent = models.DecimalField(_("spent"), default=0, max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("fund account")
        verbose_name_plural = _("fund accounts")
        ordering = ["year", "place__code", "fund"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year", "place"], name="funds_account_once"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="funds_account_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_fund_display()} {self.year} {self.place.name}"


class AppendOnlyError(Exception):
    pass


class EntryQuerySet(models.QuerySet["Entry"]):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("the fund ledger is append-only")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("the fund ledger is append-only")


class Entry(models.Model):
    """One line of an account's ledger: the amount (signed: money in is positive), its kind,
    the account at the other end of an allocation, the spending it paid, and the balance after
    it. Never updated or deleted: a mistake is put right by a correction with a reason."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("Budget (预算下达)")
        ALLOCATION_IN = "allocation_in", _("Allocated from above (上级拨付)")
        ALLOCATION_OUT = "allocation_out", _("Allocated down (向下拨付)")
        SPENDING = "spending", _("Spending (支出)")
        CORRECTION = "correction", _("Correction (更正)")

    account = models.ForeignKey(
        Account, verbose_name=_("fund account"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("entry kind"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    balance_after = models.DecimalField(_("balance after"), max_digits=14, decimal_places=2)
    other = models.ForeignKey(
        Account,
        verbose_name=_("other account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    spending = models.ForeignKey(
        "Spending", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    # The form's one-time key: the same form sent twice moves the money once.
    form_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund ledger entry")
        verbose_name_plural = _("fund ledger entries")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="correction") | ~Q(reason=""), name="funds_entry_reason"
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="funds_entry_not_zero"),
            models.UniqueConstraint(
                fields=["account", "form_key"],
                condition=~Q(form_key=""),
                name="funds_entry_once_per_form",
            ),
        ]
        indexes = [models.Index(fields=["account", "at"], name="funds_entry_account_at")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.kind} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("the fund ledger is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("the fund ledger is append-only")


def receipt_path(instance: Spending, filename: str) -> str:
    return f"funds/{instance.recorded_at:%Y/%m}/{filename}"


class Spending(models.Model):
    """A claim on an account (报销): item, amount, date, purpose and the receipt's photo,
    recorded by the place's staff and approved (the debit) or refused by the level above."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    account = models.ForeignKey(
        Account, verbose_name=_("fund account"), on_delete=models.PROTECT, related_name="spendings"
    )
    item = models.CharField(_("item"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    spent_on = models.DateField(_("date"))
    purpose = models.TextField(_("purpose"))
    receipt = models.ImageField(_("receipt"), upload_to=receipt_path)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("approved or refused at"), null=True, blank=True)
    refusal = models.TextField(_("reason for refusal"), blank=True)
    form_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spendings")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_spending_positive"),
            models.UniqueConstraint(
                fields=["recorded_by", "form_key"],
                condition=~Q(form_key=""),
                name="funds_spending_once_per_form",
            ),
        ]
        indexes = [models.Index(fields=["status", "account"], name="funds_spending_status")]

    def __str__(self) -> str:
        return f"{self.item} ¥{self.amount}"


class AllowanceRule(models.Model):
    """The county's rule for leaders' allowances (补贴): yuan per point earned in a month, at
    most `monthly_cap` a month, paid from `fund`. A change is a new row; the newest applies."""

    place = models.ForeignKey(
        Place, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    yuan_per_point = models.DecimalField(_("yuan per point"), max_digits=8, decimal_places=2)
    monthly_cap = models.DecimalField(_("monthly cap"), max_digits=14, decimal_places=2)
    fund = models.CharField(_("paid from"), max_length=16, choices=Fund.choices)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        verbose_name = _("allowance rule")
        verbose_name_plural = _("allowance rules")
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"{self.place_id} ¥{self.yuan_per_point}/pt ≤ ¥{self.monthly_cap}"
