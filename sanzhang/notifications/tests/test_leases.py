"""What a crash interrupts comes back: a real worker process killed (SIGKILL) while sending
leaves its delivery `sending`; once the claim's lease lapses the sweep takes it back and it
is sent again, with the same Idempotency-Key so the receiver can act once. A scheduled run
left `running` by a dead worker is queued again and finished."""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sanzhang.issues.intake import submit
from sanzhang.issues.tests.conftest import reseed
from sanzhang.notifications import tasks
from sanzhang.notifications.models import Delivery, Endpoint
from sanzhang.schedules.models import ScheduledRun
from sanzhang.schedules.services import take_back_lapsed

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]


class SlowRobot:
    """A webhook that holds its first request until released; records every request's key."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                robot.keys.append(self.headers.get("Idempotency-Key", ""))
                if len(robot.keys) == 1:
                    robot.first_arrived.set()
                    robot.release.wait(30)
                payload = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the worker that asked is dead

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send?key=k"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def database_url() -> str:
    """The test database, for a worker in another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


# The worker runs on this test's clock (which may be travelled ahead: make test-future).
WORKER = """
import sys, time_machine
from django.core.management import execute_from_command_line
with time_machine.travel(float(sys.argv[1]), tick=True):
    execute_from_command_line(["manage.py", "db_worker", "--no-startup-delay", "--no-reload"])
"""


def start_worker() -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url()}
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(time.time())],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_delivery_whose_worker_was_killed_is_sent_again_with_the_same_key(
    loop, unit_leader
) -> None:
    county = loop
    reseed()
    robot = SlowRobot()
    worker = None
    try:
        Endpoint.objects.create(
            kind="wecom_robot", name="第一网格群", url=robot.url, place=county.grid_a
        )
        submit(unit_leader, place=county.unit_a1_1, text="楼道灯坏了", channel="patrol")
        worker = start_worker()  # writes the report's notices, then sends to the group
        assert robot.first_arrived.wait(60), "the worker never sent"
        delivery = Delivery.objects.get()
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        robot.release.set()
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.SENDING  # what kill -9 leaves
        assert tasks.sweep_pending() == 0  # within the lease: a slow worker is not robbed
        later = timezone.now() + tasks.lease() + datetime.timedelta(seconds=5)
        with time_machine.travel(later, tick=True):
            assert tasks.sweep_pending() == 1
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.SENT
        assert robot.keys == [f"sanzhang-delivery-{delivery.pk}"] * 2
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        robot.close()


def test_a_delivery_that_keeps_dying_ends_failed(county, unit_leader) -> None:
    reseed()
    endpoint = Endpoint.objects.create(
        kind="wecom_robot", name="群", url="http://127.0.0.1:9/", place=county.grid_a
    )
    stuck = Delivery.objects.create(
        endpoint=endpoint,
        subject="x",
        text="x",
        status=Delivery.Status.SENDING,
        attempts=settings.DELIVERY_MAX_ATTEMPTS,
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert tasks.take_back_lapsed() == 1
    stuck.refresh_from_db()
    assert (stuck.status, stuck.last_error) == (
        Delivery.Status.FAILED,
        "the worker stopped while sending",
    )


def test_a_scheduled_run_a_dead_worker_held_is_queued_again_and_finished(county) -> None:
    now = timezone.now()
    started = now - datetime.timedelta(minutes=settings.SCHEDULED_RUN_LEASE_MINUTES + 1)
    held = ScheduledRun.objects.create(
        schedule="sweep_deliveries",
        period=now.replace(second=0, microsecond=0),
        status=ScheduledRun.Status.RUNNING,
        started_at=started,
    )
    recent = ScheduledRun.objects.create(
        schedule="sweep_deliveries",
        period=held.period - datetime.timedelta(minutes=5),
        status=ScheduledRun.Status.RUNNING,
        started_at=now,
    )
    lost = ScheduledRun.objects.create(
        schedule="sweep_deliveries", period=held.period - datetime.timedelta(minutes=10)
    )
    ScheduledRun.objects.filter(pk=lost.pk).update(queued_at=started)  # its task was lost
    assert sorted(take_back_lapsed(now)) == [held.pk, lost.pk]
    assert take_back_lapsed(now) == []  # taken once
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    held.refresh_from_db()
    recent.refresh_from_db()
    lost.refresh_from_db()
    assert held.status == lost.status == ScheduledRun.Status.DONE
    assert recent.status == ScheduledRun.Status.RUNNING  # within its lease: left alone
