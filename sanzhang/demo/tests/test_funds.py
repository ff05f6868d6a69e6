"""The demo's funds on the small county: every stored balance equals its ledger's sum and the
totals its lines, none is negative, money flows down the tree, and the pages load."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client

from sanzhang.conftest import make_staff
from sanzhang.demo.funds import OWN, load_funds_history
from sanzhang.funds.models import Account, AllowanceRule, Entry, Spending
from sanzhang.people.models import Role

pytestmark = pytest.mark.django_db


def test_the_demo_funds_add_up(county, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    lines = load_funds_history(random.Random(3))
    assert lines == Entry.objects.count() > 0
    for account in Account.objects.all():
        entries = Entry.objects.filter(account=account)
        assert entries.aggregate(t=Sum("amount"))["t"] == account.balance >= 0
        spent = entries.filter(kind="spending").aggregate(t=Sum("amount"))["t"] or Decimal(0)
        assert -spent == account.spent
    top = Account.objects.filter(place=county.county)
    assert {a.fund: a.balance for a in top} == OWN  # the county keeps its own share only
    assert Account.objects.filter(place=county.rural_grid).exists()
    assert Spending.objects.filter(status="approved").exists()
    assert AllowanceRule.objects.filter(place=county.county).exists()
    office = make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    client = Client()
    client.force_login(office)
    assert client.get("/funds/").status_code == 200
    grid = Account.objects.filter(place=county.grid_a).first()
    assert grid is not None and client.get(f"/funds/accounts/{grid.pk}/").status_code == 200
