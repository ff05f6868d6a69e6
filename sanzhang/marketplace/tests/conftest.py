"""A listed repair shop in the small county's community, a resident of unit 1 to book it, and
the community's staff who listed it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sanzhang.conftest import County, make_household, make_staff
from sanzhang.marketplace import bookings, listing
from sanzhang.marketplace.models import Application, Booking, Listing
from sanzhang.people.models import Role, User

SHOP_PHONE = "13700001111"


def jpeg(name: str = "photo.jpg", colour: str = "red") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def apply_shop(county: County, *, token: str = "t1", phone: str = SHOP_PHONE) -> Application:
    return listing.apply(
        token=token,
        business_name="老李家电维修",
        contact_name="李师傅",
        phone=phone,
        services=["appliance_repair", "plumbing"],
        prices="上门费30元，换件另计",
        county=county.county,
        communities=[county.community],
        licence=jpeg("licence.jpg"),
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(county: County) -> User:
    return make_staff("lotus-staff", Role.COMMUNITY_STAFF, county.community, "committee")


@pytest.fixture
def village_staff(county: County) -> User:
    return make_staff("village-staff", Role.COMMUNITY_STAFF, county.area, "committee")


@pytest.fixture
def resident(county: County) -> User:
    household = make_household(county.unit_a1_1, "301")
    return User.objects.create_user(
        username="resident", role=Role.RESIDENT, person=household.members.get()
    )


@pytest.fixture
def shop(county: County, staff: User) -> Listing:
    (made,) = listing.list_merchant(staff, apply_shop(county)).listings
    return made


@pytest.fixture
def merchant(shop: Listing) -> User:
    return shop.merchant.user


def soon(hours: int = 24) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


@pytest.fixture
def booking(resident: User, shop: Listing) -> Booking:
    return bookings.book(
        resident,
        shop,
        token="b1",
        service="appliance_repair",
        wanted_at=soon(),
        problem="冰箱不制冷",
        photos=[jpeg()],
    )
