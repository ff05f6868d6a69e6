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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (photos taken or picked several at once), each checked as
    a FileField checks one; the cleaned value is a list, empty when none were sent. (A plain
    FileField given a multiple widget refuses every upload: it is handed a list.)"""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        one = super().clean
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [one(file, initial) for file in files if file]


def valid_data(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data, or the first of its errors refused like a service's refusal,
    so that pages show it in the same place as every other refusal."""
    if not form.is_valid():
        first = next(iter(form.errors.values()))
        raise Invalid(str(first[0]))
    return form.cleaned_data
