"""The party organisation's register: the tree by scope, members of a branch, the import."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import County, make_household, make_leader, make_staff
from sanzhang.core.errors import Invalid
from sanzhang.core.tables import ImportRefused
from sanzhang.party import services
from sanzhang.party.importing import import_organisations
from sanzhang.party.models import Membership, PartyOrganisation
from sanzhang.people.models import PartyMember, Person, Role, User
from sanzhang.posts.models import Post, PostKind

pytestmark = pytest.mark.django_db

Kind = PartyOrganisation.Kind
HEADER = "编号,上级编号,类别,名称,所在地编码,单位\n"


def csv_of(*rows: str) -> bytes:
    return ("\ufeff" + HEADER + "\n".join(rows) + "\n").encode()


def the_county_file(c: County) -> bytes:
    # Children before their parents on purpose: the file's order does not matter.
    return csv_of(
        f"ZB-A,GW-1,党支部,第一网格党支部,{c.grid_a.code},",
        f"ZB-B,GW-1,党支部,第二网格党支部,{c.grid_b.code},",
        f"XZ-A1,ZB-A,党小组,1栋党小组,{c.building_a1.code},",
        f"GW-1,DW-1,党工委,莲花社区党工委,{c.community.code},",
        f"DW-1,,党委,广昌县委,{c.county.code},",
        f"DW-X,DW-1,党委,旴江镇党委,{c.district.code},",
        f"ZB-V,DW-X,党支部,城东村党支部,{c.area.code},",
        f"XZ-V1,ZB-V,党小组,上屋组党小组,{c.rural_grid.code},",
    )


def within_everything(code: str) -> bool:
    return True


def party_member(c: County, name: str, door: str = "501") -> PartyMember:
    household = make_household(c.unit_a1_1, door, name=name)
    person = Person.objects.get(household=household)
    return PartyMember.objects.create(
        person=person, community=c.community, registered_on=datetime.date(2026, 3, 1)
    )


def test_import_builds_the_tree_with_secretaries_posts_and_a_second_run_changes_nothing(
    county: County, county_officer: User
) -> None:
    result = import_organisations(
        "party.csv", the_county_file(county), actor=county_officer, within=within_everything
    )
    assert (result.rows, result.created, result.updated) == (8, 8, 0)
    branch = PartyOrganisation.objects.get(ref="ZB-A")
    assert branch.parent.ref == "GW-1" and branch.place == county.grid_a
    assert PartyOrganisation.objects.get(ref="XZ-V1").parent.ref == "ZB-V"
    # Each branch has its secretary's post at its place; groups and committees have none.
    secretaries = Post.objects.filter(kind=PostKind.BRANCH_SECRETARY)
    assert sorted(p.place.code for p in secretaries) == sorted(
        [county.grid_a.code, county.grid_b.code, county.area.code]
    )
    again = import_organisations(
        "party.csv", the_county_file(county), actor=county_officer, within=within_everything
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert PartyOrganisation.objects.count() == 8
    assert AuditEvent.objects.filter(action="party.imported").count() == 2


def test_a_file_with_problems_is_refused_whole_with_each_problem_named(
    county: County, county_officer: User
) -> None:
    bad = csv_of(
        f"DW-1,,党委,广昌县委,{county.county.code},",
        f"XZ-1,,党小组,无主党小组,{county.building_a1.code},",  # a group needs a branch
        f"ZB-1,DW-9,党支部,某支部,{county.grid_a.code},",  # no such parent
        "ZB-2,DW-1,党支部,某支部,NOWHERE,",  # no such place
        f"ZB-3,DW-1,团支部,某支部,{county.grid_a.code},",  # no such kind
        f"DW-1,,党委,重复,{county.county.code},",  # the same reference twice
    )
    with pytest.raises(ImportRefused) as refused:
        import_organisations("party.csv", bad, actor=county_officer, within=within_everything)
    rows = sorted((p.row, p.column) for p in refused.value.problems)
    assert rows == [
        (3, "kind"),
        (4, "parent_ref"),
        (5, "place_code"),
        (6, "kind"),
        (7, "ref"),
    ]
    assert PartyOrganisation.objects.count() == 0


def test_a_branch_must_lie_within_its_parent_and_staff_import_only_their_area(
    county: County, community_staff: User
) -> None:
    from sanzhang.access.scope import in_scope

    PartyOrganisation.objects.create(
        kind=Kind.WORKING_COMMITTEE, name="莲花社区党工委", place=county.community, ref="GW-1"
    )
    outside = csv_of(f"ZB-V,GW-1,党支部,城东村党支部,{county.area.code},")
    with pytest.raises(ImportRefused) as refused:
        import_organisations(
            "p.csv",
            outside,
            actor=community_staff,
            within=lambda code: in_scope(community_staff, code),
        )
    assert [p.column for p in refused.value.problems] == ["place_code"]


def test_the_tree_shows_each_user_their_own_part(
    county: County, county_officer: User, community_staff: User
) -> None:
    import_organisations(
        "party.csv", the_county_file(county), actor=county_officer, within=within_everything
    )
    office_roots = services.tree(county_officer)
    assert [n.organisation.ref for n in office_roots] == ["DW-1"]
    # The community's staff see from their working committee down; the village is not theirs.
    staff_roots = services.tree(community_staff)
    assert [n.organisation.ref for n in staff_roots] == ["GW-1"]
    refs = {n.organisation.ref for n in staff_roots[0].children}
    assert refs == {"ZB-A", "ZB-B"}
    # A grid leader sees their grid's branch and groups only.
    leader = make_leader(county.grid_b, PostKind.GRID_LEADER, "grid-b")
    assert [n.organisation.ref for n in services.tree(leader)] == ["ZB-B"]


def test_a_member_belongs_to_one_branch_and_joining_another_moves_them(
    county: County, community_staff: User, county_officer: User
) -> None:
    import_organisations(
        "party.csv", the_county_file(county), actor=county_officer, within=within_everything
    )
    member = party_member(county, "刘建国")
    branch_a = PartyOrganisation.objects.get(ref="ZB-A")
    branch_b = PartyOrganisation.objects.get(ref="ZB-B")
    services.assign_member(community_staff, branch_a, member)
    services.assign_member(community_staff, branch_b, member)
    assert Membership.objects.get(member=member).organisation == branch_b
    # The village's branch is not where this member registered, nor the staff's area.
    village = PartyOrganisation.objects.get(ref="ZB-V")
    with pytest.raises(Invalid):
        services.assign_member(community_staff, village, member)
    with pytest.raises(Invalid):
        services.assign_member(county_officer, village, member)
    # A committee holds branches, not members.
    with pytest.raises(Invalid):
        services.assign_member(county_officer, PartyOrganisation.objects.get(ref="GW-1"), member)


def test_pages_answer_in_scope_and_404_outside(
    county: County, community_staff: User, county_officer: User
) -> None:
    import_organisations(
        "party.csv", the_county_file(county), actor=county_officer, within=within_everything
    )
    member = party_member(county, "刘建国")
    branch_a = PartyOrganisation.objects.get(ref="ZB-A")
    village = PartyOrganisation.objects.get(ref="ZB-V")
    client = Client()
    client.force_login(community_staff)
    page = client.get(f"/party/{branch_a.pk}/")
    assert page.status_code == 200 and "刘建国" in page.content.decode()
    assert client.get(f"/party/{village.pk}/").status_code == 404
    answer = client.post(f"/party/{branch_a.pk}/members/", {"member": member.pk})
    assert answer.status_code == 302
    assert Membership.objects.get(member=member).organisation == branch_a
    page = client.get(f"/party/{branch_a.pk}/")
    assert "1 名党员" in page.content.decode() or "1 member" in page.content.decode()
    # A grid B leader sees neither grid A's branch nor may change members.
    leader = make_leader(county.grid_b, PostKind.GRID_LEADER, "grid-b")
    other = Client()
    other.force_login(leader)
    assert other.get(f"/party/{branch_a.pk}/").status_code == 404
    assert other.post(f"/party/{branch_a.pk}/members/", {"member": member.pk}).status_code == 404
    # A resident has no party pages.
    resident = User.objects.create_user("res", password="x-Long-enough-9", role=Role.RESIDENT)
    third = Client()
    third.force_login(resident)
    assert third.get("/party/").status_code == 404
    # The export names the organisations the user sees, not the village.
    export = client.get("/party/export.xlsx")
    assert export.status_code == 200 and export["Cache-Control"] == "no-store"


def test_the_organisation_department_sees_the_county(county: County) -> None:
    orgdept = make_staff("orgdept", Role.ORG_DEPARTMENT, county.county, "department")
    PartyOrganisation.objects.create(kind=Kind.COMMITTEE, name="广昌县委", place=county.county)
    assert [n.organisation.name for n in services.tree(orgdept)] == ["广昌县委"]


def test_the_api_lists_and_shows_organisations_in_scope(
    county: County, county_officer: User, community_staff: User
) -> None:
    import_organisations(
        "party.csv", the_county_file(county), actor=county_officer, within=within_everything
    )
    member = party_member(county, "刘建国")
    branch_a = PartyOrganisation.objects.get(ref="ZB-A")
    services.assign_member(community_staff, branch_a, member)
    leader = make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-a", name="张卫东")
    from sanzhang.posts.services import appoint

    appoint(
        Post.objects.get(kind=PostKind.BRANCH_SECRETARY, place=county.grid_a),
        leader.person,
        start=datetime.date(2026, 1, 1),
    )
    client = Client()
    client.force_login(community_staff)
    listed = client.get("/api/v1/party/organisations?kind=branch").json()
    assert sorted(o["ref"] for o in listed["items"]) == ["ZB-A", "ZB-B"]
    one = client.get(f"/api/v1/party/organisations/{branch_a.pk}").json()
    assert (one["member_count"], one["secretary"], one["place_code"]) == (
        1,
        "张卫东",
        county.grid_a.code,
    )
    village = PartyOrganisation.objects.get(ref="ZB-V")
    assert client.get(f"/api/v1/party/organisations/{village.pk}").status_code == 404
    resident = User.objects.create_user("res", password="x-Long-enough-9", role=Role.RESIDENT)
    client.force_login(resident)
    assert client.get("/api/v1/party/organisations").status_code == 403


def test_names_taken_at_a_place_and_children_that_would_not_fit_are_problems_not_500s(
    county: County, county_officer: User
) -> None:
    import_organisations(
        "party.csv", the_county_file(county), actor=county_officer, within=within_everything
    )
    PartyOrganisation.objects.create(
        kind=Kind.BRANCH, name="机关支部", place=county.grid_b, parent=None
    )
    bad = csv_of(
        f"ZB-N1,GW-1,党支部,新支部,{county.grid_a.code},",
        f"ZB-N2,GW-1,党支部,新支部,{county.grid_a.code},",  # the same name twice in the file
        f"ZB-N3,GW-1,党支部,机关支部,{county.grid_b.code},",  # taken by one without a ref
        # Grid A's branch made a group: its own group (1栋党小组) would no longer fit under it.
        f"ZB-A,ZB-B,党小组,第一网格党支部,{county.grid_a.code},",
    )
    with pytest.raises(ImportRefused) as refused:
        import_organisations("party.csv", bad, actor=county_officer, within=within_everything)
    found = sorted((p.row, p.column) for p in refused.value.problems)
    assert (3, "name") in found and (4, "name") in found
    assert (5, "kind") in found or (5, "parent_ref") in found
    assert PartyOrganisation.objects.filter(name="新支部").count() == 0


def test_a_member_is_never_placed_in_a_branch_above_their_community(
    county: County, county_officer: User
) -> None:
    PartyOrganisation.objects.create(
        kind=Kind.BRANCH, name="县委机关支部", place=county.county, work_unit="县委"
    )
    member = party_member(county, "王建军")
    assert services.join_home_branch(member) is None
    assert not Membership.objects.exists()
