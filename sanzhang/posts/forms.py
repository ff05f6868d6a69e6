from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PLACE_KINDS_FOR_POST, PostKind, Tenure


class AppointForm(forms.Form):
    """Who takes a post: found by full phone number, or recorded as a new person."""

    kind = forms.ChoiceField(label=_("Post"))
    role = forms.ChoiceField(label=_("Role"), choices=Tenure.Role.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.RegexField(
        label=_("Mobile phone"),
        regex=r"^1\d{10}$",
        error_messages={"invalid": _("Enter an 11-digit mobile number.")},
    )
    start = forms.DateField(label=_("Starts on"), initial=timezone.localdate)
    despite_concerns = forms.BooleanField(
        label=_("Appoint despite the concerns above"), required=False
    )
    concerns_seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, place_kind: str, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)  # nosec B101 # for mypy: the field declared above
        kind_field.choices = [
            (kind, label)
            for kind, label in PostKind.choices
            if place_kind in PLACE_KINDS_FOR_POST[kind]
        ]


class StandDownForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    reserve_takes_over = forms.BooleanField(
        label=_("The reserve holder takes over"), required=False
    )
