"""The issue loop through the REST API: each step, each refusal, retries, photos, scope."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from sanzhang.issues.models import Issue, IssuePhoto, State

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def jpeg(*, size=(64, 48), gps: bool = False) -> io.BytesIO:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {2: (27.0, 48.0, 0.0), 4: (116.0, 19.0, 0.0)}  # GPSInfo: 广昌
        exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    out.seek(0)
    out.name = "photo.jpg"
    return out


def report(client: Client, place: str, text: str = "垃圾没人清扫", **extra):  # type: ignore[no-untyped-def]
    return client.post("/api/issues/", {"place": place, "text": text, **extra})


def test_each_step_through_the_api(loop, resident, unit_leader, grid_leader) -> None:
    me, unit, grid = client_for(resident), client_for(unit_leader), client_for(grid_leader)
    created = report(me, loop.unit_a1_1.code)
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    assert created.json()["allowed_actions"] == ["comment"]
    steps = [
        (unit, "confirm", {}, State.ASSIGNED),
        (unit, "start", {}, State.IN_PROGRESS),
        (unit, "handle", {"note": "已清理"}, State.HANDLED),
        (grid, "send_back", {"reason": "没有清理干净"}, State.IN_PROGRESS),
        (unit, "handle", {"note": "再次清理"}, State.HANDLED),
        (grid, "pass_inspection", {}, State.INSPECTED),
        (unit, "feed_back", {"message": "已清理干净"}, State.FED_BACK),
        (me, "rate", {"satisfied": False, "reason": "还有杂物"}, State.IN_PROGRESS),
        (unit, "progress", {"note": "联系了物业"}, State.IN_PROGRESS),
        (unit, "handle", {"note": "全部清理"}, State.HANDLED),
        (grid, "pass_inspection", {}, State.INSPECTED),
        (grid, "feed_back", {"message": "全部清理"}, State.FED_BACK),
        (me, "rate", {"satisfied": True}, State.CLOSED),
    ]
    for client, action, body, state in steps:
        response = post(client, f"/api/issues/{number}/{action}", body)
        assert response.status_code == 200, (action, response.content)
        assert response.json()["state"] == state, action
    timeline = client_for(unit_leader).get(f"/api/issues/{number}").json()["events"]
    assert len(timeline) == 1 + len(steps)
    # The resident's timeline is their page's: no send-back, inspection or progress notes.
    theirs = [event["kind"] for event in me.get(f"/api/issues/{number}").json()["events"]]
    assert "sent_back" not in theirs and "progress" not in theirs and "handled" in theirs
    assert not {"from_state", "data"} & set(me.get(f"/api/issues/{number}").json()["events"][0])


def test_refusals_say_why_with_their_status(loop, resident, unit_leader, grid_leader) -> None:
    number = report(client_for(resident), loop.unit_a1_1.code).json()["number"]
    unit = client_for(unit_leader)
    wrong_step = post(unit, f"/api/issues/{number}/handle", {"note": "x"})
    assert wrong_step.status_code == 403
    assert "环节时不能" in wrong_step.json()["detail"]
    wrong_role = post(client_for(resident), f"/api/issues/{number}/confirm")
    assert wrong_role.status_code == 403
    no_reason = post(client_for(grid_leader), f"/api/issues/{number}/decline", {"reason": ""})
    assert no_reason.status_code == 422
    assert post(unit, f"/api/issues/{number}/fly").status_code == 404


def test_escalation_and_a_meeting_through_the_api(
    loop, resident, unit_leader, grid_leader, county_officer, department, other_department
) -> None:
    number = report(client_for(resident), loop.unit_a1_1.code).json()["number"]
    post(client_for(unit_leader), f"/api/issues/{number}/escalate", {"reason": "需要网格协调"})
    response = post(client_for(grid_leader), f"/api/issues/{number}/escalate", {"reason": "跨部门"})
    assert response.json()["tier"] == "hard"
    office = client_for(county_officer)
    meeting = post(office, "/api/meetings/", {"title": "第一次交办会", "held_on": "2026-11-25"})
    assert meeting.status_code == 201
    meeting_id = meeting.json()["id"]
    agenda = post(office, f"/api/meetings/{meeting_id}/agenda", {"issue": number})
    item = agenda.json()["items"][0]["id"]
    due = (timezone.localdate() + datetime.timedelta(days=15)).isoformat()
    assigned = post(
        office,
        f"/api/meetings/{meeting_id}/items/{item}/assign",
        {
            "lead": department.organisation_id,
            "helpers": [other_department.organisation_id],
            "due_on": due,
        },
    )
    assert assigned.status_code == 200, assigned.content
    record = office.get(f"/api/meetings/{meeting_id}").json()["items"][0]
    assert record["lead_department"] == department.organisation.name
    assert record["helper_departments"] == ["县城管局"]
    assert record["due_on"] == due
    dept = client_for(department)
    assert dept.get(f"/api/issues/{number}").json()["state"] == "assigned"
    assert post(dept, f"/api/issues/{number}/start").status_code == 200
    helper = client_for(other_department)
    assert post(helper, f"/api/issues/{number}/progress", {"note": "已派人勘察"}).status_code == 200
    assert post(helper, f"/api/issues/{number}/handle", {"note": "x"}).status_code == 403
    assert (
        post(client_for(unit_leader), "/api/meetings/", {"title": "x", "held_on": due}).status_code
        == 403
    )


def test_a_retry_with_the_same_key_returns_the_same_issue(loop, resident) -> None:
    me = client_for(resident)
    first = me.post(
        "/api/issues/",
        {"place": loop.unit_a1_1.code, "text": "路灯坏了", "photos": [jpeg()]},
        headers={"Idempotency-Key": "phone-42"},
    )
    again = me.post(
        "/api/issues/",
        {"place": loop.unit_a1_1.code, "text": "路灯坏了", "photos": [jpeg()]},
        headers={"Idempotency-Key": "phone-42"},
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert Issue.objects.count() == 1 and IssuePhoto.objects.count() == 1
    other = me.post(
        "/api/issues/",
        {"place": loop.unit_a1_1.code, "text": "水管漏水"},
        headers={"Idempotency-Key": "phone-42"},
    )
    assert other.status_code == 422


def test_photos_are_checked_by_content_and_lose_their_location(loop, resident) -> None:
    me = client_for(resident)
    fake = io.BytesIO(b"#!/bin/sh\necho not a photo\n")
    fake.name = "photo.jpg"
    assert report(me, loop.unit_a1_1.code, photos=[fake]).status_code == 422
    truncated = io.BytesIO(jpeg().getvalue()[:200])
    truncated.name = "cut.jpg"
    assert report(me, loop.unit_a1_1.code, photos=[truncated]).status_code == 422
    too_many = [jpeg() for _ in range(7)]
    assert report(me, loop.unit_a1_1.code, photos=too_many).status_code == 422
    assert Issue.objects.count() == 0  # a bad photo refuses the whole report
    created = report(me, loop.unit_a1_1.code, photos=[jpeg(size=(3000, 1000), gps=True)])
    assert created.status_code == 201
    photo = IssuePhoto.objects.get()
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 2048
        assert not stored.getexif()  # no GPS, no maker
        assert 0x8825 not in stored.getexif()


def test_a_decompression_bomb_and_an_oversize_file_are_refused(loop, resident, settings) -> None:
    me = client_for(resident)
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, format="PNG")  # 100 Mpx, a few kB
    bomb.seek(0)
    bomb.name = "bomb.png"
    refused = report(me, loop.unit_a1_1.code, photos=[bomb])
    assert refused.status_code == 422
    assert "像素" in refused.json()["detail"]
    big = io.BytesIO(b"\xff\xd8" + b"0" * (8 * 1024 * 1024 + 10))
    big.name = "big.jpg"
    assert report(me, loop.unit_a1_1.code, photos=[big]).status_code == 422
    assert report(me, loop.unit_a1_1.code, text="很" * 2001).status_code == 422


def test_scope_nobody_sees_or_moves_an_issue_outside_their_subtree(
    loop, resident, unit_leader, outsider, colleague, department
) -> None:
    number = report(client_for(resident), loop.unit_a1_1.code).json()["number"]
    for user in (outsider, colleague, department):
        client = client_for(user)
        assert client.get(f"/api/issues/{number}").status_code == 404
        assert post(client, f"/api/issues/{number}/confirm").status_code == 404
        assert client.get("/api/issues/").json()["count"] == 0
    other_resident = client_for(outsider)
    assert other_resident.get("/api/issues/").json()["items"] == []
    assert client_for(unit_leader).get("/api/issues/").json()["count"] == 1


def test_a_map_point_is_resolved_to_its_grid(loop, resident) -> None:
    square = [[116.30, 26.80], [116.40, 26.80], [116.40, 26.90], [116.30, 26.90], [116.30, 26.80]]
    loop.rural_grid.boundary = {"type": "Polygon", "coordinates": [square]}
    loop.rural_grid.save(update_fields=["boundary"])
    me = client_for(resident)
    inside = me.post("/api/issues/", {"latitude": 26.85, "longitude": 116.35, "text": "路灯坏了"})
    assert inside.status_code == 201, inside.content
    assert inside.json()["place_code"] == loop.rural_grid.code
    outside = me.post("/api/issues/", {"latitude": 30.0, "longitude": 120.0, "text": "路灯坏了"})
    assert outside.status_code == 422
    default = me.post("/api/issues/", {"text": "路灯坏了"})
    assert default.json()["place_code"] == loop.unit_a1_1.code  # the resident's own unit


def test_the_side_paths_through_the_api(loop, resident, unit_leader, grid_leader) -> None:
    me, unit, grid = client_for(resident), client_for(unit_leader), client_for(grid_leader)
    first, second, third = (
        report(me, loop.unit_a1_1.code, text=f"垃圾没人清扫 {n}").json()["number"] for n in range(3)
    )
    returned = post(unit, f"/api/issues/{first}/return", {"reason": "不是本单元的问题"})
    assert returned.json()["owner"] == loop.building_a1.name
    commented = post(grid, f"/api/issues/{first}/comment", {"note": "请楼栋长核实"})
    assert commented.json()["events"][-1]["note"] == "请楼栋长核实"
    merged = post(grid, f"/api/issues/{second}/merge", {"into": first})
    assert (merged.json()["state"], merged.json()["merged_into"]) == ("merged", first)
    declined = post(grid, f"/api/issues/{third}/decline", {"reason": "已由物业处理"})
    assert declined.json()["state"] == "declined"
    assert me.get(f"/api/issues/{third}").json()["events"][-1]["note"] == "已由物业处理"
    assert post(grid, f"/api/issues/{third}/comment", {"note": ""}).status_code == 422


def test_photos_are_served_only_to_those_who_see_the_issue(loop, resident, outsider) -> None:
    me = client_for(resident)
    private = report(me, loop.unit_a1_1.code, photos=[jpeg()]).json()
    public = report(
        me, loop.unit_a1_1.code, text="路灯坏了", public_consent="true", photos=[jpeg()]
    ).json()
    url = private["photos"][0]
    shown = me.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert b"".join(shown.streaming_content)[:2] == b"\xff\xd8"
    assert client_for(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the log-in page
    photo_of = {
        n["number"]: IssuePhoto.objects.get(issue__number=n["number"]).pk for n in (private, public)
    }
    board = f"/board/{loop.grid_a.code}/issues/photos"
    assert Client().get(f"{board}/{photo_of[private['number']]}/").status_code == 404
    assert Client().get(f"{board}/{photo_of[public['number']]}/").status_code == 200


def test_a_retry_with_other_photos_is_a_different_report(loop, resident) -> None:
    me = client_for(resident)
    headers = {"Idempotency-Key": "phone-7"}
    first = me.post(
        "/api/issues/",
        {"place": loop.unit_a1_1.code, "text": "路灯坏了", "photos": [jpeg()]},
        headers=headers,
    )
    other = me.post(
        "/api/issues/",
        {"place": loop.unit_a1_1.code, "text": "路灯坏了", "photos": [jpeg(size=(32, 32))]},
        headers=headers,
    )
    assert (first.status_code, other.status_code) == (201, 422)


def test_a_step_from_a_stale_view_is_refused(loop, resident, unit_leader) -> None:
    created = report(client_for(resident), loop.unit_a1_1.code).json()
    unit = client_for(unit_leader)
    number, seen = created["number"], created["version"]
    assert post(unit, f"/api/issues/{number}/confirm", {"version": seen}).status_code == 200
    stale = post(unit, f"/api/issues/{number}/start", {"version": seen})
    assert stale.status_code == 409
    assert "刚刚有人处理了诉求" in stale.json()["detail"]


def test_a_resident_reports_only_within_their_county(loop, resident) -> None:
    from sanzhang.conftest import build_county

    other = build_county("NF", "南丰县")
    me = client_for(resident)
    refused = report(me, other.grid_b.code, text="外县的路灯")
    assert refused.status_code == 422 and "请从列表中选择地点" in refused.json()["detail"]
    assert report(me, loop.grid_b.code, text="本县第二网格的路灯").status_code == 201
    # A map point in the other county is no grid of theirs either.
    square = [[116.50, 27.10], [116.60, 27.10], [116.60, 27.20], [116.50, 27.20], [116.50, 27.10]]
    other.grid_b.boundary = {"type": "Polygon", "coordinates": [square]}
    other.grid_b.save(update_fields=["boundary"])
    point = me.post("/api/issues/", {"latitude": 27.15, "longitude": 116.55, "text": "外县"})
    assert point.status_code == 422 and not Issue.objects.filter(place=other.grid_b).exists()


def test_a_missing_household_and_one_outside_the_area_answer_alike(
    loop, resident, unit_leader, outsider
) -> None:
    from sanzhang.conftest import make_household

    elsewhere = make_household(loop.unit_b1_1, "502", name="赵敏")  # grid B: not the leader's
    leader = client_for(unit_leader)
    answers = [
        report(leader, loop.unit_a1_1.code, household=pk, channel="door")
        for pk in (elsewhere.pk, 999_999)
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
    # A resident reports for their own household only, and learns nothing of others.
    mine = client_for(resident)
    assert report(mine, loop.unit_b1_1.code, household=elsewhere.pk).status_code == 404
    assert report(mine, loop.unit_b1_1.code, household=999_999).status_code == 404
    assert not Issue.objects.exists()


def test_a_resident_follows_a_shown_report_through_the_api(loop, resident) -> None:
    from sanzhang.conftest import make_household
    from sanzhang.issues.intake import submit
    from sanzhang.people.models import Person, Role, User

    neighbour = User.objects.create_user(
        "neighbour",
        role=Role.RESIDENT,
        person=Person.objects.get(household=make_household(loop.unit_a1_1, "302", name="赵敏")),
    )
    shown = submit(neighbour, place=loop.unit_a1_1, text="楼道灯坏了", public_consent=True).issue
    hidden = submit(neighbour, place=loop.unit_a1_1, text="邻居吵闹", public_consent=False).issue
    me = client_for(resident)
    assert me.get(f"/api/issues/{shown.number}").status_code == 404  # not theirs yet
    followed = post(me, f"/api/issues/{shown.number}/follow")
    assert followed.status_code == 200 and followed.json()["number"] == shown.number
    assert "by_call_back" in followed.json()["events"][0]  # the resident's view
    assert post(me, f"/api/issues/{shown.number}/follow").status_code == 200  # twice is once
    assert me.get(f"/api/issues/{shown.number}").status_code == 200
    assert post(me, f"/api/issues/{hidden.number}/follow").status_code == 404


def test_the_document_describes_an_issue_timeline_with_the_issue_events_fields(
    loop, resident, unit_leader
) -> None:
    from sanzhang.api import api
    from sanzhang.core.tests.openapi_check import problems, resolve, response_schema

    me, leader = client_for(resident), client_for(unit_leader)
    number = report(me, loop.unit_a1_1.code).json()["number"]
    assert post(leader, f"/api/issues/{number}/confirm").status_code == 200
    document = api.get_openapi_schema()
    schema = response_schema(document, "/api/issues/{number}", "get", 200)
    staff_view, resident_view = (resolve(document, option) for option in schema["anyOf"])
    for client, view, fields in (
        (leader, staff_view, {"from_state", "to_state", "data"}),
        (me, resident_view, {"kind", "at", "note", "by_call_back"}),
    ):
        answer = client.get(f"/api/issues/{number}").json()
        event = resolve(document, view["properties"]["events"]["items"])
        assert set(event["properties"]) == set(answer["events"][-1]) >= fields
        assert problems(document, answer, view) == []
