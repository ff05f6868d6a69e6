import datetime
import subprocess

import pytest
from django.db import IntegrityError
from django.test import Client

from sanzhang.conftest import County
from sanzhang.people.models import Person
from sanzhang.posts.models import PostKind, Tenure
from sanzhang.posts.services import PostError, appoint, end_tenure, open_post


def test_appointing_a_new_holder_ends_the_previous_tenure(county: County):
    post = open_post(county.unit_a1_1, PostKind.UNIT_LEADER)
    first = appoint(post, Person.objects.create(name="李明"), start=datetime.date(2024, 1, 1))
    second = appoint(post, Person.objects.create(name="张华"), start=datetime.date(2025, 3, 1))
    first.refresh_from_db()
    assert first.ended_on == datetime.date(2025, 3, 1)
    assert list(post.tenures.current()) == [second]
    assert post.tenures.count() == 2


def test_a_reserve_holder_serves_beside_the_holder(county: County):
    post = open_post(county.unit_a1_1, PostKind.UNIT_LEADER)
    appoint(post, Person.objects.create(name="李明"))
    appoint(post, Person.objects.create(name="王芳"), role=Tenure.Role.RESERVE)
    assert post.tenures.current().count() == 2


def test_the_database_refuses_two_current_holders_of_one_post(county: County):
    post = open_post(county.unit_a1_1, PostKind.UNIT_LEADER)
    Tenure.objects.create(
        post=post, person=Person.objects.create(name="甲"), started_on=datetime.date(2025, 1, 1)
    )
    with pytest.raises(IntegrityError):
        Tenure.objects.create(
            post=post, person=Person.objects.create(name="乙"), started_on=datetime.date(2025, 1, 1)
        )


def test_a_post_belongs_only_at_its_kind_of_place(county: County):
    with pytest.raises(PostError):
        open_post(county.building_a1, PostKind.UNIT_LEADER)


def test_a_new_post_starts_with_its_duty_list(county: County):
    assert "1." in open_post(county.grid_a, PostKind.GRID_LEADER).duties


def test_a_tenure_cannot_end_before_it_started(county: County):
    post = open_post(county.unit_a1_1, PostKind.UNIT_LEADER)
    tenure = appoint(post, Person.objects.create(name="李明"), start=datetime.date(2025, 1, 1))
    with pytest.raises(PostError):
        end_tenure(tenure, end=datetime.date(2024, 1, 1))


def test_noticeboard_is_public_and_lists_the_chain_of_leaders(county, unit_leader, colleague):
    appoint(
        open_post(county.building_a1, PostKind.BUILDING_LEADER),
        Person.objects.create(name="楼栋长老赵", phone="13700002222"),
    )
    body = Client().get(f"/board/{county.unit_a1_1.code}/").content.decode()
    assert "unit-leader" in body and "楼栋长老赵" in body and "13700002222" in body
    assert "colleague" not in body  # building 2's leader is not this unit's


def test_noticeboard_follows_a_printed_old_code_after_a_move(county):
    from sanzhang.places.services import move_place

    old = county.unit_a2_1.code
    move_place(county.building_a2, county.grid_b)
    response = Client().get(f"/board/{old}/")
    assert response.status_code == 302
    assert response["Location"].endswith("/board/GC.C01.G02.B02.U1/")


def test_noticeboard_of_an_unknown_code_is_404(county):
    assert Client().get("/board/GC.X99/").status_code == 404


def test_work_card_pdf_carries_the_holders_name_and_post(county, unit_leader, tmp_path):
    tenure = Tenure.objects.get(person=unit_leader.person)
    client = Client()
    client.force_login(unit_leader)
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(client.get(f"/posts/tenure/{tenure.pk}/card.pdf").content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "unit-leader" in text
    assert "工作证" in text
    assert county.unit_a1_1.code in text


def test_holder_list_filters_by_place_and_kind_within_scope(county, community_staff, unit_leader):
    appoint(open_post(county.grid_b, PostKind.GRID_LEADER), Person.objects.create(name="二网格长"))
    appoint(open_post(county.area, PostKind.AREA_LEADER), Person.objects.create(name="村书记"))
    client = Client()
    client.force_login(community_staff)
    body = client.get("/posts/", {"under": "gc.c01.g01"}).content.decode()
    assert "unit-leader" in body and "二网格长" not in body and "村书记" not in body
    body = client.get("/posts/", {"kind": "grid_leader"}).content.decode()
    assert "二网格长" in body and "unit-leader" not in body
    assert "村书记" not in client.get("/posts/").content.decode()  # outside the community
