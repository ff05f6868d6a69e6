"""Writers recording at the same time keep the chain intact (promise 9).

On PostgreSQL an advisory lock serialises `record()`; on SQLite the IMMEDIATE transaction
does. Without them, two writers would read the same last digest, the chain would fork, and
`first_broken_link()` would report it.
"""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from itertools import pairwise
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from sanzhang.audit.models import AuditEvent
from sanzhang.audit.services import first_broken_link, record

ROOT = Path(__file__).resolve().parents[3]
WRITERS = 4
EACH = 25


def write_events(writer: int, start: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        start.wait()
        for n in range(EACH):
            record("test.concurrent", detail={"writer": writer, "n": n})
    except BaseException as error:  # reported by the test, not lost in the thread
        errors.append(error)
    finally:
        connection.close()  # this thread's own connection


def writers_in_id_order() -> list[int]:
    rows = AuditEvent.objects.filter(action="test.concurrent").order_by("id")
    return [row.detail["writer"] for row in rows]


# An in-memory SQLite database shared between threads answers "table is locked" at once
# instead of waiting; the test below covers SQLite with a database file.
@pytest.mark.skipif(
    connection.vendor == "sqlite" and not os.environ.get("SQLITE_TEST_NAME"),
    reason="needs PostgreSQL or a SQLite test database file (SQLITE_TEST_NAME)",
)
@pytest.mark.django_db(transaction=True)
def test_threads_with_their_own_connections_keep_the_chain_intact():
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=write_events, args=(w, start, errors)) for w in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(writers_in_id_order()) == WRITERS * EACH
    previous = list(AuditEvent.objects.values_list("previous_digest", flat=True))
    assert len(set(previous)) == len(previous)  # no two rows claim the same predecessor
    assert first_broken_link() is None


WRITER_SCRIPT = """
import os, time
from sanzhang.audit.services import record
while time.time() < float(os.environ["START_AT"]):
    time.sleep(0.01)
for n in range({each}):
    record("test.concurrent", detail={{"writer": int(os.environ["WRITER"]), "n": n}})
    time.sleep(0.005)  # like requests, not a tight loop, so the others get their turn
"""


def real_time() -> float:
    """The clock the writers read: the real one, past any time travel of this session (such as
    SANZHANG_TEST_CLOCK_OFFSET_DAYS, `make test-future`)."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.time.time()
    return time.time()


def manage(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "manage.py", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, text=True, stderr=subprocess.PIPE)


def test_processes_writing_to_one_sqlite_file_keep_the_chain_intact(tmp_path):
    env = {**os.environ, "VAR_DIR": str(tmp_path), "DATABASE_URL": "", "DEBUG": "true"}
    assert manage(env, "migrate", "-v0").wait() == 0
    start_at = str(real_time() + 4)  # every writer past Django's start-up before the first write
    script = WRITER_SCRIPT.format(each=EACH)
    writers = [
        manage({**env, "WRITER": str(w), "START_AT": start_at}, "shell", "-c", script)
        for w in range(WRITERS)
    ]
    for writer in writers:
        _, stderr = writer.communicate(timeout=120)
        assert writer.returncode == 0, stderr
    check = manage(env, "verify_audit_chain")
    _, stderr = check.communicate(timeout=60)
    assert check.returncode == 0, stderr
    order = audit_writers_in_file(tmp_path / "sanzhang.sqlite3")
    assert len(order) == WRITERS * EACH
    switches = sum(a != b for a, b in pairwise(order))
    assert switches >= WRITERS  # more than one run per writer: they did interleave


def audit_writers_in_file(path: Path) -> list[int]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT detail FROM audit_auditevent ORDER BY id").fetchall()
    return [json.loads(detail)["writer"] for (detail,) in rows]
