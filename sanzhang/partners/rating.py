"""The set headings of the year-end rating (评价权), in the order the form asks them."""

from __future__ import annotations

from django.db.models import Field
from django.utils.functional import Promise

from .models import Rating

HEADINGS: tuple[str, ...] = ("keeping", "taking_part", "serving", "conduct")


def heading_labels() -> list[tuple[str, str | Promise]]:
    """Each heading's field name and its label (履行承诺, 参与共建活动, 服务群众成效, 作风表现)."""
    fields = [Rating._meta.get_field(name) for name in HEADINGS]
    return [(f.name, f.verbose_name) for f in fields if isinstance(f, Field)]
