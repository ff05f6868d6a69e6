"""Form fields and a helper shared by the apps' small forms over posted actions."""

from typing import Any

from django import forms

from .errors import Invalid
from .http import form_id


class IdField(forms.CharField):
    """A record's number, or 0 (which finds nothing) for a mangled one, so that the view's
    lookup answers 404 as it always has, rather than the form refusing."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int:  # type: ignore[override]
        return form_id(super().to_python(value))


class IdListField(forms.Field):
    """Several records' numbers from one repeated field (checkboxes), each as `IdField` reads
    it; the view keeps only those among the records it offered."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [form_id(str(v)) for v in values]


def valid_data(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data, or the first of its errors refused like a service's refusal,
    so that pages show it in the same place as every other refusal."""
    if not form.is_valid():
        first = next(iter(form.errors.values()))
        raise Invalid(str(first[0]))
    return form.cleaned_data
