from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanzhang.posts.models import PostKind


class PlanForm(forms.Form):
    """Who follows the holder: the post's reserve holder, or someone named by their phone."""

    who = forms.ChoiceField(
        label=_("Who follows"),
        choices=[("reserve", _("The reserve holder")), ("other", _("Someone else"))],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    phone = forms.RegexField(
        label=_("Mobile phone"),
        regex=r"^1\d{10}$",
        required=False,
        error_messages={"invalid": _("Enter an 11-digit mobile number.")},
    )
    on = forms.DateField(label=_("On"))
    reason = forms.CharField(label=_("Reason"), max_length=200)
    despite_concerns = forms.BooleanField(
        label=_("Plan despite the concerns above"), required=False
    )
    concerns_seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("who") == "other" and not (data.get("name") and data.get("phone")):
            raise forms.ValidationError(_("Give the name and mobile number of who follows."))
        return data


class RulesForm(forms.Form):
    """A county's term (in months, empty: none) and reserves' steps, per kind of post."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for kind, label in PostKind.choices:
            self.fields[f"term_{kind}"] = forms.IntegerField(
                label=label, min_value=1, max_value=120, required=False
            )
            self.fields[f"act_{kind}"] = forms.BooleanField(
                label=_("Reserve holders may act"), required=False
            )

    def rows(self) -> list[tuple[object, forms.BoundField, forms.BoundField]]:
        return [
            (label, self[f"term_{kind}"], self[f"act_{kind}"]) for kind, label in PostKind.choices
        ]
