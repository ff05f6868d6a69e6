"""The forms of the volunteer pages; the services check what the values mean."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanzhang.core.forms import IdField
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code

WHEN_AND_HOW_MANY = _("Give the time and the number of volunteers needed.")


class RegisterForm(forms.Form):
    # The view finds the person among those of the staff member's own area.
    place = forms.CharField(required=False)
    person = IdField()
    leader_post = IdField()
    kind = forms.CharField(required=False)
    company = forms.CharField(required=False)


class TaskForm(forms.Form):
    place = forms.CharField(required=False)
    title = forms.CharField(required=False)
    description = forms.CharField(required=False)
    starts_at = forms.DateTimeField(
        error_messages={"required": WHEN_AND_HOW_MANY, "invalid": WHEN_AND_HOW_MANY}
    )
    slots = forms.IntegerField(required=False, error_messages={"invalid": WHEN_AND_HOW_MANY})

    def clean_place(self) -> Place:
        # The place first among the fields: an unknown place is what the page names first.
        place = Place.objects.filter(code=normalise_code(self.cleaned_data["place"])).first()
        if place is None:
            raise forms.ValidationError(_("No place with that code."))
        return place

    def clean_slots(self) -> int:
        return self.cleaned_data["slots"] or 0


class HoursForm(forms.Form):
    signup = IdField()
    # Passed on as typed: the service reads the number and says what is wrong with it.
    hours = forms.CharField(required=False, strip=False)
