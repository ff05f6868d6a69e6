"""The county office edits routing rules, step deadlines and holidays; nobody else may."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from sanzhang.audit.models import AuditEvent
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.issues import rules
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Category, Holiday, RoutingRule, StepDeadline

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_routing_rule_for_a_category_changes_where_new_issues_go(
    county, resident_reporter, unit_leader, grid_leader_user, county_officer
) -> None:
    sanitation = Category.objects.get(code="sanitation")
    rules.save_routing_rule(county_officer, tier="simple", category=sanitation, owner_levels="grid")
    issue = submit(
        resident_reporter, place=county.unit_a1_1, text="垃圾没人清扫", category=sanitation
    ).issue
    assert issue.owner_place == county.grid_a
    assert AuditEvent.objects.filter(action="issues.routing_rule_saved").count() == 1


def test_bad_levels_and_other_roles_are_refused(county, unit_leader, county_officer) -> None:
    with pytest.raises(Invalid):
        rules.save_routing_rule(county_officer, tier="simple", owner_levels="village")
    with pytest.raises(Invalid):
        rules.save_routing_rule(county_officer, tier="simple", owner_levels="grid,county_office")
    with pytest.raises(NotAllowed):
        rules.save_routing_rule(unit_leader, tier="simple", owner_levels="grid")
    general = RoutingRule.objects.get(tier="simple", category=None, place_kind="")
    with pytest.raises(Invalid):
        rules.delete_routing_rule(county_officer, general)


def test_the_rules_page_edits_deadlines_and_holidays(county, county_officer) -> None:
    client = client_for(county_officer)
    page = client.get("/issues/rules/")
    assert page.status_code == 200
    assert "分流规则" in page.content.decode()
    form = {f"{d.tier}:{d.state}": d.working_days for d in StepDeadline.objects.all()}
    form.update({"action": "set_deadlines", "simple:in_progress": 5})
    assert client.post("/issues/rules/", form).status_code == 302
    assert StepDeadline.objects.get(tier="simple", state="in_progress").working_days == 5
    response = client.post(
        "/issues/rules/",
        {"action": "save_holiday", "holiday-date": "2026-10-01", "holiday-name": "国庆节"},
    )
    assert response.status_code == 302
    assert Holiday.objects.get(date=datetime.date(2026, 10, 1)).name == "国庆节"
    bad = client.post("/issues/rules/", {**form, "simple:in_progress": "abc"}, follow=True)
    assert "整数" in bad.content.decode()
    assert StepDeadline.objects.get(tier="simple", state="in_progress").working_days == 5


def test_only_the_county_office_reaches_the_rules_page(county, unit_leader, community_staff):
    for user in (unit_leader, community_staff):
        assert client_for(user).get("/issues/rules/").status_code == 404


def test_mangled_values_on_the_rules_page_do_not_reach_the_services(county, county_officer) -> None:
    client = client_for(county_officer)
    for action, field in [("delete_rule", "rule"), ("delete_holiday", "holiday")]:
        for bad in ["", "abc", "²"]:
            response = client.post("/issues/rules/", {"action": action, field: bad})
            assert response.status_code == 404  # as for a rule or holiday not in force
    before = list(StepDeadline.objects.values_list("pk", "working_days"))
    form = {f"{d.tier}:{d.state}": d.working_days for d in StepDeadline.objects.all()}
    for bad in ["-1", "²", "1.5", ""]:
        page = client.post(
            "/issues/rules/", {**form, "action": "set_deadlines", "hard:assigned": bad}
        )
        assert page.status_code == 200 and "工作日数须为整数" in page.content.decode()
    assert list(StepDeadline.objects.values_list("pk", "working_days")) == before
    other = client.post("/issues/rules/", {"action": "elsewhere"})
    assert other.status_code == 200 and "已保存" not in other.content.decode()


def test_routing_rules_are_chosen_and_shown_in_words(county_officer) -> None:
    from django.test import Client

    from sanzhang.issues.models import RoutingRule

    client = Client()
    client.force_login(county_officer)
    form = {
        "action": "save_rule",
        "rule-tier": "simple",
        "rule-place_kind": "unit",
        "rule-owner_levels": ["grid", "unit"],  # ticked in any order
    }
    response = client.post("/issues/rules/", form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    rule = RoutingRule.objects.get(place_kind="unit", tier="simple")
    assert rule.owner_levels == "unit,grid"  # kept from the lowest up
    page = client.get("/issues/rules/").content.decode()
    assert "<td>单元长、网格长</td>" in page and "<td>单元</td>" in page
    assert "<code>unit,grid</code>" not in page and "county_office" not in page.split("<form")[0]
