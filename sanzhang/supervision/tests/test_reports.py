"""Monthly reports (produced once, their dispatch meeting, Excel and PDF with Chinese text) and
public notices (drafted, numbered when published, then unchanged, seen where they concern)."""

from __future__ import annotations

import datetime
import io
import subprocess
import zoneinfo

import pytest
import time_machine
from django.utils.translation import gettext
from openpyxl import load_workbook

from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.issues.intake import submit
from sanzhang.issues.workflow import move
from sanzhang.supervision import dashboards, monthly, notices
from sanzhang.supervision.models import MonthlyReport, Notice

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOVEMBER = datetime.date(2026, 11, 1)


def pdf_text(content: bytes) -> str:
    """The text a PDF reader extracts (poppler's pdftotext, reading from stdin)."""
    done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def november(county, unit_leader, county_officer):  # type: ignore[no-untyped-def]
    with time_machine.travel(at("2026-11-10 09:00"), tick=False):
        issue = submit(
            unit_leader, place=county.unit_a1_1, text="楼道灯坏了", channel="patrol"
        ).issue
    with time_machine.travel(at("2026-11-10 10:00"), tick=False):
        for kind, state in [
            ("confirmed", "assigned"),
            ("started", "in_progress"),
            ("handled", "handled"),
            ("inspected", "inspected"),
            ("fed_back", "fed_back"),
            ("rated_satisfied", "closed"),
        ]:
            issue.refresh_from_db()
            move(issue, None, kind=kind, to_state=state, note="x")
    with time_machine.travel(at("2026-11-20 09:00"), tick=False):
        submit(unit_leader, place=county.unit_a1_1, text="垃圾没有清运", channel="patrol")
    return issue


def test_a_month_is_reported_once_per_county_and_township(county, november) -> None:
    with time_machine.travel(at("2026-12-01 06:00"), tick=False):
        made = monthly.produce_for_period(at("2026-12-01 06:00"))
        assert made == "2026-11: 2 reports"
        assert monthly.produce(NOVEMBER) == []
    report = MonthlyReport.objects.get(place=county.county)
    figures = report.figures
    assert figures["totals"]["new"] == 2 and figures["totals"]["solved"] == 1
    assert figures["rates"] == {
        "solve_rate": 0.5,
        "on_time_rate": 1.0,
        "satisfaction": 1.0,
        "reopen_rate": 0.0,
    }
    places = {row["code"]: row for row in figures["places"]}
    assert places[county.community.code]["rank"] == 1 and places[county.district.code]["new"] == 0
    assert MonthlyReport.objects.get(place=county.district).figures["totals"]["new"] == 0


def test_the_dispatch_meeting_and_the_exports(
    client, county, november, county_officer, community_staff
) -> None:
    with time_machine.travel(at("2026-12-01 06:00"), tick=False):
        monthly.produce(NOVEMBER)
    report = MonthlyReport.objects.get(place=county.county)
    client.force_login(county_officer)
    url = f"/supervision/monthly/{report.pk}/"
    client.post(
        url + "meeting/",
        {
            "what": "record",
            "held_on": "2026-12-03",
            "attendees": "县三长办、各乡镇",
            "record": "通报11月情况",
        },
    )
    client.post(
        url + "meeting/",
        {
            "what": "decision",
            "text": "旴江镇加快办理超期问题",
            "responsible": "旴江镇",
            "due_on": "2026-12-15",
        },
    )
    decision = report.meeting.decisions.get()
    client.post(
        url + "meeting/",
        {"what": "follow_up", "decision": decision.pk, "follow_up": "已办结", "done": "1"},
    )
    decision.refresh_from_db()
    assert decision.is_done and decision.follow_up == "已办结"
    page = client.get(url).content.decode()
    assert "月度调度报告" in page and "旴江镇加快办理超期问题" in page
    book = load_workbook(io.BytesIO(client.get(url + "xlsx/").content))
    assert book.sheetnames[:3] == ["指标", "各地排名", "部门排名"]
    assert book["各地排名"]["A2"].value == 1 and book["各地排名"]["F2"].number_format == "0.0%"
    response = client.get(url + "pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "月度调度报告" in text and "旴江镇加快办理超期问题" in text and "各地排名" in text
    client.force_login(community_staff)  # the county's report is above the community
    assert client.get(url).status_code == 404


def test_a_notice_is_numbered_on_publishing_and_then_kept(
    county, november, county_officer, unit_leader
) -> None:
    with pytest.raises(NotAllowed):
        notices.save_draft(
            unit_leader,
            None,
            title="t",
            kind="praise",
            body="b",
            places=[county.community],
            issue_numbers=[],
        )
    with pytest.raises(Invalid, match="NOPE"):
        notices.save_draft(
            county_officer,
            None,
            title="表扬",
            kind="praise",
            body="及时办结",
            places=[county.community],
            issue_numbers=["NOPE"],
        )
    notice = notices.save_draft(
        county_officer,
        None,
        title="关于莲花社区及时办结群众诉求的表扬通报",
        kind="praise",
        body="莲花社区第一网格及时办结楼道照明问题。",
        places=[county.community],
        issue_numbers=[november.number],
    )
    with time_machine.travel(at("2026-12-02 09:00"), tick=False):
        notices.publish(notice, county_officer)
        second = notices.save_draft(
            county_officer,
            None,
            title="第二期",
            kind="information",
            body="情况",
            places=[county.county],
            issue_numbers=[],
        )
        notices.publish(second, county_officer)
    assert (notice.number, second.number) == ("通报〔2026〕1号", "通报〔2026〕2号")
    with pytest.raises(Conflict):
        notices.publish(notice, county_officer)
    with pytest.raises(Conflict):
        notices.save_draft(
            county_officer,
            notice,
            title="改",
            kind="praise",
            body="改",
            places=[county.community],
            issue_numbers=[],
        )
    assert Notice.objects.get(pk=notice.pk).title.startswith("关于莲花社区")
    assert dashboards.headline(county.community)["notices"] == 2  # its own and the county's
    assert dashboards.headline(county.district)["notices"] == 1  # the county-wide one


def test_notices_are_seen_where_they_concern(
    client, county, county_officer, community_staff
) -> None:
    village = notices.save_draft(
        county_officer,
        None,
        title="城东村批评通报",
        kind="criticism",
        body="超期未办",
        places=[county.area],
        issue_numbers=[],
    )
    town = notices.save_draft(
        county_officer,
        None,
        title="莲花社区通报",
        kind="criticism",
        body="超期未办",
        places=[county.community],
        issue_numbers=[],
    )
    client.force_login(community_staff)
    assert client.get(f"/supervision/notices/{town.pk}/").status_code == 404  # still a draft
    notices.publish(village, county_officer)
    notices.publish(town, county_officer)
    listing = client.get("/supervision/notices/").content.decode()
    assert "莲花社区通报" in listing and "城东村批评通报" not in listing
    response = client.get(f"/supervision/notices/{town.pk}/pdf/")
    text = pdf_text(response.content)
    assert "莲花社区通报" in text and "通报〔" in text
    client.force_login(county_officer)
    page = client.post(
        "/supervision/notices/new/",
        {"title": "", "kind": "praise", "body": "x", "places": [county.area.pk]},
    )
    assert page.status_code == 200 and "通报需要标题和正文" in page.content.decode()


def test_the_notices_list_exports(client, county, county_officer) -> None:
    notice = notices.save_draft(
        county_officer,
        None,
        title="情况通报",
        kind="information",
        body="本月情况",
        places=[county.county],
        issue_numbers=[],
    )
    notices.publish(notice, county_officer)
    client.force_login(county_officer)
    sheet = load_workbook(io.BytesIO(client.get("/supervision/notices/?format=xlsx").content))
    row = [c.value for c in sheet.worksheets[0][2]]
    assert row[:3] == [notice.number, "情况通报", "情况通报"] and row[3] == county.county.name


def test_mangled_meeting_values_are_refused_by_the_forms(
    client, county, november, county_officer
) -> None:
    with time_machine.travel(at("2026-12-01 06:00"), tick=False):
        monthly.produce(NOVEMBER)
    report = MonthlyReport.objects.get(place=county.county)
    client.force_login(county_officer)
    url = f"/supervision/monthly/{report.pk}/meeting/"
    early = client.post(url, {"what": "decision", "text": "x", "due_on": "soon"}, follow=True)
    assert "请先填写会议记录" in early.content.decode()  # the meeting before the date
    for held_on in ["2026-13-01", "", "soon"]:
        page = client.post(url, {"what": "record", "held_on": held_on, "record": "x"}, follow=True)
        assert gettext("Give a date as YYYY-MM-DD.") in page.content.decode()
    assert not hasattr(MonthlyReport.objects.get(pk=report.pk), "meeting")
    assert client.post(url, {"what": "follow_up", "decision": "abc"}).status_code == 404
    assert client.post(url, {"what": "elsewhere"}).status_code == 302  # saves nothing


def test_a_notice_with_mangled_places_is_refused_and_kept_on_the_page(
    client, county, county_officer
) -> None:
    client.force_login(county_officer)
    page = client.post(
        "/supervision/notices/new/",
        {"title": "莲花社区通报", "kind": "praise", "body": "按时办结", "places": ["abc", "²"]},
    )
    content = page.content.decode()
    assert page.status_code == 200 and "莲花社区通报" in content and "按时办结" in content
    assert gettext("Choose the places the notice concerns.") in content
    assert not Notice.objects.exists()
    saved = client.post(
        "/supervision/notices/new/",
        {"title": "莲花社区通报", "kind": "praise", "body": "按时办结", "places": [county.area.pk]},
    )
    assert saved.status_code == 302 and Notice.objects.get().places.get() == county.area


def test_departments_are_rated_on_what_they_had_in_hand_and_places_read_whole(
    county, county_officer
) -> None:
    from sanzhang.conftest import make_staff
    from sanzhang.issues.models import Issue
    from sanzhang.people.models import Organisation, Role

    make_staff("housing", Role.DEPARTMENT, county.county, Organisation.Kind.DEPARTMENT)
    housing = Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT)
    with time_machine.travel(at("2026-10-20 09:00"), tick=False):  # reported the month before
        old = submit(county_officer, place=county.unit_a1_1, text="小区路面塌陷", channel="patrol")
        still_open = submit(
            county_officer, place=county.unit_b1_1, text="雨天内涝", channel="patrol"
        )
    Issue.objects.filter(pk__in=[old.issue.pk, still_open.issue.pk]).update(
        owner_organisation=housing, tier="hard"
    )
    with time_machine.travel(at("2026-11-15 10:00"), tick=False):
        Issue.objects.filter(pk=old.issue.pk).update(
            state="closed", closed_at=at("2026-11-15 10:00")
        )
    Issue.objects.filter(pk=still_open.issue.pk).update(due_at=at("2026-11-25 17:30"))
    with time_machine.travel(at("2026-12-01 06:00"), tick=False):
        monthly.produce(NOVEMBER)
    figures = MonthlyReport.objects.get(place=county.county).figures
    (row,) = [d for d in figures["departments"] if d["id"] == housing.pk]
    assert row["solve_rate"] == 0.5  # one of the two it had in hand, though reported in October
    (hard,) = figures["open_hard"]
    assert hard["place"] == "莲花社区 第二网格 1栋 1单元"
    from django.test import Client

    client = Client()
    client.force_login(county_officer)
    report = MonthlyReport.objects.get(place=county.county)
    page = client.get(f"/supervision/monthly/{report.pk}/").content.decode()
    assert "莲花社区 第二网格 1栋 1单元" in page and "50.0" in page
    assert "T17:30" not in page


def test_the_report_quotes_the_latest_closed_public_evaluation(
    client, county, november, county_officer
) -> None:
    from sanzhang.conftest import make_leader
    from sanzhang.evaluations.models import Period, Result, State
    from sanzhang.posts.models import PostKind, Tenure

    good = make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-a")
    weak = make_leader(county.grid_b, PostKind.GRID_LEADER, "grid-b")
    quarter = Period.objects.create(
        place=county.county,
        title="2026年第三季度",
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 9, 30),
        state=State.CLOSED,
    )
    for user, counts in [(good, (8, 1, 1)), (weak, (2, 2, 6))]:
        tenure = Tenure.objects.get(person=user.person)
        Result.objects.create(
            period=quarter,
            tenure=tenure,
            satisfied=counts[0],
            basic=counts[1],
            unsatisfied=counts[2],
        )
    # One still open, or ended after November, is not quoted.
    Period.objects.create(
        place=county.county,
        title="2026年第四季度",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    with time_machine.travel(at("2026-12-01 06:00"), tick=False):
        monthly.produce(NOVEMBER)
    report = MonthlyReport.objects.get(place=county.county)
    assert report.figures["evaluation"] == {
        "title": "2026年第三季度",
        "holders": 2,
        "votes": 20,
        "percent": 65,
        "below": 1,  # 40% of 10 votes, under the bar of 90%
    }
    # The township's own report has no holders evaluated under it.
    assert MonthlyReport.objects.get(place=county.district).figures["evaluation"]["holders"] == 0
    client.force_login(county_officer)
    page = client.get(f"/supervision/monthly/{report.pk}/").content.decode()
    assert "党群评议" in page and "2026年第三季度" in page and "65%" in page
    text = pdf_text(client.get(f"/supervision/monthly/{report.pk}/pdf/").content)
    assert "党群评议" in text
