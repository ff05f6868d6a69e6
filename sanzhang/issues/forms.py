from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanzhang.core.forms import IdField, IdListField, MultipleFileField, MultipleFileInput
from sanzhang.core.photos import MAX_PHOTOS

from .models import Category, Channel, Tier
from .suggest import categories_at

LEADER_CHANNELS = [
    (value, label) for value, label in Channel.choices if value not in ("online", "api")
]


class ReportForm(forms.Form):
    """A resident's report (and, with `channel` and `door`, a leader's record of one)."""

    category = forms.ModelChoiceField(
        label=_("category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("Let the system suggest"),
        to_field_name="code",  # the API's word for it too: a report kept offline goes there
    )
    text = forms.CharField(
        label=_("What is the problem?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    # A code, sent by the pages' place pickers (found by name, never typed) and by the API.
    place = forms.CharField(label=_("Where is the problem?"), required=False, max_length=100)
    public_consent = forms.BooleanField(
        label=_("Neighbours may see my words and photos on the public page"), required=False
    )
    intake_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    photos = MultipleFileField(
        label=_("Photos (up to %(n)d)") % {"n": MAX_PHOTOS},
        widget=MultipleFileInput(
            attrs={
                "accept": "image/*",
                "data-photos": "1",  # core/photos.js: thumbnails, remove, smaller before sending
                "data-max": str(MAX_PHOTOS),
                "data-remove": _("Remove"),
            }
        ),
    )

    def __init__(self, *args: Any, code: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The categories in force where the user lives or works (their county's own, if any).
        self.fields["category"].queryset = categories_at(code)  # type: ignore[attr-defined]


class RecordForm(ReportForm):
    channel = forms.ChoiceField(label=_("channel"), choices=LEADER_CHANNELS)
    door = forms.CharField(label=_("household's door number"), max_length=40, required=False)


class ActionForm(forms.Form):
    """One form for every step; each action reads the fields it needs."""

    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(required=False, max_length=2000)
    message = forms.CharField(required=False, max_length=2000)
    satisfied = forms.NullBooleanField(required=False)
    tier = forms.ChoiceField(required=False, choices=[("", "—"), *Tier.choices])
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(is_active=True), required=False
    )
    place = forms.CharField(required=False, max_length=100)
    into = forms.CharField(required=False, max_length=20)
    version = forms.IntegerField(required=False)


DATE = _("Give a date as YYYY-MM-DD.")


def _date_field() -> forms.DateField:
    # ISO only, as the date inputs send it and the message asks for it.
    return forms.DateField(
        input_formats=["%Y-%m-%d"], error_messages={"required": DATE, "invalid": DATE}
    )


class MeetingForm(forms.Form):
    """A new assignment meeting; the service refuses an empty title in its own words."""

    title = forms.CharField(required=False)
    held_on = _date_field()


class MeetingActionForm(forms.Form):
    """Which of a meeting's forms was posted."""

    action = forms.ChoiceField(choices=[(a, a) for a in ("agenda", "assign", "close")])

    def chosen(self) -> str:
        """The action posted, or "" for none of them (which saves nothing)."""
        return self.cleaned_data["action"] if self.is_valid() else ""


class AgendaForm(forms.Form):
    issue = forms.CharField(required=False)  # the issue's number, found among those waiting


class AssignForm(forms.Form):
    item = IdField()
    lead = IdField()
    helpers = IdListField()
    due_on = _date_field()
    note = forms.CharField(required=False)


class CloseMeetingForm(forms.Form):
    record = forms.CharField(required=False)


class RulesActionForm(forms.Form):
    """Which of the rules page's forms was posted."""

    action = forms.ChoiceField(
        choices=[
            (a, a)
            for a in (
                "save_rule",
                "save_holiday",
                "save_category",
                "delete_rule",
                "set_deadlines",
                "delete_holiday",
            )
        ]
    )

    def chosen(self) -> str:
        """The action posted, or "" for none of them (which changes nothing)."""
        return self.cleaned_data["action"] if self.is_valid() else ""


class RemoveRuleForm(forms.Form):
    # Removing a routing rule or a holiday: the view finds it among those in force, else 404.
    rule = IdField()
    holiday = IdField()


WHOLE_DAYS = _("Working days must be whole numbers.")


class DeadlinesForm(forms.Form):
    """The working days of every timed step of every tier, one field named `tier:state` each."""

    def __init__(self, *args: Any, states: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for tier in Tier.values:
            for state in states:
                self.fields[f"{tier}:{state}"] = forms.IntegerField(
                    min_value=0,
                    error_messages={
                        "required": WHOLE_DAYS,
                        "invalid": WHOLE_DAYS,
                        "min_value": WHOLE_DAYS,
                    },
                )

    def days(self) -> list[tuple[str, str, int]]:
        """(tier, state, working days) of each field, once the form is valid."""
        rows = []
        for name, days in self.cleaned_data.items():
            tier, state = name.split(":", 1)
            rows.append((tier, state, days))
        return rows


class NumberListField(forms.Field):
    """Issue numbers from repeated checkboxes; they are looked up among the user's issues, so
    anything else simply finds nothing."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [str(v)[:40] for v in values][:200]


class BulkForm(forms.Form):
    """One step for several issues of the work list, chosen by their numbers."""

    action = forms.CharField(max_length=40)
    issue = NumberListField(required=False)
