"""Opening, evaluating, closing and reading results, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import make_staff
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.evaluations import services
from sanzhang.evaluations.models import Choice, Evaluation, Period, Result, State
from sanzhang.people.models import Role
from sanzhang.points.models import Cause, PointEntry, PointRule
from sanzhang.posts.models import Tenure

from .conftest import Q4, make_resident

pytestmark = pytest.mark.django_db


def tenure_of(user) -> Tenure:  # type: ignore[no-untyped-def]
    return Tenure.objects.get(person=user.person)


def test_the_office_opens_one_period_at_a_time_and_it_is_audited(office, period) -> None:
    assert period.is_open and period.place.code == "GC"
    assert AuditEvent.objects.filter(action="evaluation.opened").count() == 1
    with pytest.raises(Conflict):
        services.open_period(office, title="又一次", starts_on=Q4[0], ends_on=Q4[1])


def test_only_the_office_opens_and_dates_must_make_sense(county, office, grid_leader) -> None:
    with pytest.raises(NotAllowed):
        services.open_period(grid_leader, title="x", starts_on=Q4[0], ends_on=Q4[1])
    with pytest.raises(Invalid):
        services.open_period(office, title="x", starts_on=Q4[1], ends_on=Q4[0])
    with pytest.raises(Invalid):
        services.open_period(office, title="  ", starts_on=Q4[0], ends_on=Q4[1])


def test_a_resident_sees_the_holders_over_their_home_only(
    county, period, resident, grid_leader, building_leader, grid_b_leader, unit_leader
) -> None:
    holders = list(services.holders_over(resident.person, period))
    assert [t.person.name for t in holders] == ["unit-leader", "赵楼栋", "李网格"]
    assert list(services.open_periods_for(resident.person)) == [period]


def test_a_leader_does_not_evaluate_themselves(county, period, grid_leader) -> None:
    # The grid leader lives in their own grid, under the building leader.
    from sanzhang.conftest import make_household

    home = make_household(county.unit_a1_1, "502", name="李家")
    grid_leader.person.household = home
    grid_leader.person.save()
    holders = services.holders_over(grid_leader.person, period)
    assert grid_leader.person not in [t.person for t in holders]
    with pytest.raises(NotAllowed):
        services.evaluate(grid_leader, period, tenure_of(grid_leader), Choice.SATISFIED)


def test_once_per_person_per_holder(period, resident, grid_leader) -> None:
    tenure = tenure_of(grid_leader)
    services.evaluate(resident, period, tenure, Choice.SATISFIED, "  很负责  ")
    with pytest.raises(Conflict, match="已经评价过"):
        services.evaluate(resident, period, tenure, Choice.UNSATISFIED)
    (only,) = Evaluation.objects.all()
    assert only.choice == Choice.SATISFIED and only.comment == "很负责"
    assert services.answers_of(resident.person, period) == {tenure.pk: Choice.SATISFIED}


def test_nobody_evaluates_holders_elsewhere_or_outside_the_dates(
    period, resident, grid_b_leader, grid_leader
) -> None:
    with pytest.raises(NotAllowed):
        services.evaluate(resident, period, tenure_of(grid_b_leader), Choice.SATISFIED)
    with pytest.raises(Invalid):
        services.evaluate(resident, period, tenure_of(grid_leader), "great")
    with pytest.raises(Invalid):
        services.evaluate(resident, period, tenure_of(grid_leader), Choice.BASIC, "长" * 201)
    Period.objects.filter(pk=period.pk).update(starts_on=datetime.date(2026, 12, 1))
    with pytest.raises(Invalid):
        services.evaluate(resident, period, tenure_of(grid_leader), Choice.SATISFIED)


def test_staff_do_not_evaluate(county, period, office, grid_leader) -> None:
    with pytest.raises(NotAllowed):
        services.evaluate(office, period, tenure_of(grid_leader), Choice.SATISFIED)


def _votes(county, period, tenure, choices: list[str]) -> None:  # type: ignore[no-untyped-def]
    for n, choice in enumerate(choices):
        voter = make_resident(county.unit_a1_2, f"voter{tenure.pk}-{n}", f"{tenure.pk}{n + 1}01")
        services.evaluate(voter, period, tenure, choice, f"意见{n}")


def test_results_count_per_holder_with_the_rate(county, period, grid_leader, building_leader):  # type: ignore[no-untyped-def]
    S, B, U = Choice.SATISFIED, Choice.BASIC, Choice.UNSATISFIED
    _votes(county, period, tenure_of(grid_leader), [S, S, B, U])
    _votes_more = [make_resident(county.unit_a1_1, "late", "909")]
    services.evaluate(_votes_more[0], period, tenure_of(building_leader), U)
    with CaptureQueriesContext(connection) as ctx:
        results = services.results_for(period, "GC")
    assert len(ctx.captured_queries) == 1
    assert services.count_votes(period) == results  # the running counts are the votes'
    by_name = {r.name: r for r in results}
    grid = by_name["李网格"]
    assert (grid.satisfied, grid.basic, grid.unsatisfied, grid.total) == (2, 1, 1, 4)
    assert grid.rate == 0.75 and grid.percent == "75.0%"
    assert by_name["赵楼栋"].rate == 0.0
    # Under grid B: nobody.
    assert services.results_for(period, county.grid_b.code) == []


def test_closing_keeps_the_counts_rewards_the_satisfied_and_is_audited(
    county, period, office, grid_leader, building_leader
) -> None:
    PointRule.objects.create(
        cause=Cause.EVALUATION_SATISFIED, points=10, valid_from=datetime.date(2025, 1, 1)
    )
    S, B, U = Choice.SATISFIED, Choice.BASIC, Choice.UNSATISFIED
    _votes(county, period, tenure_of(grid_leader), [S, S, S, B, S])  # 100% of 5
    _votes(county, period, tenure_of(building_leader), [S, U])  # too few, and 50%
    live = services.results_for(period)
    results = services.close_period(period, office)
    assert len(results) == 2 and Result.objects.count() == 2
    period.refresh_from_db()
    assert period.state == State.CLOSED and period.closed_by == office
    assert services.results_for(period) == live  # kept as counted
    (entry,) = PointEntry.objects.all()
    assert entry.person == grid_leader.person and entry.points == 10
    assert entry.cause == Cause.EVALUATION_SATISFIED
    assert AuditEvent.objects.filter(action="evaluation.closed").count() == 1
    with pytest.raises(Conflict):
        services.close_period(period, office)
    assert PointEntry.objects.count() == 1
    # Closed: no more answers.
    late = make_resident(county.unit_a1_1, "late", "909")
    with pytest.raises(Conflict):
        services.evaluate(late, period, tenure_of(grid_leader), S)
    assert services.latest_closed(county.unit_a1_1.code) == period


def test_without_a_rule_in_force_closing_gives_no_points(county, period, office, grid_leader):  # type: ignore[no-untyped-def]
    _votes(county, period, tenure_of(grid_leader), [Choice.SATISFIED] * 5)
    services.close_period(period, office)
    assert not PointEntry.objects.exists()


def test_only_the_office_closes(period, grid_leader) -> None:
    with pytest.raises(NotAllowed):
        services.close_period(period, grid_leader)


def test_a_holder_reads_their_own_results_and_comments_never_voters(
    county, period, office, grid_leader
) -> None:
    _votes(county, period, tenure_of(grid_leader), [Choice.SATISFIED, Choice.UNSATISFIED])
    assert services.own_results(grid_leader.person) == []  # nothing while it is open
    services.close_period(period, office)
    ((seen, row, comments),) = services.own_results(grid_leader.person)
    assert seen == period and row.total == 2
    assert sorted(words for _choice, words in comments) == ["意见0", "意见1"]


def test_periods_are_visible_within_their_county_only(county, period, office, grid_leader) -> None:
    from sanzhang.conftest import build_county

    other = build_county("NF", "南丰县")
    stranger = make_staff("nf-office", Role.COUNTY_OFFICE, other.county, "county_office")
    assert list(services.periods_visible_to(office)) == [period]
    assert list(services.periods_visible_to(grid_leader)) == [period]
    assert list(services.periods_visible_to(stranger)) == []


def test_the_office_puts_a_rule_in_force_on_the_points_rules_page_then_closing_awards(
    county, period, office, grid_leader
) -> None:
    """The points rules page offers every cause: the office sets this one's points there."""
    from django.test import Client
    from django.utils import timezone

    from sanzhang.points.services import change_rule

    client = Client()
    client.force_login(office)
    assert "党群评议满意" in client.get("/points/rules/").content.decode()
    change_rule(Cause.EVALUATION_SATISFIED, points=8, valid_from=timezone.localdate(), actor=office)
    _votes(county, period, tenure_of(grid_leader), [Choice.SATISFIED] * 5)
    services.close_period(period, office)
    (entry,) = PointEntry.objects.filter(person=grid_leader.person)
    assert entry.points == 8 and entry.get_cause_display() == "党群评议满意"


@pytest.mark.parametrize(
    ("satisfied", "basic", "unsatisfied", "earns"),
    [(9, 0, 1, True), (8, 1, 1, True), (8, 0, 2, False), (4, 0, 0, False), (29, 0, 71, False)],
)
def test_who_earns_points(satisfied: int, basic: int, unsatisfied: int, earns: bool) -> None:
    row = services.HolderResult(1, 1, "x", "grid_leader", "GC", "x", satisfied, basic, unsatisfied)
    assert services.earns_points(Period(pass_rate=90, min_votes=5), row) is earns


def test_a_rate_exactly_at_the_bar_earns_points() -> None:
    """29 of 100 is 29 %: counted in integers, where 0.29 * 100 in floats falls short."""
    row = services.HolderResult(1, 1, "x", "grid_leader", "GC", "x", 29, 0, 71)
    assert services.earns_points(Period(pass_rate=29, min_votes=5), row)
