"""The issue loop's pages: my work, acting through forms, recording, resident pages, the public
page, and a constant number of queries on the worklist whatever the data size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanzhang.issues.intake import submit
from sanzhang.issues.models import Channel, Issue, State

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report(resident, county, n: int = 1, **extra) -> list[Issue]:
    return [
        submit(resident, place=county.unit_a1_1, text=f"垃圾没人清扫 {i}", **extra).issue
        for i in range(n)
    ]


def test_the_work_list_shows_the_problems_words_and_deadline(loop, resident, grid_leader):
    issue = report(resident, loop)[0]
    page = client_for(grid_leader).get("/issues/?all=1").content.decode()
    assert "垃圾没人清扫 0" in page and issue.number in page
    assert issue.due_at is not None  # a reported issue has its step's deadline
    due = timezone.localtime(issue.due_at).strftime("%m-%d %H:%M")
    assert f'<span class="due">期限 {due}</span>' in page


def test_my_work_lists_what_waits_on_each_leader(loop, resident, unit_leader, grid_leader):
    (issue,) = report(resident, loop)
    assert issue.number in client_for(unit_leader).get("/issues/").content.decode()
    grid = client_for(grid_leader)
    assert issue.number not in grid.get("/issues/").content.decode()  # not yet theirs
    assert issue.number in grid.get("/issues/?all=1").content.decode()  # but in their area


def test_the_place_search_offers_by_name_only_places_the_leader_may_see(
    loop, grid_leader, outsider
) -> None:
    mine = client_for(grid_leader).get("/issues/places/", {"q": "1栋"}).content.decode()
    assert f'name="under" value="{loop.building_a1.code}"' in mine
    assert "莲花社区 › 第一网格" in mine  # each place with the names above it
    assert loop.grid_b.code not in mine  # grid B has a 1栋 too: not the grid leader's
    theirs = client_for(outsider).get("/issues/places/", {"q": "1栋"}).content.decode()
    assert loop.grid_b.code in theirs and loop.grid_a.code not in theirs
    nothing = client_for(outsider).get("/issues/places/", {"q": "第一网格"}).content.decode()
    assert loop.grid_a.code not in nothing and "您的辖区内没有这个名称的地点" in nothing


def test_the_work_list_filters_by_the_chosen_place_and_names_it(
    loop, resident, grid_leader
) -> None:
    here = submit(resident, place=loop.unit_a1_1, text="一栋楼道灯坏了").issue
    there = submit(resident, place=loop.unit_a2_1, text="二栋门禁坏了").issue
    url = f"/issues/?all=1&under={loop.building_a1.code.lower()}"  # a code as typed in a link
    page = client_for(grid_leader).get(url).content.decode()
    assert here.number in page and there.number not in page
    chosen = f'value="{loop.building_a1.code}" checked> 1栋 <span class="muted">莲花社区 › 第一网格'
    assert chosen in page


def test_a_place_outside_the_leaders_area_filters_in_nothing(loop, resident, outsider) -> None:
    (issue,) = report(resident, loop)
    page = client_for(outsider).get(f"/issues/?all=1&under={loop.unit_a1_1.code}").content
    assert issue.number not in page.decode()
    assert "第一网格" not in page.decode()  # the code is not named for them


def test_acting_through_the_detail_page(loop, resident, unit_leader) -> None:
    (issue,) = report(resident, loop)
    unit = client_for(unit_leader)
    page = unit.get(f"/issues/{issue.number}/").content.decode()
    assert "确认层级和承办人" in page and "检查通过" not in page
    unit.post(f"/issues/{issue.number}/confirm/", {"version": issue.version})
    issue.refresh_from_db()
    assert issue.state == State.ASSIGNED
    stale = unit.post(f"/issues/{issue.number}/start/", {"version": 1}, follow=True)
    assert "刚刚有人处理了诉求" in stale.content.decode()
    assert Issue.objects.get(pk=issue.pk).state == State.ASSIGNED
    unit.post(f"/issues/{issue.number}/start/", {"version": issue.version})
    refused = unit.post(f"/issues/{issue.number}/handle/", {"note": ""}, follow=True)
    assert "请说明处置情况" in refused.content.decode()


def test_the_step_form_moves_the_issue_to_a_place_found_by_name(
    loop, resident, grid_leader
) -> None:
    (issue,) = report(resident, loop)
    me = client_for(grid_leader)
    page = me.get(f"/issues/{issue.number}/").content.decode()
    assert 'name="place" value="" checked> 原地点（1单元）' in page  # no code is typed
    assert 'type="text" name="place"' not in page
    # Without scripts the search reloads the page with the places found: only in the area.
    found = me.get(f"/issues/{issue.number}/", {"q": "2栋"}).content.decode()
    assert f'name="place" value="{loop.building_a2.code}"' in found
    assert "莲花社区 › 第一网格" in found
    nothing = me.get(f"/issues/{issue.number}/", {"q": "第二网格"}).content.decode()
    assert loop.grid_b.code not in nothing and "您的辖区内没有这个名称的地点" in nothing
    moved = {"version": issue.version, "place": loop.building_a2.code}
    assert me.post(f"/issues/{issue.number}/confirm/", moved).status_code == 302
    issue.refresh_from_db()
    assert (issue.place, issue.state) == (loop.building_a2, State.ASSIGNED)


def test_the_step_form_refuses_a_place_outside_the_area(loop, resident, grid_leader) -> None:
    (issue,) = report(resident, loop)
    away = {"version": issue.version, "place": loop.unit_b1_1.code}
    assert client_for(grid_leader).post(f"/issues/{issue.number}/confirm/", away).status_code == 404
    issue.refresh_from_db()
    assert (issue.place, issue.state) == (loop.unit_a1_1, State.REPORTED)


def test_bulk_start_reports_each_failure(loop, resident, unit_leader, grid_leader) -> None:
    issues = report(resident, loop, 3)
    from sanzhang.issues import workflow

    for issue in issues[:2]:
        workflow.confirm(issue, unit_leader)
    response = client_for(unit_leader).post(
        "/issues/", {"action": "start", "issue": [i.number for i in issues]}, follow=True
    )
    text = response.content.decode()
    assert "2" in text and issues[2].number in text  # the unconfirmed one is listed as refused
    states = sorted(Issue.objects.values_list("state", flat=True))
    assert states == ["in_progress", "in_progress", "reported"]


def test_pages_return_404_outside_scope(loop, resident, outsider, department) -> None:
    (issue,) = report(resident, loop)
    for user in (outsider, department):
        client = client_for(user)
        assert client.get(f"/issues/{issue.number}/").status_code == 404
        assert client.post(f"/issues/{issue.number}/confirm/", {}).status_code == 404
    assert client_for(resident).get("/issues/").status_code == 404


def test_a_leader_records_a_report_for_a_household(loop, resident, unit_leader) -> None:
    door = resident.person.household.door
    form = {
        "text": "独居老人水管漏水",
        "channel": Channel.DOOR_KNOCKING,
        "door": door,
        "place": loop.unit_a1_1.code,
        "intake_key": "k1",
    }
    unit = client_for(unit_leader)
    assert unit.post("/issues/new/", form).status_code == 302
    assert unit.post("/issues/new/", form).status_code == 302  # a double tap: same issue
    issue = Issue.objects.get()
    assert (issue.household, issue.channel) == (resident.person.household, "door_knocking")
    wrong = unit.post("/issues/new/", {**form, "door": "999", "intake_key": "k2"})
    assert "没有该门牌号" in wrong.content.decode()


def test_the_record_form_finds_the_place_by_name_among_the_leaders_places(
    loop, grid_leader
) -> None:
    me = client_for(grid_leader)
    page = me.get("/issues/new/").content.decode()
    # The leader's own post's place is offered, picked; no code is typed anywhere.
    assert f'name="place" value="{loop.grid_a.code}" checked> 第一网格' in page
    assert 'type="text" name="place"' not in page
    # As one types (htmx), and without scripts (the page again with ?q=): only grid A's 1栋.
    for found in (
        me.get("/issues/places/", {"q": "1栋", "field": "place"}).content.decode(),
        me.get("/issues/new/", {"q": "1栋"}).content.decode(),
    ):
        assert f'name="place" value="{loop.building_a1.code}"' in found
        assert "莲花社区 › 第一网格" in found
        assert loop.grid_b.code not in found  # grid B's 1栋 is not the grid leader's
    form = {
        "text": "楼道灯坏了",
        "channel": Channel.PATROL,
        "place": loop.building_a1.code,
        "intake_key": "r1",
    }
    assert me.post("/issues/new/", form).status_code == 302
    assert Issue.objects.get().place == loop.building_a1


def test_the_record_form_refuses_a_place_outside_the_leaders_area(loop, grid_leader) -> None:
    me = client_for(grid_leader)
    form = {"text": "楼道灯坏了", "channel": Channel.PATROL, "intake_key": "r2"}
    assert me.post("/issues/new/", {**form, "place": loop.unit_b1_1.code}).status_code == 404
    unpicked = me.post("/issues/new/", {**form, "place": ""}).content.decode()
    assert "请选择问题所在的地点" in unpicked
    assert not Issue.objects.exists()


def test_a_resident_reports_follows_and_rates_on_the_phone_pages(
    loop, resident, unit_leader, grid_leader
) -> None:
    me = client_for(resident)
    assert me.get("/r/").status_code == 200
    response = me.post("/r/", {"text": "路灯坏了，晚上很黑", "intake_key": "r1"})
    issue = Issue.objects.get()
    assert response.url == f"/r/{issue.number}/"
    assert issue.place == loop.unit_a1_1  # their own unit by default
    mine = me.get("/r/mine/").content.decode()
    assert issue.number in mine and "路灯坏了，晚上很黑" in mine  # what they wrote
    from sanzhang.issues import workflow

    workflow.confirm(issue, grid_leader, tier="simple")
    workflow.start(issue, unit_leader)
    workflow.handle(issue, unit_leader, note="换了灯泡")
    workflow.comment(issue, grid_leader, note="内部备注：灯具老化")
    workflow.pass_inspection(issue, grid_leader)
    workflow.feed_back(issue, unit_leader, message="路灯已修好")
    page = me.get(f"/r/{issue.number}/").content.decode()
    assert "路灯已修好" in page and "内部备注" not in page
    me.post(f"/issues/{issue.number}/rate/", {"satisfied": "true", "version": issue.version})
    issue.refresh_from_db()
    assert issue.state == State.CLOSED


def test_the_public_page_hides_words_unless_allowed(loop, resident) -> None:
    private = submit(resident, place=loop.unit_a1_1, text="隔壁王家半夜吵闹").issue
    public = submit(
        resident, place=loop.unit_a1_2, text="二单元路灯不亮", public_consent=True
    ).issue
    page = Client().get(f"/board/{loop.grid_a.code}/issues/").content.decode()
    assert "二单元路灯不亮" in page
    assert "隔壁王家" not in page and resident.person.name not in page
    assert private.category.name in page and public.number not in page


@pytest.mark.parametrize("role_fixture", ["unit_leader", "grid_leader", "county_officer"])
def test_the_worklist_costs_the_same_queries_at_any_size(request, loop, resident, role_fixture):
    user = request.getfixturevalue(role_fixture)
    client = client_for(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/issues/?all=1").status_code == 200
        return len(ctx.captured_queries)

    report(resident, loop, 2)
    small = queries()
    report(resident, loop, 30)
    assert queries() == small


MY_WORK_QUERIES = 8  # the session, the account, its posts, the count, the page and the menu's


def test_my_work_costs_the_same_queries_at_any_size(loop, resident, unit_leader, grid_leader):
    """The leaders' reported issues and the grid leader's handled ones below them, at N and
    at 3N: the same queries, within a bound that does not grow with the rows."""
    from sanzhang.issues import workflow

    made: list[Issue] = []

    def add(n: int) -> None:
        for i in range(len(made), len(made) + 2 * n):
            issue = submit(resident, place=loop.unit_a1_1, text=f"第{i}号楼道堆放杂物").issue
            made.append(issue)
            if i % 2:
                workflow.confirm(issue, grid_leader, tier="simple")
                workflow.start(issue, unit_leader)
                workflow.handle(issue, unit_leader, note="已清扫")

    def queries(user) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        client = client_for(user)
        client.get("/issues/")
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/issues/").content.decode()
        return len(ctx.captured_queries), page.count('name="issue"')

    add(2)
    small = {user.username: queries(user) for user in (unit_leader, grid_leader)}
    add(6)
    large = {user.username: queries(user) for user in (unit_leader, grid_leader)}
    rows = [sum(listed for _, listed in sizes.values()) for sizes in (small, large)]
    assert 0 < 2 * rows[0] < rows[1]  # the lists grew (routing decides whose list)
    for name, (count, _) in small.items():
        assert large[name][0] == count <= MY_WORK_QUERIES, name


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("start", {"version": 1}),  # stale: the issue was confirmed since
        ("handle", {"note": ""}),  # not in this step
        ("rate", {}),  # not the reporter, and not in this step
    ],
)
def test_a_refusal_reads_the_same_on_the_page_and_in_the_api(
    loop, resident, unit_leader, action, body
) -> None:
    (issue,) = report(resident, loop)
    unit = client_for(unit_leader)
    unit.post(f"/issues/{issue.number}/confirm/", {"version": issue.version})
    api = unit.post(f"/api/issues/{issue.number}/{action}", body, content_type="application/json")
    page = unit.post(f"/issues/{issue.number}/{action}/", body, follow=True).content.decode()
    assert api.status_code in (403, 409, 422)
    assert api.json()["detail"] in page


def _photo(name: str, colour: tuple[int, int, int]):  # type: ignore[no-untyped-def]
    """A real JPEG, as a phone's camera leaves it (with the place it was taken)."""
    from .test_api import jpeg

    data = jpeg(size=(640, 480), gps=True).getvalue()
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_photos_attach_on_the_resident_and_the_leader_report_pages(
    loop, resident, unit_leader
) -> None:
    me = client_for(resident)
    two = [_photo("a.jpg", (200, 30, 30)), _photo("b.jpg", (30, 200, 30))]
    response = me.post("/r/", {"text": "楼道堆满杂物", "intake_key": "p1", "photos": two})
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = Issue.objects.get()
    assert issue.photos.count() == 2
    page = me.get(f"/r/{issue.number}/").content.decode()
    assert page.count("/photos/") >= 2
    form = {
        "text": "独居老人家中漏水",
        "channel": Channel.DOOR_KNOCKING,
        "place": loop.unit_a1_1.code,
        "intake_key": "p2",
        "photos": [_photo("c.jpg", (30, 30, 200))],
    }
    assert client_for(unit_leader).post("/issues/new/", form).status_code == 302
    assert Issue.objects.get(channel=Channel.DOOR_KNOCKING).photos.count() == 1


def test_a_file_that_is_not_a_photo_is_refused_in_words_and_the_words_stay(loop, resident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    me = client_for(resident)
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    response = me.post("/r/", {"text": "路灯坏了", "intake_key": "p3", "photos": [fake]})
    page = response.content.decode()
    assert response.status_code == 200 and "路灯坏了" in page
    assert "未提交文件" not in page and not Issue.objects.exists()


def test_the_issue_page_offers_the_next_step_first_and_folds_the_others(
    loop, resident, grid_leader
) -> None:
    issue = report(resident, loop)[0]
    page = client_for(grid_leader).get(f"/issues/{issue.number}/").content.decode()
    main, folded = page.split('id="other-actions"')
    assert 'id="act-confirm"' in main and 'id="act-decline"' not in main
    assert 'id="act-decline"' in folded and 'id="act-confirm"' not in folded
    assert main.count('<form method="post" action="/issues/') == 1


def test_a_resident_picks_another_place_of_their_county_by_name(loop, resident) -> None:
    from sanzhang.conftest import build_county

    me = client_for(resident)
    found = me.get("/r/places/?q=第二", HTTP_HX_REQUEST="true").content.decode()
    assert f'value="{loop.grid_b.code}"' in found and "莲花社区" in found
    again = me.get(f"/r/places/?q=第二&place={loop.grid_b.code}").content.decode()
    assert f'value="{loop.grid_b.code}" checked' in again  # the pick survives the list coming again
    response = me.post(
        "/r/", {"text": "第二网格路灯不亮", "intake_key": "w1", "place": loop.grid_b.code}
    )
    assert response.status_code == 302
    assert Issue.objects.get().place == loop.grid_b
    other = build_county("NF", "南丰县")
    assert other.grid_b.code not in me.get("/r/places/?q=第二").content.decode()
    refused = me.post(
        "/r/", {"text": "外县的问题", "intake_key": "w2", "place": other.grid_b.code}
    ).content.decode()
    assert "请从列表中选择地点" in refused and "外县的问题" in refused
    assert Issue.objects.count() == 1


def test_a_resident_is_shown_a_like_report_nearby_and_follows_it(loop, resident) -> None:
    from sanzhang.conftest import make_household
    from sanzhang.issues.models import IssueFollower
    from sanzhang.people.models import Person, Role, User

    shown = submit(resident, place=loop.unit_a1_1, text="楼道灯坏了，晚上很黑", public_consent=True)
    submit(resident, place=loop.unit_a1_1, text="楼道灯坏了，没人修", public_consent=False)
    neighbour_home = make_household(loop.unit_a1_2, "402", name="赵敏")
    neighbour = User.objects.create_user(
        "zhao", role=Role.RESIDENT, person=Person.objects.get(household=neighbour_home)
    )
    me = client_for(neighbour)
    found = me.get("/r/similar/?text=我们楼道的灯坏了&place=", HTTP_HX_REQUEST="true")
    page = found.content.decode()
    assert shown.issue.number in page and "关注它" in page
    assert "没人修" not in page  # a report not allowed to be shown is never offered
    assert me.get("/r/similar/?text=路灯&place=").content.decode().count("关注它") == 0  # too short
    done = me.post(f"/r/{shown.issue.number}/follow/")
    assert done.status_code == 302 and done["Location"] == f"/r/{shown.issue.number}/"
    me.post(f"/r/{shown.issue.number}/follow/")  # a double tap: still one
    assert IssueFollower.objects.filter(user=neighbour).count() == 1
    assert shown.issue.number in me.get("/r/mine/").content.decode()
    hidden = Issue.objects.get(public_consent=False)
    assert me.post(f"/r/{hidden.number}/follow/").status_code == 404
    assert not IssueFollower.objects.filter(user=neighbour, issue=hidden).exists()
