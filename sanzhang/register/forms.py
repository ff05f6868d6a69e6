"""The register's hand-kept changes: a household moves within the county, or moves away."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MoveForm(forms.Form):
    to_code = forms.CharField(
        label=_("New unit or village grid (code)"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class MovedAwayForm(forms.Form):
    on = forms.DateField(label=_("Moved away on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["on"].initial = timezone.localdate()
