"""Outgoing notices to a WeChat Work group robot, sent by the real database worker to a real
local HTTP server: sent once, retried with backoff, capped, and never blocking the step."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from sanzhang.conftest import run_queued_tasks
from sanzhang.issues import report_notices
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue
from sanzhang.issues.tests.conftest import reseed
from sanzhang.notifications.models import Delivery, Endpoint

# Transactional: the worker closes and reopens its connection between tasks, as in
# production, which a test wrapped in one transaction would not survive; and the steps'
# on-commit hooks then run for real.
pytestmark = pytest.mark.django_db(transaction=True)


class Robot:
    """A local stand-in for the robot's webhook: answers from a script, records what came."""

    def __init__(self, answers: list[tuple[int, dict]]) -> None:
        self.answers = answers
        self.received: list[dict] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                robot.received.append(json.loads(self.rfile.read(length)))
                status, body = robot.answers[min(len(robot.received), len(robot.answers)) - 1]
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=k"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


OK = (200, {"errcode": 0, "errmsg": "ok"})


@pytest.fixture
def robot_factory(county, settings):  # type: ignore[no-untyped-def]
    reseed()
    settings.DELIVERY_BACKOFF_SECONDS = 0  # retries fall due at once, inside one worker batch
    settings.DELIVERY_MAX_ATTEMPTS = 3
    robots = []

    def make(answers: list[tuple[int, dict]]) -> Robot:
        robot = Robot(answers)
        robots.append(robot)
        Endpoint.objects.create(
            kind="wecom_robot", name="第一网格群", url=robot.url, place=county.grid_a
        )
        return robot

    yield make
    for robot in robots:
        robot.close()


def report(user, county) -> Issue:  # type: ignore[no-untyped-def]
    text = "王秀英家13812345678漏水"
    return submit(user, place=county.unit_a1_1, text=text, channel="patrol").issue


def test_a_step_is_sent_once_without_personal_data(county, unit_leader, robot_factory) -> None:
    robot = robot_factory([OK])
    issue = report(unit_leader, county)
    run_queued_tasks()
    assert len(robot.received) == 1
    message = robot.received[0]
    assert message["msgtype"] == "text"
    assert issue.number in message["text"]["content"] and "1单元" in message["text"]["content"]
    assert "13812345678" not in json.dumps(message, ensure_ascii=False)
    assert "王秀英" not in json.dumps(message, ensure_ascii=False)
    assert Delivery.objects.get().status == Delivery.Status.SENT
    run_queued_tasks()
    assert len(robot.received) == 1  # never twice


def test_a_failing_robot_is_retried_and_then_sent(county, unit_leader, robot_factory) -> None:
    robot = robot_factory([(500, {}), (200, {"errcode": 93000, "errmsg": "invalid key"}), OK])
    report(unit_leader, county)
    run_queued_tasks()
    delivery = Delivery.objects.get()
    assert len(robot.received) == 3
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 3)


def test_attempts_are_capped_and_the_step_stands(county, unit_leader, robot_factory) -> None:
    robot = robot_factory([(503, {})])
    issue = report(unit_leader, county)
    run_queued_tasks()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 3)
    assert delivery.last_error == "HTTP 503" and len(robot.received) == 3
    assert Issue.objects.get(pk=issue.pk).state == "reported"


def test_a_robot_that_is_down_never_blocks_the_step(county, unit_leader, robot_factory) -> None:
    robot = robot_factory([OK])
    robot.close()  # connection refused from now on
    issue = report(unit_leader, county)
    assert Issue.objects.filter(pk=issue.pk).exists()
    run_queued_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.last_error


def test_the_sweep_requeues_a_lost_delivery_without_sending_twice(
    county, unit_leader, robot_factory
) -> None:
    robot = robot_factory([OK])
    with transaction.atomic():
        issue = submit(
            unit_leader, place=county.unit_a1_1, text="垃圾没人清扫", channel="patrol"
        ).issue
        transaction.set_rollback(False)
    report_notices.tell_now(issue.pk)  # the report's notices written, the delivery with them
    # As if the queue had been down when the step committed: its queued task is lost.
    DBTaskResult.objects.all().delete()
    assert Delivery.objects.get().status == Delivery.Status.PENDING
    call_command("sweep_deliveries", verbosity=0)
    call_command("sweep_deliveries", verbosity=0)  # queued twice, claimed once
    run_queued_tasks()
    assert len(robot.received) == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_an_sms_provider_texts_the_people_concerned_and_logs_no_number(
    county, unit_leader, robot_factory, caplog
) -> None:
    from sanzhang.conftest import make_leader
    from sanzhang.posts.models import PostKind

    grid_leader = make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader")
    grid_leader.person.phone = "13922223333"
    grid_leader.person.save()
    provider = Robot([OK])
    try:
        Endpoint.objects.create(
            kind="sms", name="短信平台", url=provider.url, place=county.county, secret="s3cret"
        )
        robot_factory([OK])
        from sanzhang.issues import workflow

        issue = report(unit_leader, county)
        workflow.confirm(issue, unit_leader)
        workflow.start(issue, unit_leader)
        workflow.handle(issue, unit_leader, note="已处理")  # the grid leader must inspect
        run_queued_tasks()
        texts = [m for m in provider.received if "phones" in m]
        assert {"13922223333"} <= {p for m in texts for p in m["phones"]}
        assert all("王秀英" not in m["text"] for m in texts)
        assert "13922223333" not in caplog.text
        assert (
            Delivery.objects.filter(status=Delivery.Status.SENT).count() == Delivery.objects.count()
        )
    finally:
        provider.close()
