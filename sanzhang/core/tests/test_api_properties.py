"""Every operation of the OpenAPI document, called with inputs schemathesis draws from the
document itself, as an anonymous caller, a resident and the county office: no answer may be
a server error, carry a status the operation does not document, or break its schema.

Bounded so that it runs in CI: EXAMPLES cases per operation and caller, valid and invalid
ones mixed, derandomized (the same cases every run), no shrinking. The calls go to the Django
WSGI app in this process, on the test's own database connection, and each one is rolled
back, so every case meets the same issue loop (a county with places, a resident with a
household, the leaders above them, the county office).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ninja.responses import NinjaJSONEncoder
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from sanzhang.api import api
from sanzhang.people.models import User
from sanzhang.security import tokens

EXAMPLES = 20  # per operation and caller
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
CALLERS = ["anonymous", "resident", "county_officer"]
# Fixed cases (a seed, derandomized); no shrinking, since each failure reports its own curl.
BOUNDS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# Operations that still fail, by caller, each with a note of why: the test asserts they do
# fail, so a fix is noticed (and the entry removed) rather than the list left to rot.
KNOWN_FAILURES: dict[str, dict[str, str]] = {caller: {} for caller in CALLERS}


def _operations() -> list[APIOperation]:
    # The document as /api/openapi.json serves it (string status keys), without a request:
    # the served one needs a sign-in when DEBUG is off, as it is under pytest.
    document = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    # No schemathesis.toml is looked for up the directory tree: the bounds are all here.
    config = schemathesis.Config.from_dict({})
    loaded = schemathesis.openapi.from_dict(document, config=config)
    return [result.ok() for result in loaded.get_all_operations()]


@pytest.fixture(scope="module")
def app() -> WSGIHandler:
    return WSGIHandler()


@pytest.fixture
def in_process() -> Iterator[list[BaseException]]:
    """The app on the test's connection, and the exceptions behind any 500 it answers.

    A real request closes "old" connections when it starts and ends, which inside the test's
    transaction would close the connection and lose the fixtures; Django's test client
    detaches the same handler. The exceptions are kept so a failure shows the traceback."""
    errors: list[BaseException] = []

    def keep(sender: Any, **kwargs: Any) -> None:
        if (error := sys.exc_info()[1]) is not None:
            errors.append(error)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(keep)
    try:
        yield errors
    finally:
        got_request_exception.disconnect(keep)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _bearer(user: User) -> dict[str, str]:
    _token, secret = tokens.issue(user, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


def _first_failure(
    operation: APIOperation,
    caller: dict[str, str],
    app: WSGIHandler,
    errors: list[BaseException],
    sent: list[str],
) -> str | None:
    """The first case of `operation` that the API answers wrongly, described, or None."""
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @BOUNDS
    @given(case=cases)
    def run(case: schemathesis.Case) -> None:
        errors.clear()
        sent.append(operation.label)
        with transaction.atomic():  # every case meets the same data
            response = case.call(app=app, headers=caller)
            transaction.set_rollback(True)
        try:
            case.validate_response(response, checks=CHECKS, headers=caller)
        except (Exception, BaseExceptionGroup) as failure:
            if errors:  # the traceback behind a 500
                raise failure from errors[0]
            raise

    try:
        run()
    except (Exception, BaseExceptionGroup) as failure:
        cause = "".join(traceback.format_exception(failure.__cause__)) if failure.__cause__ else ""
        return f"{failure}\n{cause}"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("caller_name", CALLERS)
def test_every_operation_answers_within_its_document(
    caller_name: str,
    request: pytest.FixtureRequest,
    loop: Any,
    app: WSGIHandler,
    in_process: list[BaseException],
) -> None:
    """As each caller: bearer tokens, so no cookie and no CSRF; anonymous sends none."""
    caller = {} if caller_name == "anonymous" else _bearer(request.getfixturevalue(caller_name))
    operations = _operations()
    assert len(operations) > 40, "the whole document"
    failures = {}
    sent: list[str] = []
    for operation in operations:
        failure = _first_failure(operation, caller, app, in_process, sent)
        if failure is not None:
            failures[operation.label] = failure
    # Each operation was called (a strategy that drew nothing would pass silently).
    assert {operation.label for operation in operations} == set(sent)
    known = KNOWN_FAILURES[caller_name]
    unexpected = {label: text for label, text in failures.items() if label not in known}
    assert not unexpected, "\n\n".join(f"{label}\n{text}" for label, text in unexpected.items())
    assert set(failures) == set(known), "fixed: take these off KNOWN_FAILURES"
