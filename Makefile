# The two set-up commands: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SCALE ?= 1

.PHONY: install demo serve worker migrate test test-pg test-future lint format bench bench-pg load-test messages vendor check

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --no-input

demo: migrate
	$(MANAGE) load_demo --scale $(DEMO_SCALE)
	$(MANAGE) demo_accounts --base-url http://$(HOST):$(PORT)
	$(MANAGE) scheduler & $(MANAGE) db_worker --no-reload & trap "kill %1 %2 2>/dev/null" EXIT; $(MANAGE) runserver $(HOST):$(PORT)

# The background worker and the scheduler that queues timed work (overdue escalation, the
# outgoing notices' sweep); `make demo` starts both beside the server. The worker is the one of
# TASKS_ENGINE (as in settings.py): database (default) or redis (RQ, on REDIS_URL).
TASKS_ENGINE ?= database
ifeq ($(TASKS_ENGINE),redis)
WORKER := rqworker --job-class django_tasks_rq.Job default
else
WORKER := db_worker
endif

worker: migrate
	$(MANAGE) scheduler & trap "kill %1 2>/dev/null" EXIT; $(MANAGE) $(WORKER)

serve: migrate
	$(MANAGE) runserver $(HOST):$(PORT)

# SQLite tests run on a file, as production does: threads sharing an in-memory database
# would fail on locks at once instead of waiting (the concurrency tests need real waiting).
test: install
	scripts/system-deps
	SQLITE_TEST_NAME=$${SQLITE_TEST_NAME:-$(CURDIR)/var/test-sqlite3} $(VENV)/bin/pytest $(PYTEST_ARGS)

# The suite with the clock FUTURE_DAYS ahead (sanzhang/conftest.py: SANZHANG_TEST_CLOCK_OFFSET_DAYS,
# a ticking time_machine travel for the whole session): no test may lean on today's date.
FUTURE_DAYS ?= 365
test-future: install
	SANZHANG_TEST_CLOCK_OFFSET_DAYS=$(FUTURE_DAYS) \
	SQLITE_TEST_NAME=$${SQLITE_TEST_NAME:-$(CURDIR)/var/test-future-sqlite3} $(MAKE) test

test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sanzhang} $(MAKE) test

# Static security checks (docs/security.md, "Static checks"). bandit warns "nosec encountered,
# but no failed test" for the other nodes of a line that carries `# nosec BXXX` (a dict, a joined
# f-string): noise, not a finding; the filter drops only that message, the status stays bandit's.
# semgrep runs offline: the rules in .semgrep/rules/, no registry, no metrics, no version check.
# Its rule tests pass with "No unit tests found" too, so the summary line is required.
SEMGREP := $(VENV)/bin/semgrep
SEMGREP_OFFLINE := --metrics=off --disable-version-check
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy sanzhang
	set -o pipefail; $(VENV)/bin/bandit -c pyproject.toml -r sanzhang -q 2>&1 \
	  | { grep -v "nosec encountered (B[0-9]*), but no failed test" || true; }
	$(SEMGREP) scan --config .semgrep/rules/ $(SEMGREP_OFFLINE) --error --quiet sanzhang
	out=$$($(SEMGREP) --test --config .semgrep/rules/ .semgrep/tests/ $(SEMGREP_OFFLINE) --quiet); \
	  status=$$?; echo "$$out"; [ $$status -eq 0 ] && [[ "$$out" == *"All tests passed"* ]]
	$(VENV)/bin/lint-imports
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) -m bench

# The same benches on PostgreSQL (bench/pg.py): a database per bench on BENCH_PG_URL's server
# (default the local one, trust auth), dropped at the end.
bench-pg: install
	BENCH_DATABASE=postgres $(PY) -m bench $(BENCH_ARGS)

# Locust against two gunicorn nodes behind HAProxy, PostgreSQL, RQ on Redis and media on moto's
# S3 server (bench/load/run.py; LOAD_ARGS="--users 40 --seconds 90 --fresh").
load-test: install
	$(PY) -m bench.load.run $(LOAD_ARGS)

# Each app keeps its own catalogue (its locale/ folder); the strings of the package's own
# modules (api.py, settings.py) live in core's.
messages: install
	for app in sanzhang/*/locale; do \
	  (cd $$(dirname $$app) && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l zh_Hans --no-obsolete --ignore "tests/*") || exit 1; \
	done
	cd sanzhang && $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages -l zh_Hans

vendor:
	scripts/vendor-assets
