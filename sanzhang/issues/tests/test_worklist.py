"""Whose list a handled issue waits on: the leaders above its owner's post (the branch of "my
work" written `= ANY(ARRAY(...))` on PostgreSQL), and a county office for its departments'."""

from __future__ import annotations

import pytest
from django.db import connection

from sanzhang.conftest import make_leader
from sanzhang.issues import workflow
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue, State
from sanzhang.issues.worklist import waiting_on
from sanzhang.posts.models import PostKind

pytestmark = pytest.mark.django_db


def handled_by_the_unit(loop, resident, grid_leader, unit_leader) -> Issue:  # type: ignore[no-untyped-def]
    issue = submit(resident, place=loop.unit_a1_1, text="楼道灯坏了").issue
    workflow.confirm(issue, grid_leader, tier="simple")
    workflow.start(issue, unit_leader)
    workflow.handle(issue, unit_leader, note="已更换灯泡")
    return issue


def test_a_handled_issue_waits_on_the_leaders_above_its_owner_only(
    loop, resident, unit_leader, building_leader, grid_leader
) -> None:
    issue = handled_by_the_unit(loop, resident, grid_leader, unit_leader)
    other_grid = make_leader(loop.grid_b, PostKind.GRID_LEADER, "grid-b-leader")
    assert issue in waiting_on(grid_leader)
    assert issue in waiting_on(building_leader)
    assert issue not in waiting_on(unit_leader)  # its owner: handled, not theirs to inspect
    assert issue not in waiting_on(other_grid)


def test_a_departments_handled_issue_waits_on_its_county_office(
    loop, resident, grid_leader, unit_leader, department, county_officer
) -> None:
    issue = handled_by_the_unit(loop, resident, grid_leader, unit_leader)
    assert issue not in waiting_on(county_officer)  # a grid's work: the office does not inspect
    # As an assignment meeting leaves it: the department owns it, and has handled it.
    Issue.objects.filter(pk=issue.pk).update(owner_organisation=department.organisation)
    assert issue in waiting_on(county_officer)
    Issue.objects.filter(pk=issue.pk).update(state=State.IN_PROGRESS)
    assert issue not in waiting_on(county_officer)  # still the department's step


def test_on_postgresql_the_branch_reads_its_subquery_once_as_an_array(loop, grid_leader) -> None:
    """The reason for AmongRows: an IN inside the OR made PostgreSQL test every handled issue
    of the county against a hashed subquery."""
    sql = str(waiting_on(grid_leader).query)
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(SELECT" in sql
    else:
        assert "ANY(ARRAY" not in sql
