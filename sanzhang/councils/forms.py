from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Choice, Outcome, Party
from .services import MAX_TEXT, MAX_TITLE


class SetUpForm(forms.Form):
    place = forms.CharField(label=_("Place"), max_length=200)


class SeatForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices)
    phone = forms.CharField(
        label=_("Member's phone"),
        max_length=20,
        required=False,
        help_text=_("A person registered in the system; they sign in on their own phone."),
    )
    organisation_name = forms.CharField(
        label=_("Or an organisation"), max_length=100, required=False
    )
    representative = forms.CharField(label=_("Represented by"), max_length=50, required=False)


class TopicForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Topic comes from"),
        choices=[
            ("issue", _("An issue (群众反映)")),
            ("visit", _("A visit (走访)")),
            ("wish", _("A micro-wish (微心愿)")),
            ("proposal", _("A member's proposal (议事代表提议)")),
        ],
    )
    reference = forms.CharField(
        label=_("Issue number, visit or wish number"), max_length=30, required=False
    )
    title = forms.CharField(
        label=_("Topic"),
        max_length=MAX_TITLE,
        help_text=_("Shown on the noticeboard once decided: no names or door numbers."),
    )
    proposal = forms.CharField(
        label=_("Proposal"), max_length=MAX_TEXT, required=False, widget=forms.Textarea({"rows": 2})
    )
    proposed_by = forms.IntegerField(required=False)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput({"type": "date"}))
    starts_at = forms.TimeField(
        label=_("Starts at"),
        required=False,
        initial="19:30",
        widget=forms.TimeInput({"type": "time"}, format="%H:%M"),
    )
    venue = forms.CharField(label=_("Venue"), max_length=100, required=False)


class DecisionForm(forms.Form):
    topic = forms.IntegerField()
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices)
    text = forms.CharField(
        label=_("What was decided"),
        max_length=MAX_TEXT,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Published on the noticeboard: no personal data."),
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, required=False)
    owner = forms.CharField(label=_("Carried out by"), max_length=100, required=False)
    due_on = forms.DateField(
        label=_("To be done by"), required=False, widget=forms.DateInput({"type": "date"})
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), max_length=20000, required=False, widget=forms.Textarea({"rows": 4})
    )
    public_minutes = forms.CharField(
        label=_("Minutes for the noticeboard"),
        max_length=20000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("No names, phone numbers or door numbers."),
    )


class VoteForm(forms.Form):
    topic = forms.IntegerField()
    choice = forms.ChoiceField(choices=Choice.choices)
