"""Volunteer riders: registered under a leader, reporting on their rounds through their own
channel, joining tasks (the last place goes to one rider only), and their service hours."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from sanzhang.conftest import (
    build_county,
    make_household,
    make_staff,
    needs_real_concurrency,
    simultaneously,
)
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.issues.intake import submit
from sanzhang.people.models import Person, Role, User
from sanzhang.posts.models import Post
from sanzhang.volunteers import services
from sanzhang.volunteers.models import Signup, Task


def rider(county, staff, n: int, kind: str = "food_delivery") -> User:  # type: ignore[no-untyped-def]
    household = make_household(county.unit_a1_1, f"{500 + n}")
    person = Person.objects.create(name=f"骑手{n}", household=household)
    services.register(
        staff,
        person=person,
        kind=kind,
        company="美团",
        place=county.community,
        leader_post=Post.objects.get(place=county.unit_a1_1),
    )
    return User.objects.create_user(username=f"rider{n}", role=Role.RESIDENT, person=person)


def a_task(county, staff, slots: int) -> Task:  # type: ignore[no-untyped-def]
    return services.post_task(
        staff,
        place=county.community,
        title="为独居老人送菜",
        description="每周六上午",
        slots=slots,
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )


@pytest.mark.django_db
def test_riders_report_on_their_rounds_join_tasks_and_earn_hours(
    county, unit_leader, community_staff, county_officer
) -> None:
    one = rider(county, community_staff, 1)
    issue = submit(one, place=county.grid_b, text="路口井盖松动", channel="volunteer").issue
    assert issue.channel == "volunteer"
    neighbour = User.objects.create_user(username="plain", role=Role.RESIDENT)
    with pytest.raises(NotAllowed):
        submit(neighbour, place=county.grid_b, text="路口井盖松动", channel="volunteer")
    task = a_task(county, community_staff, slots=1)
    services.join(one, task)
    with pytest.raises(Conflict):
        services.join(one, task)
    two = rider(county, community_staff, 2, kind="courier")
    with pytest.raises(Conflict, match="已满"):
        services.join(two, task)
    signup = Signup.objects.get()
    services.record_hours(community_staff, signup, "2.5")
    with pytest.raises(Invalid):
        services.record_hours(community_staff, signup, "30")
    with pytest.raises(NotAllowed):
        services.record_hours(unit_leader, signup, "1")
    assert services.hours_of(signup.volunteer) == Decimal("2.5")
    with pytest.raises(Conflict):  # registered once
        services.register(
            community_staff,
            person=one.person,
            kind="courier",
            company="",
            place=county.community,
            leader_post=Post.objects.get(place=county.unit_a1_1),
        )


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_the_last_place_of_a_task_goes_to_one_rider() -> None:
    from sanzhang.conftest import make_leader
    from sanzhang.posts.models import PostKind

    county = build_county()
    make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit-leader")
    staff = make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")
    riders = [rider(county, staff, n) for n in range(4)]
    task = a_task(county, staff, slots=1)

    def join(client: Client) -> int:
        return client.post(f"/volunteers/tasks/{task.pk}/join/").status_code

    statuses = simultaneously([(r, join) for r in riders])
    assert statuses == [302] * 4
    task.refresh_from_db()
    assert task.taken == 1 and Signup.objects.filter(task=task).count() == 1


@pytest.mark.django_db
def test_pages(client, county, unit_leader, community_staff) -> None:
    one = rider(county, community_staff, 1)
    task = a_task(county, community_staff, slots=3)
    client.force_login(one)
    page = client.get("/volunteers/tasks/").content.decode()
    assert "为独居老人送菜" in page and "报名" in page
    client.post(f"/volunteers/tasks/{task.pk}/join/")
    assert "已报名" in client.get("/volunteers/tasks/").content.decode()
    assert "红骑兵" in client.get("/r/").content.decode()
    client.force_login(community_staff)
    signup = Signup.objects.get()
    client.post(f"/volunteers/tasks/{task.pk}/", {"signup": signup.pk, "hours": "1.5"})
    client.force_login(one)
    assert client.get("/volunteers/me/").content.decode().count("1.5") >= 1
    client.force_login(community_staff)
    sheet = load_workbook(io.BytesIO(client.get("/volunteers/?format=xlsx").content)).worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["姓名", "类型"] and sheet["F2"].value == 1.5


@pytest.mark.django_db
def test_the_demo_county_has_riders_with_tasks_and_hours() -> None:
    from sanzhang.demo.loader import load_demo
    from sanzhang.volunteers.models import Volunteer

    load_demo(scale=0.05)
    riders = Volunteer.objects.count()
    assert riders >= 1 and Signup.objects.filter(hours__isnull=False).exists()
    assert all(v.leader_post.place.code.startswith(v.place.code) for v in Volunteer.objects.all())


@pytest.mark.django_db
def test_a_rider_may_claim_micro_wishes_near_them(county, unit_leader, community_staff) -> None:
    from sanzhang.wishes.access import home_codes, may_claim

    one = rider(county, community_staff, 1)
    plain = User.objects.create_user(
        username="plain", role=Role.RESIDENT, person=Person.objects.create(name="张三")
    )
    assert may_claim(one) and not may_claim(plain)
    assert home_codes(one) == [county.community.code]


@pytest.mark.django_db
def test_staff_register_only_people_of_their_own_area(
    client, county, unit_leader, community_staff
) -> None:
    villager = Person.objects.create(
        name="陈志强", household=make_household(county.rural_grid, "1")
    )
    client.force_login(community_staff)
    response = client.post(
        "/volunteers/",
        {
            "person": villager.pk,
            "kind": "courier",
            "place": county.community.code,
            "leader_post": Post.objects.get(place=county.unit_a1_1).pk,
        },
    )
    assert response.status_code == 200 and "陈志强" not in response.content.decode()
    assert not villager.__class__.objects.filter(volunteer__isnull=False).exists()
    bad = client.post(
        f"/volunteers/tasks/{a_task(county, community_staff, 2).pk}/", {"signup": "²", "hours": "1"}
    )
    assert bad.status_code == 404


@pytest.mark.django_db
def test_a_task_with_a_mangled_time_or_number_is_refused_by_the_form(
    client, county, unit_leader, community_staff
) -> None:
    client.force_login(community_staff)
    task = {"place": county.community.code, "title": "送菜", "starts_at": "2026-05-01T09:00"}
    for bad in [{"slots": "abc"}, {"slots": "3", "starts_at": "soon"}, {"starts_at": ""}]:
        page = client.post("/volunteers/tasks/", {**task, **bad})
        assert page.status_code == 200 and "请填写时间和需要人数" in page.content.decode()
    unknown = client.post("/volunteers/tasks/", {**task, "place": "GC.X99", "slots": "abc"})
    assert "没有该编码的地点" in unknown.content.decode()
    assert not Task.objects.exists()
    assert client.post("/volunteers/tasks/", {**task, "slots": "3"}).status_code == 302
    posted = Task.objects.get()
    assert posted.slots == 3 and timezone.is_aware(posted.starts_at)
    assert timezone.localtime(posted.starts_at).hour == 9
