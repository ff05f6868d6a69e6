"""The vetting's pages: who gets them (everyone but the department and the reviewers gets
404, the cadre too), every read audited, the moves from the page, the Excel."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import (
    make_household,
    make_staff,
    needs_real_concurrency,
    simultaneously,
)
from sanzhang.people.models import Person, Role, User
from sanzhang.posts.models import PostKind, Tenure
from sanzhang.posts.services import appoint, end_tenure, open_post
from sanzhang.vetting import services
from sanzhang.vetting.models import Decision, Status, Vetting

from .conftest import Vettings, deadline, make_branch
from .test_services import _submitted

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reads(user: User) -> int:
    return AuditEvent.objects.filter(
        actor=user, action__in=["vetting.read", "vetting.listed", "vetting.exported"]
    ).count()


def test_the_department_and_the_reviewers_read_it_each_read_audited(vettings: Vettings) -> None:
    vetting = vettings.open()
    url = f"/vetting/{vetting.pk}/"
    for user in (vettings.department, vettings.secretary, vettings.grid_leader):
        client = _client(user)
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
        assert "李建国" in client.get("/vetting/").content.decode()
        assert _reads(user) == 3
    event = AuditEvent.objects.filter(action="vetting.read").first()
    assert event is not None and event.object_id == str(vetting.pk)


def test_everyone_else_gets_404(  # type: ignore[no-untyped-def]
    vettings: Vettings, outsider, county_officer, community_staff, unit_leader
) -> None:
    vetting = vettings.open()
    department_of_works = User.objects.create_user(
        username="zhujian", role=Role.DEPARTMENT, organisation=county_officer.organisation
    )
    for user in (outsider, county_officer, community_staff, unit_leader, department_of_works):
        client = _client(user)
        assert client.get(f"/vetting/{vetting.pk}/").status_code == 404, user.username
        assert client.get("/vetting/").status_code == 404, user.username
        assert client.get("/vetting/export/").status_code == 404, user.username
        assert client.get("/vetting/new/").status_code == 404, user.username
        moved = client.post(f"/vetting/{vetting.pk}/view/", VIEW)
        assert moved.status_code == 404
    assert not vetting.views.exists()


# A valid view: were the poster allowed, it would be recorded.
VIEW = {"version": 1, "giver_kind": "neighbour", "giver": "王阿姨", "said": "为人热心"}


def test_a_valid_view_is_recorded_by_a_reviewer(vettings: Vettings) -> None:
    """The body the refusals below post is one a reviewer's post records."""
    vetting = vettings.open()
    assert _client(vettings.grid_leader).post(f"/vetting/{vetting.pk}/view/", VIEW).status_code
    assert vetting.views.count() == 1


def test_a_former_holder_of_the_post_gets_404_and_records_nothing(vettings: Vettings) -> None:
    """The grid leader leaves the post: the vetting is out of their sight at once, before the
    department reassigns (their reviewer row is still there)."""
    vetting = vettings.open()
    tenure = Tenure.objects.get(person=vettings.grid_leader.person)
    end_tenure(tenure, end=datetime.date(2026, 1, 1), reason="轮岗")
    client = _client(vettings.grid_leader)
    assert client.get(f"/vetting/{vetting.pk}/").status_code == 404
    assert client.get("/vetting/").status_code == 404
    assert client.post(f"/vetting/{vetting.pk}/view/", VIEW).status_code == 404
    assert not vetting.views.exists()
    assert not services.access.is_reviewer(vettings.grid_leader, vetting)
    assert _client(vettings.secretary).get(f"/vetting/{vetting.pk}/").status_code == 200


def test_a_member_of_the_cadres_household_gets_404(vettings: Vettings) -> None:
    """The cadre's spouse leads the grid: not a reviewer, not even in sight."""
    spouse = vettings.grid_leader.person
    assert spouse is not None
    spouse.household = vettings.household
    spouse.save()
    vetting = vettings.open()
    client = _client(vettings.grid_leader)
    assert client.get(f"/vetting/{vetting.pk}/").status_code == 404
    assert client.post(f"/vetting/{vetting.pk}/view/", VIEW).status_code == 404
    assert not vetting.views.exists()


def test_a_village_secretarys_staff_account_reviews(vettings: Vettings) -> None:
    """In a village the branch sits at the village; its secretary signs in with the village's
    staff account, which carries their person."""
    county = vettings.county
    household = make_household(county.rural_grid, "12", name="陈志明")
    make_branch(county.area, "城东村党支部")
    secretary = Person.objects.create(name="黄书记")
    appoint(
        open_post(county.area, PostKind.BRANCH_SECRETARY),
        secretary,
        start=datetime.date(2025, 1, 1),
    )
    staff = make_staff("village-staff", Role.COMMUNITY_STAFF, county.area, "village")
    staff.person = secretary
    staff.save()
    vetting = vettings.open(
        cadre=services.Cadre("陈志明", "乡镇 副镇长", "乡镇 镇长"), households=[household]
    )
    client = _client(staff)
    assert client.get(f"/vetting/{vetting.pk}/").status_code == 200
    assert client.post(f"/vetting/{vetting.pk}/view/", VIEW).status_code == 302
    assert vetting.views.get().recorded_by == staff


def test_the_audit_row_of_a_read_does_not_name_the_cadre(vettings: Vettings) -> None:
    vetting = vettings.open()
    _client(vettings.grid_leader).get(f"/vetting/{vetting.pk}/")
    event = AuditEvent.objects.get(action="vetting.read")
    assert event.object_id == str(vetting.pk)
    assert "李建国" not in event.object_repr and str(vetting.pk) in event.object_repr
    assert not AuditEvent.objects.filter(object_repr__contains="李建国").exists()


def test_the_cadres_own_account_gets_404_even_as_the_grids_leader(vettings: Vettings) -> None:
    """The cadre holds grid A's leader post as well (stood beside it as the reserve holder, it
    does not matter how): assigned or not, they never see their vetting."""
    vetting = vettings.open()
    cadre = vettings.household.members.get()
    account = User.objects.create_user(username="cadre", role=Role.LEADER, person=cadre)
    reviewer = vetting.reviewers.first()
    assert reviewer is not None
    vetting.reviewers.create(person=cadre, post=reviewer.post, assigned_at=reviewer.assigned_at)
    client = _client(account)
    assert client.get(f"/vetting/{vetting.pk}/").status_code == 404
    assert client.get("/vetting/").status_code == 404


def test_another_countys_department_gets_404(vettings: Vettings) -> None:
    from sanzhang.conftest import build_county, make_staff

    other = build_county("NF", "南丰县")
    elsewhere = make_staff("nf-orgdept", Role.ORG_DEPARTMENT, other.county, "department")
    vetting = vettings.open()
    client = _client(elsewhere)
    assert client.get(f"/vetting/{vetting.pk}/").status_code == 404
    assert "李建国" not in client.get("/vetting/").content.decode()


def test_the_department_opens_through_the_form(vettings: Vettings) -> None:
    client = _client(vettings.department)
    grid = vettings.county.grid_a.code
    page = client.get(f"/vetting/new/?grid={grid}").content.decode()
    assert "1栋 1单元 501" in page
    answer = client.post(
        "/vetting/new/",
        {
            "grid": grid,
            "cadre_name": "陈志明",
            "current_post": "县教育局 科长",
            "proposed_post": "县教育局 副局长",
            "households": [str(vettings.household.pk)],
            "deadline": deadline().isoformat(),
        },
    )
    vetting = Vetting.objects.get(cadre_name="陈志明")
    assert answer.status_code == 302 and answer["Location"] == f"/vetting/{vetting.pk}/"
    assert vetting.reviewers.count() == 2


def _open_form(client: Client, vettings: Vettings) -> dict[str, object]:
    """The opening form as the page shows it, filled in, with the token it carries."""
    grid = vettings.county.grid_a.code
    page = client.get(f"/vetting/new/?grid={grid}").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]{36})"', page)
    assert token is not None
    return {
        "grid": grid,
        "token": token.group(1),
        "cadre_name": "陈志明",
        "current_post": "县教育局 科长",
        "proposed_post": "县教育局 副局长",
        "households": [str(vettings.household.pk)],
        "deadline": deadline().isoformat(),
    }


def test_the_same_form_posted_twice_opens_one_vetting(vettings: Vettings) -> None:
    client = _client(vettings.department)
    form = _open_form(client, vettings)
    first = client.post("/vetting/new/", form)
    second = client.post("/vetting/new/", form)  # a double click, a retry
    vetting = Vetting.objects.get(cadre_name="陈志明")
    assert first["Location"] == second["Location"] == f"/vetting/{vetting.pk}/"
    assert AuditEvent.objects.filter(action="vetting.opened").count() == 1
    client.post("/vetting/new/", _open_form(client, vettings))  # the form shown anew: a new one
    assert Vetting.objects.filter(cadre_name="陈志明").count() == 2


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_the_same_form_posted_twice_at_once_opens_one_vetting(vettings: Vettings) -> None:
    form = _open_form(_client(vettings.department), vettings)

    def posting(client: Client) -> str:
        return str(client.post("/vetting/new/", form)["Location"])

    places = simultaneously([(vettings.department, posting), (vettings.department, posting)])
    vetting = Vetting.objects.get(cadre_name="陈志明")
    assert places == [f"/vetting/{vetting.pk}/"] * 2
    assert AuditEvent.objects.filter(action="vetting.opened").count() == 1


def test_a_reviewer_records_and_submits_then_the_department_decides(vettings: Vettings) -> None:
    vetting = vettings.open()
    reviewer = _client(vettings.grid_leader)
    url = f"/vetting/{vetting.pk}"
    reviewer.post(
        f"{url}/view/",
        {"version": 1, "giver_kind": "neighbour", "giver": "王阿姨", "said": "为人热心"},
    )
    findings = dict.fromkeys(["family_conduct", "neighbours", "law_abiding"], "良好")
    findings |= {"community_affairs": "较少", "conclusion": "satisfactory", "version": 1}
    reviewer.post(f"{url}/submit/", findings)
    vetting.refresh_from_db()
    assert vetting.status == Status.SUBMITTED
    assert reviewer.post(f"{url}/decide/", {"version": 2, "decision": "promote"}).status_code == 302
    assert Vetting.objects.get(pk=vetting.pk).status == Status.SUBMITTED  # not theirs to decide
    department = _client(vettings.department)
    department.post(f"{url}/decide/", {"version": 2, "decision": "promote"})
    stale = department.post(f"{url}/decide/", {"version": 2, "decision": "defer"}, follow=True)
    assert "刚刚" in stale.content.decode() or "just now" in stale.content.decode()
    assert Vetting.objects.get(pk=vetting.pk).decision == Decision.PROMOTE


def test_the_excel_leaves_out_who_gave_the_views(vettings: Vettings) -> None:
    vetting = _submitted(vettings)
    services.decide(vetting, vettings.department, decision=Decision.DEFER)
    vettings.open(cadre=services.Cadre("周未决", "科员", "科长"))  # still open: not exported
    client = _client(vettings.department)
    answer = client.get("/vetting/export/")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert "李建国" in cells and "周未决" not in cells
    assert "常为停车与邻居争吵" in cells  # what was said …
    assert not any("王阿姨" in c or "对门邻居" in c for c in cells)  # … not who said it
    assert _reads(vettings.department) == 1


def test_the_department_sees_its_figures(vettings: Vettings) -> None:
    vetting = _submitted(vettings)
    services.decide(vetting, vettings.department, decision=Decision.DEFER)
    page = _client(vettings.department).get("/vetting/").content.decode()
    assert 'id="figures-year"' in page


def test_every_vetting_page_reads_in_chinese(vettings: Vettings) -> None:
    from sanzhang.core.tests.test_chinese_pages import english_words

    vetting = _submitted(vettings)
    open_one = vettings.open(cadre=services.Cadre("周未决", "科员", "科长"))
    grid = vettings.county.grid_a.code
    pages = {
        vettings.department: [
            "/vetting/",
            "/vetting/new/",
            f"/vetting/new/?grid={grid}",
            f"/vetting/{vetting.pk}/",
            f"/vetting/{open_one.pk}/",
        ],
        vettings.grid_leader: ["/vetting/", f"/vetting/{vetting.pk}/", f"/vetting/{open_one.pk}/"],
    }
    names = {"orgdept", "gridleader", grid.lower(), "gc", "c01", "g01"}
    found = {}
    for user, paths in pages.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200
            words = english_words(response.content.decode(), names)
            if words:
                found[path] = words
    assert not found, found


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_decisions_posted_at_once_from_the_page_keep_one(vettings: Vettings) -> None:
    vetting = _submitted(vettings)
    colleague = User.objects.create_user(
        username="orgdept2", role=Role.ORG_DEPARTMENT, organisation=vettings.department.organisation
    )
    url = f"/vetting/{vetting.pk}/decide/"

    def deciding(decision: str):  # type: ignore[no-untyped-def]
        return lambda client: client.post(url, {"version": 2, "decision": decision}).status_code

    statuses = simultaneously(
        [(vettings.department, deciding("promote")), (colleague, deciding("defer"))]
    )
    assert statuses == [302, 302]  # each is sent back to the page, one told it came second
    assert AuditEvent.objects.filter(action="vetting.decided").count() == 1
    assert Vetting.objects.get(pk=vetting.pk).version == 3


def test_the_department_reassigns_from_the_page(vettings: Vettings, outsider) -> None:  # type: ignore[no-untyped-def]
    vetting = vettings.open()
    reviewer = vetting.reviewers.get(person=vettings.grid_leader.person)
    reviewer.ended_at = reviewer.assigned_at
    reviewer.save()  # as if left out at opening: reassigning brings the holder back
    page = f"/vetting/{vetting.pk}/"
    assert _client(vettings.grid_leader).get(page).status_code == 404
    assert _client(vettings.grid_leader).post(f"{page}reassign/").status_code == 404
    answer = _client(vettings.department).post(f"{page}reassign/", follow=True)
    assert "新增考察人 1 名" in answer.content.decode() or "added: 1" in answer.content.decode()
    assert _client(vettings.grid_leader).get(page).status_code == 200
