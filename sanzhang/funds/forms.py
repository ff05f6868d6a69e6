"""The forms of the funding pages; amounts are read by `money.parse_amount`, never as floats."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanzhang.core.errors import Invalid
from sanzhang.core.forms import IdField

from .models import Fund
from .money import parse_amount


class AmountField(forms.CharField):
    def clean(self, value: Any) -> Decimal:  # type: ignore[override]
        try:
            return parse_amount(str(value or ""))
        except Invalid as error:
            raise forms.ValidationError(error.message) from None


class SignedAmountField(forms.CharField):
    """A correction: '-12.30' takes money out, '12.30' puts it in."""

    def clean(self, value: Any) -> Decimal:  # type: ignore[override]
        text = str(value or "").strip()
        sign = -1 if text.startswith("-") else 1
        try:
            return sign * parse_amount(text[1:] if text[:1] in "-+" else text)
        except Invalid as error:
            raise forms.ValidationError(error.message) from None


FUND = _("Choose one of the funds.")


class BudgetForm(forms.Form):
    key = forms.CharField(required=False, max_length=64)
    fund = forms.ChoiceField(
        choices=Fund.choices, error_messages={"invalid_choice": FUND, "required": FUND}
    )
    amount = AmountField()
    reason = forms.CharField(required=False, max_length=2000)


class AllocateForm(forms.Form):
    key = forms.CharField(required=False, max_length=64)
    child = IdField()  # the view finds it among the places directly below
    amount = AmountField()
    reason = forms.CharField(required=False, max_length=2000)


class CorrectForm(forms.Form):
    key = forms.CharField(required=False, max_length=64)
    amount = SignedAmountField()
    reason = forms.CharField(required=False, max_length=2000)


DATE = _("Give the date the money was spent.")


class SpendingForm(forms.Form):
    item = forms.CharField(required=False, max_length=100)
    amount = AmountField()
    spent_on = forms.DateField(error_messages={"required": DATE, "invalid": DATE})
    purpose = forms.CharField(required=False, max_length=2000)
    receipt = forms.FileField(required=False)
    token = forms.CharField(required=False, max_length=64)


class RefuseForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000)


class RuleForm(forms.Form):
    yuan_per_point = AmountField()
    monthly_cap = AmountField()
    fund = forms.ChoiceField(
        choices=Fund.choices, error_messages={"invalid_choice": FUND, "required": FUND}
    )
