"""The forms of the co-building pages; the services say what is wrong with the values."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanzhang.core.forms import IdField

from .models import BindingKind, CommitmentKind, Grade, UnitKind

AMOUNT = _("Give the amount as a number, e.g. 12.5.")
DATE = _("Give the date.")


class UnitForm(forms.Form):
    place = IdField()  # the view finds it among the communities and villages of the user's area
    name = forms.CharField(required=False, max_length=100)
    kind = forms.ChoiceField(choices=UnitKind.choices)
    binding_kind = forms.ChoiceField(choices=BindingKind.choices)
    party_organisation = forms.CharField(required=False, max_length=100)
    contact_name = forms.CharField(required=False, max_length=50)
    contact_phone = forms.RegexField(
        regex=r"^[0-9+\- ]{0,20}$",
        required=False,
        error_messages={"invalid": _("Give the phone number in digits.")},
    )
    since = forms.DateField(required=False, error_messages={"invalid": DATE})  # empty: today


class EndBindingForm(forms.Form):
    until = forms.DateField(error_messages={"required": DATE, "invalid": DATE})


class AgreementForm(forms.Form):
    community = IdField()
    year = forms.IntegerField(error_messages={"required": _("Give the year.")})
    signed_on = forms.DateField(error_messages={"required": DATE, "invalid": DATE})


class CommitmentForm(forms.Form):
    kind = forms.ChoiceField(choices=CommitmentKind.choices)
    description = forms.CharField(required=False, max_length=200)
    target = forms.DecimalField(
        max_digits=12, decimal_places=2, error_messages={"required": AMOUNT, "invalid": AMOUNT}
    )
    measure = forms.CharField(required=False, max_length=10)


class ActivityForm(forms.Form):
    commitment = IdField()
    held_on = forms.DateField(error_messages={"required": DATE, "invalid": DATE})
    what = forms.CharField(required=False, max_length=200)
    amount = forms.DecimalField(
        max_digits=12, decimal_places=2, error_messages={"required": AMOUNT, "invalid": AMOUNT}
    )


GRADE_MISSING = _("Give a grade for every heading.")


def _grade() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=Grade.choices,
        coerce=int,
        error_messages={"required": GRADE_MISSING, "invalid_choice": GRADE_MISSING},
    )


class RatingForm(forms.Form):
    keeping = _grade()
    taking_part = _grade()
    serving = _grade()
    conduct = _grade()
    comment = forms.CharField(required=False, max_length=2000)
