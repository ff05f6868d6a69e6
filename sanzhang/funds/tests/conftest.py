"""The county's funds: the county office (budgets, approves the community's spending), the
community's staff (records spending, approves its grids'), and a JPEG receipt."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from sanzhang.conftest import County
from sanzhang.funds import services
from sanzhang.funds.models import Account, Fund, Spending
from sanzhang.people.models import User

YEAR = 2026


def receipt() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "white").save(out, "JPEG")
    return SimpleUploadedFile("receipt.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Receipts in a temporary folder; services' words in English, whatever a page before
    left active in this thread (pages ask for Chinese themselves)."""
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


def fund_grid(county: County, office: User, staff: User, amount: str) -> Account:
    """The county's grid branch budget, allocated to the community and on to grid A."""
    services.add_budget(
        office, fund=Fund.GRID_BRANCH, year=YEAR, county=county.county, amount=Decimal(amount)
    )
    top = Account.objects.get(place=county.county, fund=Fund.GRID_BRANCH, year=YEAR)
    services.allocate(office, top, county.community, Decimal(amount))
    community = Account.objects.get(place=county.community, fund=Fund.GRID_BRANCH, year=YEAR)
    services.allocate(staff, community, county.grid_a, Decimal(amount))
    return Account.objects.get(place=county.grid_a, fund=Fund.GRID_BRANCH, year=YEAR)


def claim(staff: User, account: Account, amount: str, item: str = "党员活动室茶叶") -> Spending:

    return services.record_spending(
        staff,
        account,
        item=item,
        amount=Decimal(amount),
        spent_on=_today(),
        purpose="网格支部主题党日",
        receipt=receipt(),
    )


def _today():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.localdate()
