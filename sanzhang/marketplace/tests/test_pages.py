"""The pages: the public application, the staff's check, the merchant's sign-in by phone code,
the resident's booking, and who sees what."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from sanzhang.marketplace import bookings
from sanzhang.marketplace.models import Application, Booking, Listing
from sanzhang.signup.sms import DEV_OUTBOX

from .conftest import SHOP_PHONE, apply_shop, jpeg

pytestmark = pytest.mark.django_db


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_anyone_applies_on_the_public_page_and_a_double_submit_is_one(county) -> None:
    client = Client()
    url = reverse("marketplace:apply") + f"?county={county.county.code}"
    page = client.get(url)
    assert "莲花社区" in _text(page)
    token = re.search(r'name="token" value="(\w+)"', _text(page))
    assert token is not None
    for _ in range(2):
        response = client.post(
            url,
            {
                "token": token.group(1),
                "business_name": "平安开锁",
                "contact_name": "张师傅",
                "phone": "137 0000 3333",
                "services": ["locksmith"],
                "prices": "开锁50元",
                "communities": [county.community.pk],
                "licence": jpeg("licence.jpg"),
            },
        )
        assert response.status_code == 200 and "applied" in _text(response)
    assert Application.objects.get().phone == "13700003333"


def test_a_photo_that_is_no_photo_is_refused_in_words(county) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("marketplace:apply") + f"?county={county.county.code}"
    response = Client().post(
        url,
        {
            "token": "abc",
            "business_name": "平安开锁",
            "contact_name": "张师傅",
            "phone": "13700003333",
            "services": ["locksmith"],
            "communities": [county.community.pk],
            "licence": SimpleUploadedFile("x.jpg", b"not a photo"),
        },
    )
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_staff_check_and_list_an_application(county, staff, client) -> None:
    application = apply_shop(county)
    client.force_login(staff)
    assert "老李家电维修" in _text(client.get(reverse("marketplace:staff")))
    page = client.get(reverse("marketplace:application", args=[application.pk]))
    assert SHOP_PHONE in _text(page)
    assert client.get(reverse("marketplace:licence", args=[application.pk])).status_code == 200
    client.post(reverse("marketplace:decide", args=[application.pk, "list"]))
    assert Listing.objects.filter(community=county.community).count() == 1


def test_a_merchant_signs_in_by_phone_code_and_sees_their_bookings(
    shop, booking, settings, tmp_path
) -> None:
    settings.SMS_DEV_OUTBOX = True
    settings.VAR_DIR = tmp_path
    client = Client()
    client.post(reverse("marketplace:sign_in"), {"phone": SHOP_PHONE})
    text = (tmp_path / DEV_OUTBOX).read_text(encoding="utf-8")
    code = re.findall(r"验证码 (\d{6})", text)[-1]
    response = client.post(reverse("marketplace:sign_in_code"), {"code": code})
    assert response.status_code == 302 and response.url == reverse("marketplace:mine")
    assert "冰箱" not in _text(client.get(reverse("marketplace:mine")))  # the list: service
    detail = client.get(reverse("marketplace:booking", args=[booking.pk]))
    assert "冰箱不制冷" in _text(detail)


def test_an_unlisted_number_gets_no_code(county, settings, tmp_path) -> None:
    settings.SMS_DEV_OUTBOX = True
    settings.VAR_DIR = tmp_path
    response = Client().post(reverse("marketplace:sign_in"), {"phone": "13900009999"})
    assert "errors" in _text(response)
    assert not (tmp_path / DEV_OUTBOX).exists()


def test_a_resident_books_rates_and_complains_through_the_pages(
    resident, shop, merchant, county_officer, client
) -> None:
    client.force_login(resident)
    assert "老李家电维修" in _text(client.get(reverse("marketplace:browse") + "?kind=plumbing"))
    assert "老李家电维修" not in _text(
        client.get(reverse("marketplace:browse") + "?kind=locksmith")
    )
    url = reverse("marketplace:book", args=[shop.pk])
    form = {
        "token": "tok",
        "service": "appliance_repair",
        "wanted_at": "2099-05-01T10:00",
        "problem": "洗衣机漏水",
        "photos": [jpeg("a.jpg"), jpeg("b.jpg", "blue")],
    }
    client.post(url, form)
    form["photos"] = [jpeg("a.jpg"), jpeg("b.jpg", "blue")]
    client.post(url, form)
    made = Booking.objects.get()
    assert made.photos.count() == 2
    photo = made.photos.first()
    assert photo is not None
    assert (
        client.get(reverse("marketplace:booking_photo", args=[made.pk, photo.pk])).status_code
        == 200
    )
    bookings.move(merchant, made, "accept")
    bookings.move(merchant, made, "done")
    client.post(reverse("marketplace:act", args=[made.pk, "rate"]), {"stars": "5", "words": "好"})
    client.post(reverse("marketplace:act", args=[made.pk, "complain"]), {"words": "多收钱"})
    made.refresh_from_db()
    assert made.stars == 5 and made.complaint is not None
    page = _text(client.get(reverse("marketplace:booking", args=[made.pk])))
    assert made.complaint.number in page


def test_another_merchant_and_a_neighbour_get_404(county, staff, booking, client) -> None:
    from sanzhang.marketplace import listing

    other = listing.list_merchant(staff, apply_shop(county, token="o", phone="13700002222"))
    client.force_login(other.merchant.user)
    assert client.get(reverse("marketplace:booking", args=[booking.pk])).status_code == 404
    assert client.post(reverse("marketplace:act", args=[booking.pk, "accept"])).status_code == 404
    client.force_login(staff)
    assert client.get(reverse("marketplace:booking", args=[booking.pk])).status_code == 404


def test_staff_suspend_a_listing_on_their_page(shop, staff, client) -> None:
    client.force_login(staff)
    client.post(reverse("marketplace:suspend", args=[shop.pk, "suspend"]))
    shop.refresh_from_db()
    assert shop.suspended
    client.post(reverse("marketplace:suspend", args=[shop.pk, "restore"]))
    shop.refresh_from_db()
    assert not shop.suspended


def test_a_merchants_home_is_their_bookings(client, merchant) -> None:  # type: ignore[no-untyped-def]
    client.force_login(merchant)
    answer = client.get("/console/")
    assert answer.status_code == 302 and answer["Location"] == "/services/bookings/"


def test_bookings_and_merchant_sign_ins_are_rate_limited(resident, shop, client) -> None:  # type: ignore[no-untyped-def]
    """Bookings per account (each one tells the merchant), merchants' sign-ins and the public
    application per address (they share the sign-up's counter: phones are looked up there)."""
    from django.test import override_settings

    from sanzhang.security import ratelimits
    from sanzhang.security.tests.test_rate_limits import limits

    ratelimits.rules.cache_clear()
    try:
        with override_settings(RATE_LIMITS=limits(booking="2/h", signup="2/10m")):
            client.force_login(resident)
            url = reverse("marketplace:book", args=[shop.pk])
            answers = [
                client.post(
                    url,
                    {
                        "token": f"t{i}",
                        "service": "appliance_repair",
                        "wanted_at": "2099-05-01T10:00",
                        "problem": f"洗衣机漏水 {i}",
                    },
                ).status_code
                for i in range(3)
            ]
            assert answers[2] == 429 and 429 not in answers[:2]
            assert Booking.objects.count() == 2
            stranger = Client(REMOTE_ADDR="10.9.8.7")
            signing = [
                stranger.post(reverse("marketplace:sign_in"), {"phone": "13700009999"}).status_code
                for _ in range(3)
            ]
            assert signing[2] == 429 and 429 not in signing[:2]
    finally:
        ratelimits.rules.cache_clear()
