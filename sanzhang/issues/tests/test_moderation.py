"""Moderation: the county office hides a public report's words or a photo from every public
place, with a reason on the timeline; staff still see everything; nobody else may hide."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sanzhang.audit.models import AuditEvent
from sanzhang.issues.intake import submit
from sanzhang.issues.models import IssueEvent, IssuePhoto

from .test_api import jpeg

pytestmark = pytest.mark.django_db


def photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg().getvalue(), content_type="image/jpeg")


@pytest.fixture
def public_report(loop, resident):  # type: ignore[no-untyped-def]
    return submit(
        resident,
        place=loop.unit_a1_1,
        text="楼道灯坏了，张三 13912345678 天天喝酒闹事",
        public_consent=True,
        photos=[photo("a.jpg"), photo("b.jpg")],
    ).issue


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_office_hides_the_words_with_a_reason(loop, public_report, county_officer):
    board = f"/board/{loop.grid_a.code}/issues/"
    assert "13912345678" in Client().get(board).content.decode()
    office = signed_in(county_officer)
    page = office.get(f"/issues/{public_report.number}/").content.decode()
    assert "Hide from the public page" in page or "不在公示页显示" in page

    answer = office.post(f"/issues/{public_report.number}/hide/", {"reason": "含他人姓名和电话"})
    assert answer.status_code == 302

    shown = Client().get(board).content.decode()
    assert "13912345678" not in shown and "张三" not in shown
    assert "已由县办隐藏" in shown  # the board says why the words are missing
    event = public_report.events.get(kind=IssueEvent.Kind.MODERATED)
    assert (event.actor, event.note, event.data) == (
        county_officer,
        "含他人姓名和电话",
        {"hidden": "words"},
    )
    assert AuditEvent.objects.filter(action="issue.moderated").count() == 1
    # Staff working on it still read the words; the office's page says they are hidden.
    staff_page = office.get(f"/issues/{public_report.number}/").content.decode()
    assert "13912345678" in staff_page and "含他人姓名和电话" in staff_page
    # Hiding twice is refused, not repeated.
    office.post(f"/issues/{public_report.number}/hide/", {"reason": "再次"})
    assert public_report.events.filter(kind=IssueEvent.Kind.MODERATED).count() == 1


def test_the_reporter_sees_it_was_hidden_and_why(loop, public_report, resident, county_officer):
    signed_in(county_officer).post(
        f"/issues/{public_report.number}/hide/", {"reason": "含他人姓名和电话"}
    )
    detail = signed_in(resident).get(f"/api/issues/{public_report.number}").json()
    moderated = [e for e in detail["events"] if e["kind"] == "moderated"]
    assert len(moderated) == 1 and moderated[0]["note"] == "含他人姓名和电话"


def test_a_hidden_report_is_no_longer_offered_to_neighbours(
    loop, public_report, county_officer, unit_leader
):
    from sanzhang.conftest import make_household
    from sanzhang.people.models import Person, Role, User

    home = make_household(loop.unit_a1_2, "402", name="赵敏")
    neighbour = signed_in(
        User.objects.create_user(
            "zhao", role=Role.RESIDENT, person=Person.objects.get(household=home)
        )
    )
    similar = "/r/similar/?text=楼道灯坏了没人修&place="
    assert public_report.number in neighbour.get(similar, HTTP_HX_REQUEST="true").content.decode()
    signed_in(county_officer).post(f"/issues/{public_report.number}/hide/", {"reason": "隐私"})
    assert (
        public_report.number not in neighbour.get(similar, HTTP_HX_REQUEST="true").content.decode()
    )
    follow = neighbour.post(f"/api/issues/{public_report.number}/follow")
    assert follow.status_code == 404


def test_the_office_hides_one_photo(loop, public_report, county_officer):
    first, second = IssuePhoto.objects.filter(issue=public_report).order_by("pk")
    url = f"/board/{loop.grid_a.code}/issues/photos/%d/"
    assert Client().get(url % first.pk).status_code == 200
    office = signed_in(county_officer)
    office.post(f"/issues/{public_report.number}/hide/", {"photo": first.pk, "reason": "拍到人脸"})
    assert Client().get(url % first.pk).status_code == 404
    assert Client().get(url % second.pk).status_code == 200
    board = Client().get(f"/board/{loop.grid_a.code}/issues/").content.decode()
    assert (url % first.pk) not in board and (url % second.pk) in board
    assert "13912345678" in board  # the words stay
    # Staff still open the photo.
    assert office.get(f"/issues/{public_report.number}/photos/{first.pk}/").status_code == 200
    event = public_report.events.get(kind=IssueEvent.Kind.MODERATED)
    assert event.data == {"hidden": "photo", "photo": first.pk}


def test_only_the_county_office_hides_and_only_with_a_reason(
    loop, public_report, grid_leader, county_officer
):
    leader = signed_in(grid_leader)
    assert "/hide/" not in leader.get(f"/issues/{public_report.number}/").content.decode()
    leader.post(f"/issues/{public_report.number}/hide/", {"reason": "我觉得不妥"})
    office = signed_in(county_officer)
    office.post(f"/issues/{public_report.number}/hide/", {"reason": "   "})
    office.post(f"/issues/{public_report.number}/hide/", {"photo": "999999", "reason": "x"})
    public_report.refresh_from_db()
    assert not public_report.public_words_hidden
    assert not public_report.events.filter(kind=IssueEvent.Kind.MODERATED).exists()
    assert not IssuePhoto.objects.filter(hidden_from_public=True).exists()


def test_a_photo_whose_file_is_gone_answers_404_not_500(loop, public_report, county_officer):
    """Media restored apart from the database leaves rows without files."""
    first = IssuePhoto.objects.filter(issue=public_report).order_by("pk").first()
    first.image.storage.delete(first.image.name)
    office = signed_in(county_officer)
    office.raise_request_exception = False
    assert office.get(f"/issues/{public_report.number}/photos/{first.pk}/").status_code == 404
    public = Client(raise_request_exception=False)
    assert public.get(f"/board/{loop.grid_a.code}/issues/photos/{first.pk}/").status_code == 404


def test_a_follower_no_longer_sees_what_was_hidden(loop, public_report, county_officer, resident):
    from sanzhang.conftest import make_household
    from sanzhang.issues.models import IssueFollower
    from sanzhang.people.models import Person, Role, User

    home = make_household(loop.unit_a1_2, "402", name="赵敏")
    follower = User.objects.create_user(
        "zhao", role=Role.RESIDENT, person=Person.objects.get(household=home)
    )
    IssueFollower.objects.create(issue=public_report, user=follower)
    first = IssuePhoto.objects.filter(issue=public_report).order_by("pk").first()
    office = signed_in(county_officer)
    office.post(f"/issues/{public_report.number}/hide/", {"reason": "含他人电话"})
    office.post(f"/issues/{public_report.number}/hide/", {"photo": first.pk, "reason": "人脸"})
    neighbour = signed_in(follower)
    page = neighbour.get(f"/r/{public_report.number}/").content.decode()
    assert "13912345678" not in page and f"/photos/{first.pk}/" not in page
    detail = neighbour.get(f"/api/issues/{public_report.number}").json()
    assert detail["text"] == "" and len(detail["photos"]) == 1
    hidden = neighbour.get(f"/issues/{public_report.number}/photos/{first.pk}/")
    assert hidden.status_code == 404
    # The reporter still sees all of their own report.
    own = signed_in(resident).get(f"/api/issues/{public_report.number}").json()
    assert "13912345678" in own["text"] and len(own["photos"]) == 2
