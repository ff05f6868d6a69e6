"""Opening a vetting, its reviewers, views, findings and the once-only decision."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.test import Client

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import make_household, make_leader, needs_real_concurrency, simultaneously
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.party.models import PartyOrganisation
from sanzhang.people.models import Person, Role, User
from sanzhang.posts.models import Post, PostKind, Tenure
from sanzhang.posts.services import appoint, end_tenure
from sanzhang.vetting import services
from sanzhang.vetting.models import Conclusion, Decision, Status, Vetting

from .conftest import Vettings, make_branch

FINDINGS = {
    "family_conduct": "家庭和睦",
    "neighbours": "与邻居有过争执",
    "law_abiding": "未见违法",
    "community_affairs": "很少参加社区活动",
}


def _submitted(vettings: Vettings, conclusion: str = Conclusion.NOT_SATISFACTORY) -> Vetting:
    vetting = vettings.open()
    services.record_view(
        vetting,
        vettings.grid_leader,
        giver_kind="neighbour",
        giver="王阿姨",
        relationship="对门邻居",
        said="常为停车与邻居争吵",
    )
    services.submit_findings(
        vetting,
        vettings.grid_leader,
        findings=FINDINGS,
        conclusion=conclusion,
        reasons="邻里关系紧张",
    )
    return vetting


def test_opening_assigns_the_branch_secretary_and_the_grid_leader(vettings: Vettings) -> None:
    vetting = vettings.open()
    assert vetting.status == Status.OPEN
    assert list(vetting.branches.all()) == [vettings.branch]  # the household's grid's branch
    people = {r.person_id for r in vetting.reviewers.all()}
    assert people == {vettings.secretary.person_id, vettings.grid_leader.person_id}
    assert vetting.cadre_person == vettings.household.members.get()  # found by name
    assert AuditEvent.objects.filter(action="vetting.opened").count() == 1


def test_the_reviewers_are_told_in_their_inbox_and_the_notice_names_no_one(
    vettings: Vettings,
) -> None:
    from sanzhang.notifications.models import Delivery, Notification

    vetting = vettings.open()
    told = Notification.objects.filter(subject__startswith=f"vetting:{vetting.pk}:")
    assert all(len(n.subject) <= 60 for n in told)
    assert set(told.values_list("recipient_id", flat=True)) == {
        vettings.secretary.pk,
        vettings.grid_leader.pk,
    }
    for notice in told:
        assert notice.link == f"/vetting/{vetting.pk}/"
        assert vetting.cadre_name not in notice.text
    assert not Delivery.objects.exists()  # no group chat, no SMS: it is confidential


def test_a_reviewer_whose_account_may_not_review_is_not_told(vettings: Vettings) -> None:
    from sanzhang.notifications.models import Notification

    # The grid leader signed up as a resident only: that account may not open a vetting.
    User.objects.filter(pk=vettings.grid_leader.pk).update(role=Role.RESIDENT)
    vetting = vettings.open()
    told = Notification.objects.filter(subject__startswith=f"vetting:{vetting.pk}:")
    assert set(told.values_list("recipient_id", flat=True)) == {vettings.secretary.pk}


def test_the_cadre_is_never_a_reviewer_of_their_own_vetting(vettings: Vettings) -> None:
    """The cadre leads the grid they live in: they are left out of the reviewers."""
    cadre = vettings.household.members.get()
    tenure = Tenure.objects.get(person=vettings.grid_leader.person)
    end_tenure(tenure, end=datetime.date(2025, 6, 1), reason="轮岗")
    appoint(tenure.post, cadre, start=datetime.date(2025, 6, 1))
    vetting = vettings.open()
    assert {r.person_id for r in vetting.reviewers.all()} == {vettings.secretary.person_id}


def test_only_the_organisation_department_opens(vettings: Vettings, county_officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAllowed):
        services.open_vetting(
            county_officer,
            cadre=services.Cadre("李建国", "副局长", "局长"),
            households=[vettings.household],
            branches=None,
            deadline=datetime.date.today(),
        )


def test_a_household_of_another_county_is_refused(vettings: Vettings) -> None:
    from sanzhang.conftest import build_county

    elsewhere = build_county("NF", "南丰县")
    with pytest.raises(Invalid):
        vettings.open(households=[make_household(elsewhere.unit_a1_1)])


def test_a_grid_with_no_branch_needs_one_chosen(vettings: Vettings) -> None:
    household = make_household(vettings.county.unit_b1_1, "202")
    with pytest.raises(Invalid):
        vettings.open(households=[household])
    branch_b = make_branch(vettings.county.grid_b, "第二网格党支部")
    make_leader(vettings.county.grid_b, PostKind.GRID_LEADER, "leader-b")
    vetting = vettings.open(households=[household], branches=[branch_b])
    assert vetting.reviewers.count() == 1  # grid B's leader; the branch has no secretary


def test_a_past_deadline_is_refused(vettings: Vettings) -> None:
    with pytest.raises(Invalid):
        vettings.open(deadline=datetime.date(2020, 1, 1))


def test_reviewers_record_views_and_submit_findings(vettings: Vettings) -> None:
    vetting = _submitted(vettings)
    assert vetting.status == Status.SUBMITTED
    assert vetting.conclusion == Conclusion.NOT_SATISFACTORY
    assert vetting.neighbours == "与邻居有过争执"
    assert vetting.views.get().giver == "王阿姨"


def test_findings_need_a_view_every_heading_and_reasons(vettings: Vettings) -> None:
    vetting = vettings.open()
    submit = services.submit_findings
    with pytest.raises(Invalid):  # no view yet
        submit(vetting, vettings.secretary, findings=FINDINGS, conclusion="satisfactory")
    services.record_view(
        vetting,
        vettings.secretary,
        giver_kind="branch_member",
        giver="党员甲",
        relationship="",
        said="表现良好",
    )
    with pytest.raises(Invalid):  # a heading left empty
        submit(
            vetting,
            vettings.secretary,
            findings={**FINDINGS, "law_abiding": " "},
            conclusion="satisfactory",
        )
    with pytest.raises(Invalid):  # not satisfactory without reasons
        submit(vetting, vettings.secretary, findings=FINDINGS, conclusion="not_satisfactory")
    submit(vetting, vettings.secretary, findings=FINDINGS, conclusion="satisfactory")
    assert vetting.status == Status.SUBMITTED


def test_an_unassigned_leader_may_neither_record_nor_submit(vettings: Vettings, outsider) -> None:  # type: ignore[no-untyped-def]
    vetting = vettings.open()
    with pytest.raises(NotAllowed):
        services.record_view(
            vetting, outsider, giver_kind="neighbour", giver="甲", relationship="", said="好"
        )
    with pytest.raises(NotAllowed):  # nor may the department write the grid's views
        services.record_view(
            vetting,
            vettings.department,
            giver_kind="neighbour",
            giver="甲",
            relationship="",
            said="好",
        )


def test_no_view_once_the_findings_are_in(vettings: Vettings) -> None:
    vetting = _submitted(vettings)
    with pytest.raises(Conflict):
        services.record_view(
            vetting,
            vettings.secretary,
            giver_kind="neighbour",
            giver="甲",
            relationship="",
            said="好",
        )


def test_the_department_decides_once(vettings: Vettings) -> None:
    vetting = _submitted(vettings)
    with pytest.raises(NotAllowed):  # a reviewer does not decide
        services.decide(vetting, vettings.grid_leader, decision=Decision.PROMOTE)
    services.decide(vetting, vettings.department, decision=Decision.DEFER, note="暂缓提拔")
    assert (vetting.status, vetting.decision) == (Status.DECIDED, Decision.DEFER)
    with pytest.raises(Conflict):
        services.decide(vetting, vettings.department, decision=Decision.PROMOTE)
    stale = Vetting.objects.get(pk=vetting.pk)
    stale.status, stale.version = Status.SUBMITTED, 2  # as read before the decision
    with pytest.raises(Conflict):
        services.decide(stale, vettings.department, decision=Decision.PROMOTE)
    assert Vetting.objects.get(pk=vetting.pk).decision == Decision.DEFER


def test_no_decision_before_the_findings(vettings: Vettings) -> None:
    vetting = vettings.open()
    with pytest.raises(Conflict):
        services.decide(vetting, vettings.department, decision=Decision.PROMOTE)


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_the_same_moment_keep_one(vettings: Vettings) -> None:
    vetting = _submitted(vettings)
    colleague = User.objects.create_user(
        username="orgdept2", role=Role.ORG_DEPARTMENT, organisation=vettings.department.organisation
    )

    def deciding(user: User, decision: str):  # type: ignore[no-untyped-def]
        def call(client: Client) -> str:
            try:  # each thread reads the vetting as its page showed it: submitted
                services.decide(Vetting.objects.get(pk=vetting.pk), user, decision=decision)
            except Conflict:
                return "refused"
            return "decided"

        return call

    results = simultaneously(
        [
            (vettings.department, deciding(vettings.department, Decision.PROMOTE)),
            (colleague, deciding(colleague, Decision.DEFER)),
        ]
    )
    assert sorted(results) == ["decided", "refused"]
    assert AuditEvent.objects.filter(action="vetting.decided").count() == 1


def test_reassigning_follows_the_posts_new_holders(vettings: Vettings, outsider) -> None:  # type: ignore[no-untyped-def]
    vetting = vettings.open()
    post = Post.objects.get(place=vettings.county.grid_a, kind=PostKind.GRID_LEADER)
    end_tenure(Tenure.objects.get(post=post), end=datetime.date(2026, 1, 1), reason="轮岗")
    person = Person.objects.create(name="新网格长")
    newcomer = User.objects.create_user(username="newcomer", role=Role.LEADER, person=person)
    appoint(post, person, start=datetime.date(2026, 1, 1))
    assert not services.access.is_reviewer(newcomer, vetting)  # not before reassigning
    assert services.reassign(vetting, vettings.department) == (1, 1)
    assert services.access.is_reviewer(newcomer, vetting)
    assert not services.access.is_reviewer(vettings.grid_leader, vetting)


def test_figures_count_opened_concluded_and_deferred(vettings: Vettings) -> None:
    deferred = _submitted(vettings)
    services.decide(deferred, vettings.department, decision=Decision.DEFER)
    promoted = _submitted(vettings, Conclusion.SATISFACTORY)
    services.decide(promoted, vettings.department, decision=Decision.PROMOTE)
    vettings.open()
    Vetting.objects.filter(pk=deferred.pk).update(
        opened_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC),
        decided_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC),
    )
    year = promoted.decided_at.year  # type: ignore[union-attr]
    assert services.figures(Vetting.objects.all()) == services.Figures(3, 2, 1)
    assert services.figures(Vetting.objects.all(), year) == services.Figures(2, 1, 0)


def test_the_cadres_household_members_are_not_reviewers(vettings: Vettings) -> None:
    """The spouse leads the grid: left out; when the secretary is family too, nobody is left
    and the vetting is refused, saying why."""
    for user in (vettings.grid_leader, vettings.secretary):
        person = user.person
        assert person is not None
        person.household = vettings.household
        person.save()
        if user == vettings.grid_leader:
            vetting = vettings.open()
            assert {r.person_id for r in vetting.reviewers.all()} == {vettings.secretary.person_id}
    with pytest.raises(Invalid, match="家庭成员"):
        vettings.open()
    assert Vetting.objects.count() == 1  # the refused one left nothing behind


def test_a_cadre_not_in_the_register_is_kept_out_by_name(vettings: Vettings) -> None:
    """The household has no member of the cadre's name: the grid leader, who bears it, is left
    out all the same."""
    vetting = vettings.open(cadre=services.Cadre("刘网格长", "科员", "科长"))
    assert vetting.cadre_person is None
    assert {r.person_id for r in vetting.reviewers.all()} == {vettings.secretary.person_id}


def test_a_village_household_asks_the_villages_branch(vettings: Vettings) -> None:
    """In a village the branch sits at the village (an area), its grids hold party groups."""
    county = vettings.county
    household = make_household(county.rural_grid, "12", name="陈志明")
    village_branch = make_branch(county.area, "城东村党支部")
    PartyOrganisation.objects.create(
        kind="group", name="上屋组党小组", place=county.rural_grid, parent=village_branch
    )
    secretary = make_leader(county.area, PostKind.BRANCH_SECRETARY, "village-sec")
    leader = make_leader(county.rural_grid, PostKind.GRID_LEADER, "rural-leader")
    assert services.default_branches([household]) == [village_branch]
    vetting = vettings.open(
        cadre=services.Cadre("陈志明", "乡镇 副镇长", "乡镇 镇长"), households=[household]
    )
    assert list(vetting.branches.all()) == [village_branch]
    assert {r.person_id for r in vetting.reviewers.all()} == {secretary.person_id, leader.person_id}


def test_the_same_token_opens_one_vetting(vettings: Vettings) -> None:
    token = uuid.uuid4()
    first = vettings.open(token=token)
    assert vettings.open(token=token) == first
    assert Vetting.objects.count() == 1
    assert vettings.open(token=uuid.uuid4()) != first
