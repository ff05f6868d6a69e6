"""An Open311 client (a county hotline's system) finds the endpoint, lists the services, posts a
request at a map point with its api_key, and reads it back by id and in the list, in JSON and
in XML; the list shows the public board's issues only, with the words residents allowed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client

from sanzhang.conftest import build_county, make_staff
from sanzhang.issues import workflow
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Channel, Issue
from sanzhang.people.models import Organisation, Role
from sanzhang.security.models import ApiToken
from sanzhang.security.tokens import issue as issue_token

from .conftest import parse

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
MONDAY = datetime.datetime(2026, 5, 11, 10, 0, tzinfo=SHANGHAI)
BASE = "/open311/v2"
IN_GRID_A = {"lat": "26.803", "long": "116.302"}


@pytest.fixture(autouse=True)
def a_fixed_day():  # type: ignore[no-untyped-def]
    with time_machine.travel(MONDAY, tick=False):
        yield


def xml_of(response):  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return parse(response.content)


def post(client: Client, fmt: str = "json", **fields: str):  # type: ignore[no-untyped-def]
    return client.post(f"{BASE}/requests.{fmt}", fields)


def test_a_client_discovers_the_endpoint_in_both_formats(loop) -> None:
    answer = Client().get(f"{BASE}/discovery.json")
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    endpoint = answer.json()["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert "/accounts/tokens/" in answer.json()["key_service"]
    root = xml_of(Client().get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/url") == "http://testserver/open311/v2/"
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["application/json", "text/xml"]


def test_the_services_are_the_categories_in_force(loop, api_key) -> None:
    services = Client().get(f"{BASE}/services.json", {"api_key": api_key}).json()
    sanitation = next(s for s in services if s["service_code"] == "sanitation")
    assert sanitation["service_name"] == "环境卫生"
    assert (sanitation["type"], sanitation["metadata"]) == ("realtime", False)
    assert "垃圾" in sanitation["keywords"] and sanitation["group"]
    root = xml_of(Client().get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert codes == [s["service_code"] for s in services]
    assert root.find("service/metadata").text == "false"  # type: ignore[union-attr]
    definition = Client().get(f"{BASE}/services/sanitation.json").json()
    assert definition == {"service_code": "sanitation", "attributes": []}
    root = xml_of(Client().get(f"{BASE}/services/sanitation.xml"))
    assert root.tag == "service_definition" and root.find("attributes") is not None


def test_a_request_posted_at_a_point_is_read_back_by_id_and_in_the_list(mapped, api_key) -> None:
    hotline = Client(enforce_csrf_checks=True)  # a system posts with its key, no CSRF token
    created = post(
        hotline,
        api_key=api_key,
        service_code="roads",
        description="路灯坏了三天",
        email="caller@example.com",
        first_name="王",
        **IN_GRID_A,
    )
    assert created.status_code == 201, created.content
    number = created.json()[0]["service_request_id"]
    issue = Issue.objects.get(number=number)
    assert (issue.place, issue.channel) == (mapped.grid_a, Channel.API)
    assert issue.category.code == "roads"
    assert (issue.recorded_by.username, issue.reporter) == ("housing", None)
    assert "caller@example.com" not in str(Issue.objects.values().get(pk=issue.pk))

    read = hotline.get(f"{BASE}/requests/{number}.json").json()
    assert len(read) == 1
    request = read[0]
    assert (request["service_request_id"], request["status"]) == (number, "open")
    assert (request["service_code"], request["service_name"]) == ("roads", "道路设施")
    assert request["description"] is None  # nobody allowed the words on the board
    assert request["address"] == "莲花社区 › 第一网格" and request["address_id"] == issue.place.code
    assert (request["lat"], request["long"]) == (26.805, 116.305)  # the grid's centre
    assert request["requested_datetime"] == "2026-05-11T10:00:00+08:00"
    assert request["agency_responsible"]

    root = xml_of(hotline.get(f"{BASE}/requests/{number}.xml"))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == number
    assert root.findtext("request/status") == "open"
    assert root.findtext("request/long") == "116.305"
    assert root.find("request/description").text is None  # type: ignore[union-attr]

    listed = hotline.get(f"{BASE}/requests.json", {"api_key": api_key}).json()
    assert [r["service_request_id"] for r in listed] == [number]
    root = xml_of(hotline.get(f"{BASE}/requests.xml", {"status": "open"}))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [number]


def test_a_request_posted_in_xml_at_a_place_code_answers_in_xml(loop, api_key) -> None:
    created = post(
        Client(),
        "xml",
        api_key=api_key,
        service_code="sanitation",
        description="楼道堆放杂物",
        address_id=loop.unit_a1_1.code.lower(),  # as a person might type it
    )
    assert created.status_code == 201
    number = xml_of(created).findtext("request/service_request_id")
    assert Issue.objects.get(number=number).place == loop.unit_a1_1
    token = Client().get(f"{BASE}/tokens/{number}.json").json()
    assert token == [{"service_request_id": number, "token": number}]


def test_without_a_boundary_above_it_an_issue_shows_its_own_point_rounded(loop, resident) -> None:
    submit(resident, place=loop.unit_a1_1, text="路灯坏了", latitude=26.80312, longitude=116.30287)
    [request] = Client().get(f"{BASE}/requests.json").json()
    assert (request["lat"], request["long"]) == (26.803, 116.303)  # about 100 m, not the door
    assert request["address"] == "莲花社区 › 第一网格 › 1栋 › 1单元"


def test_the_list_shows_the_boards_issues_with_only_the_words_allowed(
    loop, resident, county_officer, api_key
) -> None:
    public = submit(resident, place=loop.unit_a1_1, text="垃圾没人清扫", public_consent=True)
    private = submit(resident, place=loop.unit_a1_2, text="邻居家漏水，李桂兰家")
    dropped = submit(resident, place=loop.unit_a1_1, text="垃圾还是没人清扫")
    workflow.merge(dropped.issue, county_officer, into=public.issue)
    workflow.decline(private.issue, county_officer, reason="属于私人纠纷")
    answer = Client().get(f"{BASE}/requests.json").content.decode()
    listed = {r["service_request_id"]: r for r in Client().get(f"{BASE}/requests.json").json()}
    assert set(listed) == {public.issue.number, private.issue.number}  # not the merged one
    assert listed[public.issue.number]["description"] == "垃圾没人清扫"
    assert listed[private.issue.number]["description"] is None
    assert listed[private.issue.number]["status"] == "closed"
    assert "李桂兰" not in answer and "resident" not in answer  # no reporter, no name
    closed = Client().get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [private.issue.number]
    both = ",".join([public.issue.number, dropped.issue.number])
    by_id = Client().get(f"{BASE}/requests.json", {"service_request_id": both}).json()
    assert [r["service_request_id"] for r in by_id] == [public.issue.number]
    assert Client().get(f"{BASE}/requests/{dropped.issue.number}.json").status_code == 404


def test_dates_select_the_county_days_and_default_to_the_last_90(loop, resident) -> None:
    with time_machine.travel(MONDAY - datetime.timedelta(days=100), tick=False):
        old = submit(resident, place=loop.unit_a1_1, text="去年的路灯").issue.number
    with time_machine.travel(MONDAY - datetime.timedelta(days=3), tick=False):
        recent = submit(resident, place=loop.unit_a1_1, text="路灯坏了").issue.number

    def numbers(**params: str) -> list[str]:
        answer = Client().get(f"{BASE}/requests.json", params)
        return [r["service_request_id"] for r in answer.json()]

    assert numbers() == [recent]
    assert numbers(start_date="2026-01-30", end_date="2026-02-02") == [old]  # 100 days before
    assert numbers(start_date="2026-05-08T10:00:00+08:00") == [recent]
    assert numbers(start_date="2026-05-08T10:00:01+08:00") == []
    assert numbers(end_date="2026-05-08T02:00:00Z") == [recent]  # 10:00 in the county
    assert numbers(service_code="roads,utilities", start_date="2026-05-01") == [recent]  # 路灯
    assert numbers(service_code="sanitation") == []


def test_a_key_sees_the_issues_of_its_own_county_only(loop, resident) -> None:
    ours = submit(resident, place=loop.unit_a1_1, text="垃圾没人清扫").issue.number
    other = build_county("NF", "南丰县")
    office = make_staff("nf-office", Role.COUNTY_OFFICE, other.county, "county_office")
    theirs = make_staff("nf-housing", Role.DEPARTMENT, other.county, Organisation.Kind.DEPARTMENT)
    _token, key = issue_token(theirs, name="南丰热线", kind=ApiToken.Kind.SYSTEM, by=office)
    seen = Client().get(f"{BASE}/requests.json", {"api_key": key}).json()
    assert seen == []
    assert Client().get(f"{BASE}/requests/{ours}.json", {"api_key": key}).status_code == 404
    anyone = Client().get(f"{BASE}/requests.json").json()
    assert [r["service_request_id"] for r in anyone] == [ours]
    there = Client().get(f"{BASE}/requests.json", {"jurisdiction_id": "nf"}).json()
    assert there == []


def test_the_list_costs_the_same_few_queries_however_many_issues(
    loop, resident, django_assert_num_queries
) -> None:
    for place in (loop.unit_a1_1, loop.unit_a2_1, loop.unit_b1_1, loop.rural_grid):
        submit(resident, place=place, text="垃圾没人清扫", public_consent=True)
    with django_assert_num_queries(3):  # the issues, their photos, the places above them
        assert len(Client().get(f"{BASE}/requests.json").json()) == 4


def test_what_the_county_office_hid_is_not_given_out(loop, resident, county_officer) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanzhang.issues import moderation
    from sanzhang.issues.tests.test_api import jpeg

    photos = [SimpleUploadedFile(f"{n}.jpg", jpeg().getvalue()) for n in "ab"]
    issue = submit(
        resident, place=loop.unit_a1_1, text="张三 13912345678 闹事", public_consent=True,
        photos=photos,
    ).issue  # fmt: skip
    first, second = issue.photos.order_by("pk")

    def shown() -> dict:
        return Client().get(f"{BASE}/requests/{issue.number}.json").json()[0]

    assert shown()["description"] == "张三 13912345678 闹事"
    assert shown()["media_url"].endswith(f"/photos/{first.pk}/")
    moderation.hide_photo(issue, county_officer, photo_id=first.pk, reason="人脸")
    assert shown()["media_url"].endswith(f"/photos/{second.pk}/")
    moderation.hide_words(issue, county_officer, reason="含他人电话")
    assert shown()["description"] is None


def test_control_characters_in_words_do_not_break_the_xml_feed(loop, resident) -> None:
    issue = submit(
        resident, place=loop.unit_a1_1, text="灯坏了\x0b\x1b快修", public_consent=True
    ).issue
    root = xml_of(Client().get(f"{BASE}/requests/{issue.number}.xml"))
    assert root.findtext("request/description") == "灯坏了快修"
