from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanzhang.places.models import PlaceKind

from .models import Category, OwnerLevel, Tier
from .suggest import categories_at


class RoutingRuleForm(forms.Form):
    tier = forms.ChoiceField(label=_("tier"), choices=Tier.choices)
    category = forms.ModelChoiceField(
        label=_("category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("any category"),
    )
    place_kind = forms.ChoiceField(
        label=_("kind of place"),
        choices=[("", _("any kind of place")), *PlaceKind.choices],
        required=False,
    )
    owner_levels = forms.MultipleChoiceField(
        label=_("owner levels"),
        choices=OwnerLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The lowest of these with a holder takes the issue; "
            "the county office alone sends it up."
        ),
    )

    def clean_owner_levels(self) -> str:
        """The levels ticked, from the lowest up, as the rule keeps them."""
        ticked = set(self.cleaned_data["owner_levels"])
        return ",".join(level for level in OwnerLevel.values if level in ticked)

    def __init__(self, *args: Any, code: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The categories in force at the office's county (its own copies, if any).
        self.fields["category"].queryset = categories_at(code)  # type: ignore[attr-defined]


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("name"), max_length=50)
    is_working_day = forms.BooleanField(label=_("a weekend day worked (调休)"), required=False)


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=32)
    name = forms.CharField(label=_("name"), max_length=50)
    keywords = forms.CharField(
        label=_("keywords"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Words that suggest this category, one per line."),
    )
    default_tier = forms.ChoiceField(label=_("default tier"), choices=Tier.choices)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
