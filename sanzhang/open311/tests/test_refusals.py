"""What an Open311 client is refused, in the spec's error array (JSON and XML): a POST with no
key or a revoked one, a point outside every grid or outside the key's county, an unknown
service_code, malformed dates; and a retry with the client's own id makes no second request."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client

from sanzhang.conftest import build_county
from sanzhang.issues.models import Issue
from sanzhang.security.models import ApiToken
from sanzhang.security.tokens import revoke

from .conftest import draw, parse

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
BASE = "/open311/v2"
REPORT = {"service_code": "roads", "description": "路灯坏了", "lat": "26.803", "long": "116.302"}


@pytest.fixture(autouse=True)
def a_fixed_day():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 5, 11, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


def refused(response, status: int) -> str:  # type: ignore[no-untyped-def]
    """The one error's description, once the answer is the spec's error array."""
    assert response.status_code == status, response.content
    [error] = response.json()
    assert error["code"] == status and error["description"]
    return str(error["description"])


def test_a_post_without_a_key_is_refused_in_both_formats(mapped) -> None:
    refused(Client().post(f"{BASE}/requests.json", REPORT), 403)
    answer = Client().post(f"{BASE}/requests.xml", REPORT)
    root = parse(answer.content)
    assert (answer.status_code, root.tag) == (403, "errors")
    assert root.findtext("error/code") == "403" and root.findtext("error/description")
    assert not Issue.objects.exists()


def test_a_revoked_key_opens_nothing(mapped, api_key, county_officer) -> None:
    revoke(ApiToken.objects.get(), county_officer)
    refused(Client().post(f"{BASE}/requests.json", {**REPORT, "api_key": api_key}), 403)
    refused(Client().get(f"{BASE}/requests.json", {"api_key": api_key}), 403)
    refused(Client().get(f"{BASE}/services.json", {"api_key": "sz_guessed"}), 403)
    assert not Issue.objects.exists()


def test_a_point_outside_the_county_or_the_keys_area_is_refused(mapped, api_key) -> None:
    hotline = Client()
    nowhere = {**REPORT, "api_key": api_key, "lat": "30.0", "long": "120.0"}
    assert "网格" in refused(hotline.post(f"{BASE}/requests.json", nowhere), 400)
    other = build_county("NF", "南丰县")
    draw(other.grid_a, 116.50, 27.10)
    there = {**REPORT, "api_key": api_key, "lat": "27.105", "long": "116.505"}
    assert "范围" in refused(hotline.post(f"{BASE}/requests.json", there), 403)
    by_code = {**REPORT, "api_key": api_key, "lat": "", "address_id": other.unit_a1_1.code}
    refused(hotline.post(f"{BASE}/requests.json", by_code), 403)
    nowhere_given = {**REPORT, "api_key": api_key, "lat": "", "long": ""}
    refused(hotline.post(f"{BASE}/requests.json", nowhere_given), 400)
    assert not Issue.objects.exists()


def test_an_unknown_service_code_is_refused(mapped, api_key) -> None:
    hotline = Client()
    unknown = {**REPORT, "api_key": api_key, "service_code": "potholes"}
    assert "potholes" in refused(hotline.post(f"{BASE}/requests.json", unknown), 400)
    missing = {**REPORT, "api_key": api_key, "service_code": ""}
    refused(hotline.post(f"{BASE}/requests.json", missing), 400)
    refused(hotline.get(f"{BASE}/services/potholes.json"), 404)
    assert not Issue.objects.exists()


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"end_date": "2026-13-01"},
        {"start_date": "2026-05-01", "end_date": "2026-04-01"},  # the wrong way round
        {"start_date": "2026-01-01", "end_date": "2026-05-01"},  # over 90 days
        {"status": "pending"},
        {"start_date": "9999-12-31T23:00:00"},  # past the last date once 90 days are added
        {"end_date": "0001-01-01T00:00:00"},  # before the first one
    ],
)
def test_malformed_filters_are_refused(loop, params) -> None:  # type: ignore[no-untyped-def]
    refused(Client().get(f"{BASE}/requests.json", params), 400)
    root = parse(Client().get(f"{BASE}/requests.xml", params).content)
    assert root.tag == "errors" and root.findtext("error/code") == "400"


def test_an_unknown_request_or_jurisdiction_is_not_found(loop) -> None:
    refused(Client().get(f"{BASE}/requests/20260511-999999.json"), 404)
    refused(Client().get(f"{BASE}/tokens/20260511-999999.json"), 404)
    refused(Client().get(f"{BASE}/services.json", {"jurisdiction_id": "XX"}), 404)


def test_a_retry_with_the_clients_own_id_makes_no_second_request(mapped, api_key) -> None:
    hotline = Client()
    once = {**REPORT, "api_key": api_key, "attribute[client_id]": "hotline-2026-0511-17"}
    first = hotline.post(f"{BASE}/requests.json", once)
    again = hotline.post(f"{BASE}/requests.json", once)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    headed = {**REPORT, "api_key": api_key}
    by_header = [
        hotline.post(f"{BASE}/requests.json", headed, headers={"Idempotency-Key": "call-18"})
        for _ in range(2)
    ]
    assert [a.status_code for a in by_header] == [201, 200]
    assert Issue.objects.count() == 2
    other_words = {**once, "description": "路灯又坏了"}
    refused(hotline.post(f"{BASE}/requests.json", other_words), 400)  # one id, one request
    assert Issue.objects.count() == 2
