"""The register's hand-kept changes: a household added or corrected, its residents added or
corrected, a household moving within the county or away."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanzhang.people.models import Person, Tag
from sanzhang.places.models import Place

from .editing import Resident
from .importing.checking import MAX_ADDRESS, MAX_DOOR, MAX_NAME


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


class PlaceChoiceField(forms.ModelChoiceField[Place]):
    """A unit or village grid, by its code and name (two units are both "1单元")."""

    def label_from_instance(self, obj: Place) -> str:
        return f"{obj.code} {obj.name}"


class HouseholdForm(forms.Form):
    """A household added by hand (with `places`), or its door and address corrected."""

    place = PlaceChoiceField(
        label=_("Unit or village grid"), queryset=Place.objects.none(), required=False
    )
    door = forms.CharField(label=_("Door number"), max_length=MAX_DOOR)
    address = forms.CharField(label=_("Address"), max_length=MAX_ADDRESS, required=False)

    def __init__(
        self,
        *args: Any,
        places: QuerySet[Place] | None = None,
        masked_address: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if masked_address:  # correcting: the address is shown masked, typed only to change
            self.fields["address"].widget.attrs["placeholder"] = masked_address
            self.fields["address"].help_text = _("Leave empty to keep the registered one.")
        field = self.fields["place"]
        assert isinstance(field, PlaceChoiceField)  # nosec B101 # for mypy: the field declared above
        if places is None:
            del self.fields["place"]
        else:
            field.queryset = places
            field.required = True


class ResidentForm(forms.Form):
    """A resident added to a household, or corrected (`editing`: empty numbers keep)."""

    name = forms.CharField(label=_("Name"), max_length=MAX_NAME)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    relation = forms.ChoiceField(
        label=_("Relation to the head"),
        choices=[("", "—"), *Person.Relation.choices],
        required=False,
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Special groups"),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, tags: list[Tag], masked: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tags"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # nosec B101 # for mypy: the field declared above
        field.queryset = Tag.objects.filter(pk__in=[tag.pk for tag in tags])
        if masked is not None:  # editing: the numbers are shown masked, typed only to change
            for name in ("id_number", "phone"):
                self.fields[name].required = False
                self.fields[name].widget.attrs["placeholder"] = masked[name]
                self.fields[name].help_text = _("Leave empty to keep the registered one.")

    def resident(self) -> Resident:
        data = self.cleaned_data
        return Resident(
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            relation=data["relation"],
            tags=list(data["tags"]),
        )
