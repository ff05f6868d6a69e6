from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "138 0000 0000"}
        ),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class HomeForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=50)
    door = forms.CharField(label=_("Door number"), max_length=40)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("refuse", _("Refuse"))])
    reason = forms.CharField(label=_("Reason (when refusing)"), max_length=200, required=False)
