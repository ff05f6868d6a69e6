"""The pages and the API: a resident posts and confirms, staff check, a party member browses,
claims and fulfils with a photo; Excel of a place's wishes; access from outside is refused."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from PIL import Image

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import build_county, make_household
from sanzhang.wishes import services
from sanzhang.wishes.models import Status, Wish
from sanzhang.wishes.tests.conftest import approved, post

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (27.0, 48.0, 0.0), 4: (116.0, 19.0, 0.0)}  # GPSInfo: 广昌
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("done.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_resident_posts_a_wish_on_their_page_once(resident) -> None:
    client = client_for(resident)
    page = client.get("/r/wishes/")
    assert "发布一个微心愿" in page.content.decode()
    assert 'href="/r/wishes/">我的心愿</a>' in page.content.decode()  # in the resident's menu
    form = {"text": "想请人陪我去医院复查", "post_key": "abc"}
    assert client.post("/r/wishes/", form).status_code == 302
    assert client.post("/r/wishes/", form).status_code == 302  # a double tap
    wish = Wish.objects.get()
    assert (wish.status, wish.for_person) == (Status.SUBMITTED, resident.person)
    listed = client.get("/r/wishes/").content.decode()
    assert "想请人陪我去医院复查" in listed and "待审核" in listed


def test_staff_check_wishes_from_their_queue(resident, community_staff) -> None:
    wish = post(resident)
    client = client_for(community_staff)
    assert client.get("/wishes/").url == "/wishes/review/"
    assert 'href="/wishes/">微心愿</a>' in client.get("/wishes/review/").content.decode()
    assert wish.text[:10] in client.get("/wishes/review/").content.decode()
    assert "审核通过并公开" in client.get(f"/wishes/{wish.pk}/").content.decode()
    answer = client.post(f"/wishes/{wish.pk}/approve/", {"version": wish.version}, follow=True)
    assert "已完成操作" in answer.content.decode()
    wish.refresh_from_db()
    assert wish.status == Status.APPROVED


def test_a_stale_page_is_refused(resident, community_staff) -> None:
    wish = post(resident)
    client = client_for(community_staff)
    answer = client.post(f"/wishes/{wish.pk}/reject/", {"version": 9, "reason": "x"}, follow=True)
    assert "刚刚被别人处理过" in answer.content.decode()
    wish.refresh_from_db()
    assert wish.status == Status.SUBMITTED


def test_a_party_member_browses_claims_and_fulfils_with_a_photo(
    resident, community_staff, member
) -> None:
    wish = approved(resident, community_staff)
    client = client_for(member)
    browse = client.get("/wishes/open/").content.decode()
    assert wish.text[:10] in browse and "本社区" in browse
    client.post(f"/wishes/{wish.pk}/claim/", {"version": 2})
    assert wish.text[:10] in client.get("/wishes/claimed/").content.decode()
    data = {"version": 3, "note": "换好了新水龙头", "photo": jpeg_with_gps()}
    client.post(f"/wishes/{wish.pk}/fulfil/", data)
    wish.refresh_from_db()
    assert wish.status == Status.FULFILLED and wish.photo
    photo = client.get(f"/wishes/{wish.pk}/photo/")
    stored = Image.open(io.BytesIO(b"".join(photo.streaming_content)))
    assert stored.format == "JPEG" and not stored.getexif()
    resident_client = client_for(resident)
    assert "是的，我的心愿实现了" in resident_client.get(f"/wishes/{wish.pk}/").content.decode()
    resident_client.post(f"/wishes/{wish.pk}/confirm/", {"version": 4, "note": "谢谢"})
    wish.refresh_from_db()
    assert wish.status == Status.CONFIRMED


def test_the_open_wishes_filter_by_a_place_found_by_name_in_the_members_county(
    county, resident, community_staff, member
) -> None:
    wish = approved(resident, community_staff)
    elsewhere = build_county("NF", "南丰县")  # its 1栋 are of a county the member does not serve
    client = client_for(member)
    page = client.get("/wishes/open/").content.decode()
    assert 'name="place" value="" checked> 所有地点' in page
    assert 'type="text" name="place"' not in page  # no code is typed
    # As one types (htmx), and without scripts (the page again with ?q=).
    for found in (
        client.get("/wishes/open/places/", {"q": "1栋"}).content.decode(),
        client.get("/wishes/open/", {"q": "1栋"}).content.decode(),
    ):
        assert f'name="place" value="{county.building_a1.code}"' in found
        assert "莲花社区 › 第一网格" in found
        assert elsewhere.building_a1.code not in found
    picked = client.get("/wishes/open/", {"place": county.building_a1.code}).content.decode()
    assert wish.text[:10] in picked
    assert f'value="{county.building_a1.code}" checked> 1栋' in picked  # named
    assert (
        wish.text[:10]
        not in client.get("/wishes/open/", {"place": county.grid_b.code}).content.decode()
    )
    away = client.get("/wishes/open/", {"place": elsewhere.building_a1.code}).content.decode()
    assert wish.text[:10] not in away and "南丰县" not in away  # nothing, and unnamed


def test_outsiders_get_nothing(resident, outsider, non_member, member) -> None:
    wish = post(resident)  # not yet checked: not shown to claimers or other grids
    assert client_for(outsider).get(f"/wishes/{wish.pk}/").status_code == 404
    assert client_for(member).get(f"/wishes/{wish.pk}/").status_code == 404
    assert client_for(non_member).get("/wishes/open/").status_code == 403
    assert client_for(non_member).get("/wishes/open/places/?q=1栋").status_code == 403
    assert client_for(outsider).get("/wishes/at/GC.C01.G01/").status_code == 404
    assert client_for(resident).get("/wishes/review/").status_code == 403


def test_a_places_wishes_export_to_excel_with_chinese_headers(
    county, resident, community_staff, member
) -> None:
    wish = approved(resident, community_staff)
    services.claim(wish, member)
    post(resident, "想要一台收音机")
    client = client_for(community_staff)
    assert "想要一台收音机" in client.get("/wishes/at/GC.C01/").content.decode()
    response = client.get("/wishes/at/GC.C01/export/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("编号", "地点编号", "地点", "门牌", "心愿人", "心愿", "状态")
    assert {row[6] for row in rows[1:]} == {"已认领", "待审核"}
    assert any(row[9] == "member1" for row in rows[1:])
    assert AuditEvent.objects.filter(action="wish.export").count() == 1


def test_the_api_posts_once_per_key_and_walks_a_wish(resident, community_staff, member) -> None:
    api = client_for(resident)
    body = json.dumps({"text": "想请人帮忙搬一下旧家具"})
    first = api.post(
        "/api/wishes/", body, content_type="application/json", headers={"Idempotency-Key": "k-1"}
    )
    again = api.post(
        "/api/wishes/", body, content_type="application/json", headers={"Idempotency-Key": "k-1"}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    wish_id = first.json()["id"]
    assert again.json()["id"] == wish_id and first.json()["status"] == "submitted"
    other = json.dumps({"text": "别的心愿"})
    refused = api.post(
        "/api/wishes/", other, content_type="application/json", headers={"Idempotency-Key": "k-1"}
    )
    assert refused.status_code == 422 and "幂等键" in refused.json()["detail"]

    def move(user, action: str, **data) -> dict:  # type: ignore[no-untyped-def]
        answer = client_for(user).post(
            f"/api/wishes/{wish_id}/{action}", json.dumps(data), content_type="application/json"
        )
        return {"status": answer.status_code, **answer.json()}

    assert move(resident, "approve")["status"] == 403
    assert move(community_staff, "approve")["status"] == "approved"
    near = client_for(member).get("/api/wishes/?near=true").json()
    assert [item["id"] for item in near["items"]] == [wish_id]
    assert move(member, "claim", version=2)["status"] == "claimed"
    assert move(member, "claim", version=3)["status"] == 409
    fulfilled = client_for(member).post(
        f"/api/wishes/{wish_id}/fulfil", {"note": "搬好了", "version": 3}
    )
    assert fulfilled.status_code == 200 and fulfilled.json()["status"] == "fulfilled"
    confirmed = move(resident, "confirm")
    assert confirmed["status"] == "confirmed"
    assert [e["kind"] for e in confirmed["events"]] == [
        "posted",
        "approved",
        "claimed",
        "fulfilled",
        "confirmed",
    ]


def test_list_pages_take_the_same_queries_however_many_wishes(
    resident, community_staff, member
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    approved(resident, community_staff)
    staff, claimer = client_for(community_staff), client_for(member)
    before = [queries(claimer, "/wishes/open/"), queries(staff, "/wishes/at/GC.C01/")]
    for n in range(8):
        approved(resident, community_staff, f"心愿{n}")
    after = [queries(claimer, "/wishes/open/"), queries(staff, "/wishes/at/GC.C01/")]
    assert after == before


def test_a_resident_who_is_a_party_member_finds_the_open_wishes(member) -> None:
    client = client_for(member)
    assert "/wishes/open/" in client.get("/r/wishes/").content.decode()
    assert client.get("/wishes/").url == "/wishes/open/"


def test_a_household_outside_the_area_is_not_found(county, unit_leader, resident) -> None:
    far = make_household(county.rural_grid, "9")
    body = json.dumps({"text": "想要一台收音机", "household": far.pk})
    answer = client_for(unit_leader).post("/api/wishes/", body, content_type="application/json")
    missing = client_for(unit_leader).post(
        "/api/wishes/",
        json.dumps({"text": "想要一台收音机", "household": 999999}),
        content_type="application/json",
    )
    assert answer.status_code == missing.status_code == 404
