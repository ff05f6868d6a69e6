"""The forms of the announcement pages; the services say what is wrong with the values."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanzhang.core.forms import IdField


class AnnouncementForm(forms.Form):
    place = IdField()  # the view finds it among the places the user may post to
    tag = IdField()  # 0: every household
    title = forms.CharField(required=False, max_length=100)
    body = forms.CharField(required=False, strip=False)
    urgent = forms.BooleanField(required=False)
    until = forms.DateField(
        required=False, error_messages={"invalid": _("Give the last day as 2026-07-31.")}
    )
    post_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class DoorForm(forms.Form):
    household = IdField()  # the view finds it among the unread households of the user's area
