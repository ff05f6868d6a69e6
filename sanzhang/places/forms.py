from django import forms
from django.utils.translation import gettext_lazy as _


class RenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=100)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class MoveForm(forms.Form):
    parent_code = forms.CharField(label=_("Code of the new parent"), max_length=80)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
