from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanzhang.places.models import Place

from .models import ServiceKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ApplyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    business_name = forms.CharField(label=_("Business name"), max_length=100)
    contact_name = forms.CharField(label=_("Contact name"), max_length=50)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    prices = forms.CharField(
        label=_("Prices, as you state them"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities served"),
        queryset=Place.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    licence = forms.ImageField(label=_("Photo of the business licence"))

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["communities"]
        field.queryset = communities  # type: ignore[attr-defined]
        field.label_from_instance = lambda place: place.name  # type: ignore[attr-defined]


class BookForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    service = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    wanted_at = forms.DateTimeField(
        label=_("When would suit you"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    problem = forms.CharField(
        label=_("The problem"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = forms.FileField(
        label=_("Photos (up to 3)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )


class MoveForm(forms.Form):
    note = forms.CharField(label=pgettext_lazy("booking", "Note"), max_length=300, required=False)
    proposed_at = forms.DateTimeField(
        label=_("Another time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class RateForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    words = forms.CharField(
        label=_("In your words"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ComplainForm(forms.Form):
    words = forms.CharField(
        label=_("What went wrong"), max_length=1500, widget=forms.Textarea(attrs={"rows": 3})
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
