from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CapPeriod, Cause

AWARD_CAUSES = [(value, label) for value, label in Cause.choices if value != Cause.CORRECTION]


class RuleForm(forms.Form):
    cause = forms.ChoiceField(label=_("cause"), choices=AWARD_CAUSES)
    points = forms.IntegerField(label=_("points per event"), min_value=0, max_value=1000)
    cap = forms.IntegerField(label=_("cap"), min_value=1, max_value=100000, required=False)
    cap_period = forms.ChoiceField(
        label=_("cap period"), choices=[("", "—"), *CapPeriod.choices], required=False
    )
    valid_from = forms.DateField(
        label=_("valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("reason for the change"), required=False, max_length=500, widget=forms.Textarea
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cap") and not data.get("cap_period"):
            self.add_error("cap_period", _("Say which period the cap is for."))
        return data


class CorrectionForm(forms.Form):
    points = forms.IntegerField(
        label=_("points (negative to take away)"), min_value=-1000, max_value=1000
    )
    reason = forms.CharField(label=_("reason"), max_length=500, widget=forms.Textarea)
