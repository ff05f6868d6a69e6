from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sanzhang.core.forms import IdField
from sanzhang.places.models import Place

from .invitations import check_password
from .models import Invitation


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "138 0000 0000"}
        ),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class HomeForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=50)
    door = forms.CharField(label=_("Door number"), max_length=40)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("refuse", _("Refuse"))])
    reason = forms.CharField(label=_("Reason (when refusing)"), max_length=200, required=False)


class PartyRegistrationForm(forms.Form):
    """A party member's registration: where they live, where they work, their organisation."""

    community = forms.ModelChoiceField(
        label=_("Community or village where you live"), queryset=Place.objects.none()
    )
    work_unit = forms.CharField(label=_("Work unit"), max_length=100)
    party_organisation = forms.CharField(
        label=_("Party organisation"),
        max_length=100,
        help_text=_("The party branch your membership is kept in, e.g. 县财政局机关党支部."),
    )

    def __init__(self, *args: Any, communities: QuerySet[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)  # nosec B101 # for mypy: the field declared above
        field.queryset = communities
        field.label_from_instance = _place_name  # type: ignore[method-assign,assignment]


def _place_name(place: Place) -> str:
    return place.name


class InviteForm(forms.Form):
    """Whom to invite, to which kind of account, working for which organisation."""

    person = IdField()
    role = forms.ChoiceField(label=_("Account"))
    organisation = IdField()

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)  # nosec B101 # for mypy: the field declared above
        field.choices = roles


class AcceptForm(forms.Form):
    """The invited person's user name and their own password, typed twice."""

    username = forms.RegexField(
        label=_("User name"),
        regex=r"^[A-Za-z0-9._-]{3,30}$",
        error_messages={"invalid": _("3 to 30 letters, digits, dots, hyphens or underscores.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first and data.get("username"):
            try:
                check_password(first, data["username"], self.invitation)
            except ValidationError as error:
                self.add_error("password1", error)
        return data
