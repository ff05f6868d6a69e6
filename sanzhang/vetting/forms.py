from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanzhang.party.models import PartyOrganisation

from .models import Conclusion, Decision, View
from .services import MAX_TEXT


class OpenForm(forms.Form):
    """The department's form; the households offered are those of the grid it chose first."""

    cadre_name = forms.CharField(label=_("Cadre's name"), max_length=50)
    current_post = forms.CharField(label=_("Current post and work unit"), max_length=200)
    proposed_post = forms.CharField(label=_("Post considered for"), max_length=200)
    id_number = forms.CharField(
        label=_("Cadre's ID number (optional)"),
        max_length=18,
        required=False,
        help_text=_("Only to find the cadre in the register and keep them away from it."),
    )
    households = forms.MultipleChoiceField(
        label=_("Households where the cadre lives"), widget=forms.CheckboxSelectMultiple
    )
    branches = forms.ModelMultipleChoiceField(
        label=_("Party branches to ask"),
        queryset=PartyOrganisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Leave empty to ask the branches of the households' grids."),
    )
    deadline = forms.DateField(
        label=_("Deadline for the findings"), widget=forms.DateInput(attrs={"type": "date"})
    )
    grid = forms.CharField(widget=forms.HiddenInput)
    # A new one each time the form is shown; posting the same form twice opens one vetting.
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, households: list[tuple[str, str]], branches: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["households"].choices = households  # type: ignore[attr-defined]
        self.fields["branches"].queryset = branches  # type: ignore[attr-defined]


class Versioned(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ViewForm(Versioned):
    giver_kind = forms.ChoiceField(
        label=_("Given by a"), choices=View.Giver.choices, widget=forms.RadioSelect
    )
    giver = forms.CharField(label=_("Name of who gave it"), max_length=50)
    relationship = forms.CharField(
        label=_("Relationship to the cadre"),
        max_length=50,
        required=False,
        help_text=_("e.g. the neighbour across the landing"),
    )
    said = forms.CharField(
        label=_("What they said"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


def _area(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class FindingsForm(Versioned):
    family_conduct = _area(_("Family upbringing and conduct (家教家风)"))
    neighbours = _area(_("Relations with neighbours (邻里关系)"))
    law_abiding = _area(_("Observing law and discipline (遵纪守法)"))
    community_affairs = _area(_("Taking part in community affairs (参与社区事务)"))
    conclusion = forms.ChoiceField(
        label=_("Conclusion"), choices=Conclusion.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons (needed when not satisfactory)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecideForm(Versioned):
    decision = forms.ChoiceField(
        label=_("The department's decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
