"""The forms of the people pages."""

from __future__ import annotations

from django import forms

from .services import REVEALABLE


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[(name, name) for name in sorted(REVEALABLE)])

    def chosen(self) -> str:
        """The field to reveal, or "" for any other (which the service answers with 404)."""
        return self.cleaned_data["field"] if self.is_valid() else ""
