"""The visit form the page posts when it has no script (the phone queues it otherwise)."""

from __future__ import annotations

from django import forms

from sanzhang.core.forms import IdField


class VisitForm(forms.Form):
    """Every cell is read leniently: the service refuses in the leader's words what is wrong
    (an unknown kind, a text too long), as it does for the queued visits."""

    key = forms.CharField(required=False, max_length=64)
    kind = forms.CharField(required=False, max_length=40)
    household = IdField()
    met = forms.CharField(required=False, strip=False)
    heard = forms.CharField(required=False, strip=False)
    contact_in_group = forms.CharField(required=False, max_length=3)  # yes, no, or not asked
    problem = forms.CharField(required=False, strip=False)

    def contact(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["contact_in_group"])
