"""The forms of the supervision pages: they read what is posted; the services (notices,
dispatch, rectification) decide whether it may be saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanzhang.core.forms import IdField, IdListField
from sanzhang.people.models import Organisation
from sanzhang.posts.models import Post

DATE = _("Give a date as YYYY-MM-DD.")
NOT_AVAILABLE = _("That choice is not available.")


def _date_field(*, required: bool = True) -> forms.DateField:
    # ISO only, as the date inputs send it and the message asks for it.
    return forms.DateField(
        required=required,
        input_formats=["%Y-%m-%d"],
        error_messages={"required": DATE, "invalid": DATE},
    )


class NoticeForm(forms.Form):
    # Not required here: the service refuses a missing title, text, kind or place itself.
    title = forms.CharField(required=False)
    kind = forms.CharField(required=False)
    body = forms.CharField(required=False)
    places = IdListField()
    issues = forms.CharField(required=False)


class MeetingPartForm(forms.Form):
    """Which of a monthly report's meeting forms was posted."""

    what = forms.ChoiceField(choices=[(w, w) for w in ("record", "decision", "follow_up")])

    def chosen(self) -> str:
        """The part posted, or "" for none of them (which saves nothing)."""
        return self.cleaned_data["what"] if self.is_valid() else ""


class MeetingRecordForm(forms.Form):
    held_on = _date_field()
    attendees = forms.CharField(required=False)
    record = forms.CharField(required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(required=False)
    responsible = forms.CharField(required=False)
    due_on = _date_field()


class FollowUpForm(forms.Form):
    decision = IdField()
    follow_up = forms.CharField(required=False)
    done = forms.BooleanField(required=False)


class ItemActForm(forms.Form):
    """What every action on a rectification item posts: the version it was shown at, and the
    answer or note of those that take one."""

    version = IdField()
    answer = forms.CharField(required=False)
    note = forms.CharField(required=False)


class ItemEditForm(ItemActForm):
    description = forms.CharField(required=False)
    responsible_post = forms.ModelChoiceField(
        queryset=Post.objects.none(),
        required=False,
        error_messages={"invalid_choice": NOT_AVAILABLE},
    )
    responsible_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": NOT_AVAILABLE},
    )
    deadline = _date_field(required=False)

    def __init__(
        self,
        *args: Any,
        posts: QuerySet[Post],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only the posts and organisations the office may make responsible for this item.
        self.fields["responsible_post"].queryset = posts  # type: ignore[attr-defined]
        self.fields["responsible_organisation"].queryset = organisations  # type: ignore[attr-defined]


class CallbackForm(forms.Form):
    """What the resident said when called back (回访)."""

    satisfied = forms.ChoiceField(
        label=_("The resident is"),
        choices=[("yes", _("satisfied")), ("no", _("not satisfied"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("What they said"), max_length=500, required=False)
    how = forms.ChoiceField(
        label=_("Reached by"),
        choices=[("phone", _("phone call")), ("visit", pgettext_lazy("call-back", "visit"))],
        initial="phone",
    )
