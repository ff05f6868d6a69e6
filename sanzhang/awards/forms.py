"""The forms of the award pages; the services check what the values mean."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanzhang.core.forms import IdField, IdListField

WINNERS = _("Between 1 and 100 awards.")


class CampaignForm(forms.Form):
    # Not required here: the service refuses an empty title or number in its own words.
    title = forms.CharField(required=False)
    winners = forms.IntegerField(required=False, error_messages={"invalid": WINNERS})


class CampaignActForm(forms.Form):
    """Every field any action on a campaign posts; each action reads those it needs."""

    place = forms.CharField(required=False)
    kind = forms.CharField(required=False)
    reason = forms.CharField(required=False, strip=False)
    nominations = IdListField()
    nomination = IdField()
