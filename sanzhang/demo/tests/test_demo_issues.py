"""The demo county's history of issues: shaped like the county's figures, every timeline a
legal path through the six steps, and work waiting for the demo accounts."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest

from sanzhang.demo.accounts import ensure_demo_accounts
from sanzhang.demo.loader import load_demo, remove_demo
from sanzhang.issues.models import AgendaItem, Issue, IssueEvent, Meeting, State, Tier
from sanzhang.issues.workflow import ACTIONS
from sanzhang.issues.worklist import waiting_on

SCALE = 0.1
ACTION_OF_EVENT = {
    "confirmed": "confirm",
    "started": "start",
    "handled": "handle",
    "inspected": "pass_inspection",
    "sent_back": "send_back",
    "fed_back": "feed_back",
    "rated_satisfied": "rate",
    "rated_dissatisfied": "rate",
    "declined": "decline",
    "merged": "merge",
    "escalated": "escalate",
    "returned": "return",
}


@pytest.fixture
def demo(db):
    return load_demo(scale=SCALE)


def test_the_history_is_shaped_like_the_county_figures(demo) -> None:
    # The residents' reports; the councils' agreed decisions are followed as issues on top.
    issues = Issue.objects.filter(council_decision__isnull=True)
    states = Counter(issues.values_list("state", flat=True))
    total = sum(states.values())
    assert 190 <= total <= 210  # about 2,003 at scale 1
    assert 0.90 <= states[State.CLOSED] / total <= 0.95  # 1,858 of 2,003 solved
    hard_closed = issues.filter(tier=Tier.HARD, state=State.CLOSED)
    assert hard_closed.count() == 73  # 731 at scale 1
    assert hard_closed.values("owner_organisation").distinct().count() == 12  # departments
    assert Meeting.objects.count() == 12
    assert Meeting.objects.filter(items__isnull=False).distinct().count() == 12
    assert AgendaItem.objects.filter(issue__in=hard_closed).count() == 73
    assert {s for s in states if states[s]} >= {
        State.REPORTED,
        State.ASSIGNED,
        State.IN_PROGRESS,
        State.HANDLED,
        State.INSPECTED,
        State.FED_BACK,
        State.DECLINED,
        State.MERGED,
    }


def test_every_timeline_is_a_legal_path_through_the_steps(demo) -> None:
    timelines: dict[int, list[IssueEvent]] = {}
    for event in IssueEvent.objects.order_by("at", "id"):
        timelines.setdefault(event.issue_id, []).append(event)
    for issue in Issue.objects.all():
        events = timelines[issue.pk]
        assert events[0].kind == "reported" and events[0].to_state == State.REPORTED
        for before, event in pairwise(events):
            assert event.from_state == before.to_state, (issue.number, event.kind)
            assert event.at >= before.at
            if event.kind == "assigned":
                assert event.from_state == State.REPORTED and issue.tier == Tier.HARD
            else:
                assert event.from_state in ACTIONS[ACTION_OF_EVENT[event.kind]].from_states
        assert events[-1].to_state == issue.state
        assert (issue.due_at is None) == (issue.state in ("closed", "declined", "merged"))
        if issue.state == State.MERGED:
            assert issue.merged_into is not None


def test_demo_accounts_find_work_waiting(demo) -> None:
    accounts = {account.username: user for account, user in ensure_demo_accounts()}
    for username in ("unit", "grid", "office"):
        assert waiting_on(accounts[username]).exists(), username


def test_removing_the_demo_removes_its_issues(demo) -> None:
    remove_demo()
    assert not Issue.objects.exists() and not Meeting.objects.exists()


def test_every_category_is_written_at_every_tier_and_no_problem_at_two() -> None:
    # The words, not the category, say how hard a report is: the model must see each
    # category at each tier, and a problem confirmed at one tier never at another.
    from sanzhang.demo import issue_texts
    from sanzhang.demo.leaders import DEPARTMENTS

    hard: dict[str, int] = Counter()
    for written in issue_texts.HARD.values():
        hard.update(category for category, _problem in written)
    for category in issue_texts.TEXTS:
        assert issue_texts.SIMPLE[category], category
        assert issue_texts.COMPLEX[category], category
        assert hard[category], category
    assert set(issue_texts.HARD) == set(DEPARTMENTS)
    problems = [p for table in (issue_texts.SIMPLE, issue_texts.COMPLEX) for ps in table.values()
                for p in ps] + [p for w in issue_texts.HARD.values() for _c, p in w]  # fmt: skip
    assert all(problems), "an empty problem"
    assert [p for p, n in Counter(problems).items() if n > 1] == []
