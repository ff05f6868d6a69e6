from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanzhang.core.photos import MAX_PHOTOS

from .models import Category, Channel, Tier
from .suggest import categories_at

LEADER_CHANNELS = [
    (value, label) for value, label in Channel.choices if value not in ("online", "api")
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReportForm(forms.Form):
    """A resident's report (and, with `channel` and `door`, a leader's record of one)."""

    category = forms.ModelChoiceField(
        label=_("category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("Let the system suggest"),
    )
    text = forms.CharField(
        label=_("What is the problem?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(
        label=_("Where (place code)"),
        required=False,
        help_text=_("Leave empty for your own unit."),
    )
    public_consent = forms.BooleanField(
        label=_("Neighbours may see my words and photos on the public page"), required=False
    )
    intake_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    photos = forms.FileField(
        label=_("Photos (up to %(n)d)") % {"n": MAX_PHOTOS},
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "multiple": True}),
    )

    def __init__(self, *args: Any, code: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The categories in force where the user lives or works (their county's own, if any).
        self.fields["category"].queryset = categories_at(code)  # type: ignore[attr-defined]


class RecordForm(ReportForm):
    channel = forms.ChoiceField(label=_("channel"), choices=LEADER_CHANNELS)
    door = forms.CharField(label=_("household's door number"), max_length=40, required=False)


class ActionForm(forms.Form):
    """One form for every step; each action reads the fields it needs."""

    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(required=False, max_length=2000)
    message = forms.CharField(required=False, max_length=2000)
    satisfied = forms.NullBooleanField(required=False)
    tier = forms.ChoiceField(required=False, choices=[("", "—"), *Tier.choices])
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(is_active=True), required=False
    )
    place = forms.CharField(required=False, max_length=100)
    into = forms.CharField(required=False, max_length=20)
    version = forms.IntegerField(required=False)
