from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_TEXT


class WishForm(forms.Form):
    text = forms.CharField(
        label=_("Your wish"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A small thing a neighbour could help with, e.g. a lift to hospital."),
    )
    post_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class HouseholdWishForm(WishForm):
    household = forms.IntegerField(label=_("Household number"), min_value=1)


class ActForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False, max_length=2000)
    reason = forms.CharField(required=False, max_length=2000)
    photo = forms.FileField(required=False)
