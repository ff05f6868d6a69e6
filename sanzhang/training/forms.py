"""The forms of the training pages; the services say what is wrong with the values."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanzhang.core.forms import IdField

WHEN = _("Give the start and the end of the class.")


class CourseForm(forms.Form):
    place = IdField()  # the view finds it among the places of the user's area
    title = forms.CharField(required=False, max_length=100)
    description = forms.CharField(required=False, strip=False)


class SessionForm(forms.Form):
    topic = forms.CharField(required=False, max_length=200)
    where = forms.CharField(required=False, max_length=200)
    # A naive time typed in the page is read as local (Asia/Shanghai).
    starts_at = forms.DateTimeField(error_messages={"required": WHEN, "invalid": WHEN})
    ends_at = forms.DateTimeField(error_messages={"required": WHEN, "invalid": WHEN})
    trainer = forms.CharField(required=False, max_length=100)
    materials = forms.CharField(required=False, strip=False)


class MarkForm(forms.Form):
    person = IdField()  # the view finds them among the organiser's candidates
