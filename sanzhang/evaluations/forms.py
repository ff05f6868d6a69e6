from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import COMMENT_MAX, Choice
from .services import TITLE_MAX


class OpenForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX, help_text=_("For example 2026年第四季度.")
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    pass_rate = forms.IntegerField(
        label=_("Satisfaction rate for points (%)"), min_value=1, max_value=100, initial=90
    )
    min_votes = forms.IntegerField(
        label=_("Fewest evaluations for points"), min_value=1, max_value=1000, initial=5
    )


class VoteForm(forms.Form):
    period = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    tenure = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    choice = forms.ChoiceField(choices=Choice.choices)
    comment = forms.CharField(required=False, max_length=COMMENT_MAX)
