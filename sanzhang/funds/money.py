"""Amounts as typed by people: yuan with at most two decimals (fen), never a float."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from sanzhang.core.errors import Invalid

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # what a DecimalField(14, 2) holds
_AMOUNT = re.compile(r"(\d{1,12})(?:\.(\d{1,2}))?")


def parse_amount(text: str) -> Decimal:
    """'12.30', '12.3', '12' and '1,200.50' are amounts; '1e3', '-5', '0', '1.234' are not."""
    cleaned = (text or "").strip().replace(",", "").replace("，", "")
    if cleaned.startswith("-"):
        raise Invalid(_("The amount cannot be negative."))
    if re.fullmatch(r"\d+\.\d{3,}", cleaned):
        raise Invalid(_("The amount has at most two decimals (yuan and fen)."))
    if not _AMOUNT.fullmatch(cleaned):
        raise Invalid(_("Give the amount in yuan, like 12.30."))
    amount = Decimal(cleaned).quantize(FEN)
    if amount <= 0:
        raise Invalid(_("The amount must be more than zero."))
    return amount


def yuan(amount: Decimal) -> str:
    """The amount as shown: ¥1,234.50."""
    return f"¥{amount.quantize(FEN):,}"
