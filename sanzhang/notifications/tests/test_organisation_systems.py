"""A department's own system, as it would run: the example receiver of docs/examples (a real
local HTTP server) gets every step of the issues its department leads, signed with HMAC and
sent by the real worker; it answers a step back through the API with its system token, over
HTTP to a live server. Other departments' issues never reach it; a forged or replayed
request is refused by the receiver; a key too short or a system without an organisation is
refused by the form."""

from __future__ import annotations

import datetime
import importlib.util
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanzhang.conftest import run_queued_tasks
from sanzhang.issues import meetings, workflow
from sanzhang.issues.intake import submit
from sanzhang.issues.models import State
from sanzhang.issues.tests.conftest import reseed
from sanzhang.notifications import signing
from sanzhang.notifications.models import Delivery, Endpoint
from sanzhang.people.models import Role, User
from sanzhang.security.models import ApiToken
from sanzhang.security.tokens import issue as issue_token

pytestmark = pytest.mark.django_db(transaction=True)
KEY = "k" * 16 + "相同的密钥只给住建局系统" + "9" * 8
EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "department_receiver.py"


def example() -> Any:
    spec = importlib.util.spec_from_file_location("department_receiver", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hard_issue(loop, resident, unit_leader, grid_leader):  # type: ignore[no-untyped-def]
    issue = submit(resident, place=loop.unit_a1_1, text="楼道里堆放杂物，垃圾没人清扫").issue
    workflow.escalate(issue, unit_leader, reason="需要网格协调")
    workflow.escalate(issue, grid_leader, reason="涉及住建部门")
    return issue


def assign(issue, office, organisation) -> None:  # type: ignore[no-untyped-def]
    meeting = meetings.schedule(office, title="交办会", held_on=timezone.localdate())
    item = meetings.put_on_agenda(office, meeting, issue)
    due = timezone.localdate() + datetime.timedelta(days=20)
    meetings.assign(office, item, lead=organisation, due_on=due)


def test_a_department_system_hears_its_issues_signed_and_answers_back(
    live_server, loop, resident, unit_leader, grid_leader, county_officer, department
) -> None:
    reseed()
    receiver_module = example()
    system = User.objects.create_user(
        "housing-system", role=Role.DEPARTMENT, organisation=department.organisation
    )  # no password: an account for a system
    _row, token = issue_token(
        system, name="住建局业务系统", kind=ApiToken.Kind.SYSTEM, by=county_officer
    )
    answers: list[dict[str, Any]] = []

    def start_when_assigned(step: dict[str, Any]) -> None:
        if step["event"]["kind"] == "assigned":
            answers.append(
                receiver_module.answer_step(
                    live_server.url, token, step["issue"]["number"], "start", "已派人查看"
                )
            )

    receiver = receiver_module.Receiver(KEY, start_when_assigned)
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    try:
        Endpoint.objects.create(
            kind=Endpoint.Kind.SYSTEM,
            name="住建局业务系统",
            url=receiver.url,
            secret=KEY,
            place=loop.county,
            organisation=department.organisation,
        )
        issue = hard_issue(loop, resident, unit_leader, grid_leader)
        run_queued_tasks()
        assert receiver.seen == {}  # not theirs yet: escalations go to the county office
        assign(issue, county_officer, department.organisation)
        run_queued_tasks()  # sends "assigned"; the receiver starts it through the API
        assert answers and answers[0]["state"] == State.IN_PROGRESS
        run_queued_tasks()  # sends "started", the system's own step
        steps = [step["event"]["kind"] for step in receiver.seen.values()]
        assert steps == ["assigned", "started"]
        assigned = next(iter(receiver.seen.values()))
        assert assigned["issue"]["number"] == issue.number
        assert assigned["issue"]["lead"] == department.organisation.name
        assert "堆放杂物" in assigned["issue"]["text"]
        assert resident.person.name not in json.dumps(assigned, ensure_ascii=False)
        assert receiver.refused == 0
        issue.refresh_from_db()
        assert issue.state == State.IN_PROGRESS
        started = issue.events.get(kind="started")
        assert (started.actor, started.note) == (system, "已派人查看")
        assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


def test_other_departments_issues_never_reach_a_system(
    loop, resident, unit_leader, grid_leader, county_officer, department, other_department
) -> None:
    reseed()
    endpoint = Endpoint.objects.create(
        kind=Endpoint.Kind.SYSTEM,
        name="城管局系统",
        url="http://127.0.0.1:9/",
        secret=KEY,
        place=loop.county,
        organisation=other_department.organisation,
    )
    issue = hard_issue(loop, resident, unit_leader, grid_leader)
    assign(issue, county_officer, department.organisation)
    workflow.start(issue, department)
    run_queued_tasks()  # the report's own notices too
    assert not Delivery.objects.filter(endpoint=endpoint).exists()


def test_the_receiver_refuses_forged_and_replayed_requests() -> None:
    receiver = example()
    body = json.dumps({"event": {"kind": "assigned"}}).encode()
    now = datetime.datetime.now(datetime.UTC).timestamp()
    key = "sanzhang-delivery-7"
    good = signing.signed_headers(KEY, key, body, now)
    stamp, sent = good[signing.TIMESTAMP_HEADER], good[signing.SIGNATURE_HEADER]
    assert good["Idempotency-Key"] == key
    assert receiver.signature_ok(KEY, stamp, key, sent, body)
    assert signing.verify(KEY, stamp, key, sent, body)
    assert not receiver.signature_ok(KEY, stamp, key, sent, body + b" ")  # altered
    assert not receiver.signature_ok("another key" * 4, stamp, key, sent, body)  # forged
    assert not receiver.signature_ok(KEY, stamp, "sanzhang-delivery-8", sent, body)  # re-keyed
    old = signing.signed_headers(KEY, key, body, now - signing.TOLERANCE_SECONDS - 60)
    assert not receiver.signature_ok(
        KEY, old[signing.TIMESTAMP_HEADER], key, old[signing.SIGNATURE_HEADER], body
    )  # replayed later


def test_a_system_channel_needs_its_organisation_and_a_long_key(loop, department) -> None:
    short = Endpoint(
        kind=Endpoint.Kind.SYSTEM, name="x", url="https://x.example/", secret="short",
        place=loop.county,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        short.full_clean()
    assert set(refused.value.message_dict) == {"organisation", "secret"}
    robot = Endpoint(
        kind=Endpoint.Kind.WECOM_ROBOT, name="群", url="https://x.example/", place=loop.county,
        organisation=department.organisation,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        robot.full_clean()
