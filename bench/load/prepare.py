"""Readies the demo logins for the load test and prints, as JSON, what the clients need: fresh
recovery codes for the county office (one per office client: each signs in with its password and
a second factor, and a TOTP code is good once per 30 seconds), and the county's code."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from sanzhang.demo.accounts import ensure_demo_accounts  # noqa: E402
from sanzhang.places.models import Place, PlaceKind  # noqa: E402
from sanzhang.security.otp import demo_device, make_recovery_codes, totp_role  # noqa: E402


def main() -> None:
    users = {account.username: user for account, user in ensure_demo_accounts()}
    office = users["office"]
    assert totp_role(office)
    demo_device(office)
    codes = make_recovery_codes(office)
    county = Place.objects.filter(kind=PlaceKind.COUNTY).order_by("code").first()
    assert county is not None, "load the demo county first"
    print(json.dumps({"office_codes": codes, "county": county.code}))


if __name__ == "__main__":
    main()
