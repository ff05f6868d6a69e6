"""The county's overview of a year (for the county office and the organisation department, and
a community's staff for their own): each agreement's unit, community, kept share and rating,
and its Excel download."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils.translation import gettext as _

from sanzhang.core.xlsx import Column, Sheet, xlsx_response

from . import progress, services
from .models import Agreement, Grade, Rating
from .rating import heading_labels

if TYPE_CHECKING:
    from sanzhang.access.actor import Visitor

MAX_ROWS = 2000


@dataclass(frozen=True)
class Row:
    agreement: Agreement
    commitments: int
    kept: Decimal | None
    rating: Rating | None

    @property
    def grades(self) -> list[str]:
        if self.rating is None:
            return []
        return [str(Grade(getattr(self.rating, name)).label) for name, _ in heading_labels()]


def rows_for(user: Visitor, year: int) -> list[Row]:
    agreements = list(
        services.agreements_visible_to(user)
        .filter(year=year)
        .select_related("unit", "community", "rating")
        .order_by("community__code", "unit__name")[:MAX_ROWS]
    )
    found = progress.progress_of_many(agreements)
    return [
        Row(a, len(found[a.pk].lines), found[a.pk].kept, getattr(a, "rating", None))
        for a in agreements
    ]


def workbook_response(year: int, rows: list[Row]) -> HttpResponse:
    headings = [Column(str(label), 14) for _name, label in heading_labels()]
    columns = [
        Column(_("Co-building unit"), 24),
        Column(_("Kind of unit"), 14),
        Column(_("Community or village"), 16),
        Column(_("Commitments"), 10, "int"),
        Column(_("Kept (%)"), 10),
        *headings,
        Column(_("Overall"), 10),
        Column(_("The committee's comment"), 40),
    ]
    body = [
        [
            r.agreement.unit.name,
            r.agreement.unit.get_kind_display(),
            r.agreement.community.name,
            r.commitments,
            str(r.kept) if r.kept is not None else "",  # Decimal, as shown on the page
            *(r.grades or [""] * len(headings)),
            r.rating.overall if r.rating else _("not rated"),
            r.rating.comment if r.rating else "",
        ]
        for r in rows
    ]
    sheet = Sheet(_("Co-building %(year)s") % {"year": year}, columns, body)
    return xlsx_response(_("co-building units %(year)s.xlsx") % {"year": year}, [sheet])
