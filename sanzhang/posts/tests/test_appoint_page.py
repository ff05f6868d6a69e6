from django.test import Client

from sanzhang.conftest import County
from sanzhang.people.models import Person
from sanzhang.posts.models import Tenure


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def appoint_data(**overrides) -> dict:
    data = {
        "kind": "building_leader",
        "role": "holder",
        "name": "刘建国",
        "phone": "13600003333",
        "start": "2026-03-01",
    }
    return {**data, **overrides}


def appoint_despite(client: Client, url: str, data: dict):  # type: ignore[no-untyped-def]
    """Send the form, see the concerns, tick "appoint despite them" and send again."""
    first = client.post(url, data)
    if first.status_code != 200:
        return first
    seen = first.context["form"].data.get("concerns_seen", "")
    return client.post(url, {**data, "despite_concerns": "on", "concerns_seen": seen})


def test_community_staff_appoint_a_new_person_as_building_leader(county: County, community_staff):
    url = f"/posts/appoint/{county.building_a1.code}/"
    response = appoint_despite(logged_in(community_staff), url, appoint_data())
    assert response.status_code == 302
    tenure = Tenure.objects.current().get(post__place=county.building_a1)
    assert (tenure.person.name, tenure.person.phone) == ("刘建国", "13600003333")


def test_appointing_again_rotates_and_keeps_the_history(county: County, community_staff):
    client = logged_in(community_staff)
    url = f"/posts/appoint/{county.building_a1.code}/"
    appoint_despite(client, url, appoint_data())
    appoint_despite(client, url, appoint_data(name="陈红", phone="13600004444", start="2026-06-01"))
    tenures = Tenure.objects.filter(post__place=county.building_a1).order_by("started_on")
    assert [(t.person.name, str(t.ended_on)) for t in tenures] == [
        ("刘建国", "2026-06-01"),
        ("陈红", "None"),
    ]


def test_a_known_phone_reuses_the_person_and_a_different_name_is_refused(
    county: County, community_staff
):
    Person.objects.create(name="刘建国", phone="13600003333")
    client = logged_in(community_staff)
    response = client.post(f"/posts/appoint/{county.building_a1.code}/", appoint_data(name="别人"))
    assert "该手机号属于另一位姓名不同的人员" in response.content.decode()
    appoint_despite(client, f"/posts/appoint/{county.building_a1.code}/", appoint_data())
    assert Person.objects.filter(name="刘建国").count() == 1


def test_a_bad_phone_number_is_refused_in_chinese(county: County, community_staff):
    response = logged_in(community_staff).post(
        f"/posts/appoint/{county.building_a1.code}/", appoint_data(phone="12345")
    )
    assert "请输入11位手机号" in response.content.decode()
    assert not Tenure.objects.exists()


def test_standing_down_ends_the_tenure_with_a_reason(county: County, community_staff, unit_leader):
    tenure = Tenure.objects.get(person=unit_leader.person)
    logged_in(community_staff).post(f"/posts/tenure/{tenure.pk}/stand-down/", {"reason": "调动"})
    tenure.refresh_from_db()
    assert tenure.ended_on is not None and tenure.end_reason == "调动"


def test_leaders_cannot_appoint(county: County, unit_leader):
    client = logged_in(unit_leader)
    response = client.post(f"/posts/appoint/{county.unit_a1_1.code}/", appoint_data())
    assert response.status_code == 404


def test_the_page_warns_before_appointing_someone_who_does_not_live_there_or_is_no_member(
    county: County, community_staff
):
    import datetime

    from sanzhang.conftest import make_household
    from sanzhang.people.models import PartyMember

    client = logged_in(community_staff)
    url = f"/posts/appoint/{county.building_a1.code}/"
    response = client.post(url, appoint_data())
    page = response.content.decode()
    assert response.status_code == 200
    assert "名册中没有刘建国住在1栋的记录" in page and "不是已到社区报到的在职党员" in page
    assert not Tenure.objects.exists() and not Person.objects.filter(name="刘建国").exists()

    elsewhere = make_household(county.unit_b1_1, "302", name="王丽").members.get()
    elsewhere.phone = "13600005555"
    elsewhere.save()
    wang = appoint_data(name="王丽", phone="13600005555")
    page = client.post(url, wang).content.decode()
    assert "王丽住在1单元，不在1栋" in page
    # A box ticked under another person's concerns does not appoint this one
    ticked = client.post(url, {**wang, "despite_concerns": "on", "concerns_seen": "other"})
    assert ticked.status_code == 200 and not Tenure.objects.exists()

    member = make_household(county.unit_a1_1, "402", name="赵敏").members.get()
    member.phone = "13600006666"
    member.save()
    PartyMember.objects.create(
        person=member, community=county.community, registered_on=datetime.date(2026, 1, 1)
    )
    fit = client.post(url, appoint_data(name="赵敏", phone="13600006666"))
    assert fit.status_code == 302  # lives in the building, a registered member: no question
    assert Tenure.objects.current().get(post__place=county.building_a1).person == member


def test_of_someone_outside_their_area_staff_learn_only_that_they_do_not_live_here(
    county: County, community_staff
):
    import datetime

    from sanzhang.conftest import build_county, make_household
    from sanzhang.people.models import PartyMember

    other = build_county("NF", "南丰县")
    far = make_household(other.unit_a1_1, "101", name="孙强").members.get()
    far.phone = "13600007777"
    far.save()
    PartyMember.objects.create(
        person=far, community=other.community, registered_on=datetime.date(2026, 1, 1)
    )
    page = (
        logged_in(community_staff)
        .post(
            f"/posts/appoint/{county.building_a1.code}/",
            appoint_data(name="孙强", phone="13600007777"),
        )
        .content.decode()
    )
    assert "名册中没有孙强住在1栋的记录" in page
    shown = page.split('id="concerns"')[1].split("<ul>")[1].split("</ul>")[0]
    assert shown == "<li>名册中没有孙强住在1栋的记录。</li>"  # not where, not whether a member
