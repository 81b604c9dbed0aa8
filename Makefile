# The front door: `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: run test test-timing lint bench services stop migrate messages install clean-db

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
	@bash scripts/ensure_pdf_libs.sh

services: install
	@$(PY) scripts/services.py up

messages: install
	@$(PY) scripts/i18n.py compile

migrate: services messages
	@$(MANAGE) migrate_schemas --shared -v 0
	@$(MANAGE) setup_public
	@$(MANAGE) migrate_schemas --tenant -v 0

run: migrate
	@$(MANAGE) seed_demo
	@$(MANAGE) pool_fill
	@$(PY) scripts/run.py

# Parallel workers (pytest-xdist), one per core up to 4: each has its own test database,
# Redis databases, media folder and live server (config/settings_test.py). TEST_WORKERS=0: serial.
# `worksteal`: each worker starts with a contiguous half of the tests and an idle one takes
# half of what another still has queued, so no worker waits while a long file finishes.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)

test: services messages
	@bash scripts/ensure_chromium.sh
	@$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=30 --durations-min=5 $(PYTEST_ARGS)

# The tests that assert how long something takes (marker `timing`, left out of `make test`).
test-timing: services messages
	@$(PY) -m pytest -m timing $(PYTEST_ARGS)

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy .
	@$(VENV)/bin/lint-imports --no-cache

# Every bench writes bench/results/<name>.json and exits 1 on an error or a missed goal;
# all of them run, then README's bench blocks are regenerated from the JSON files.
# `make bench BENCH_ARGS=--quick` checks that they work (results in bench/results/quick/).
BENCHES := seed_big provision hashing signup_browser crm_lists dashboard invoices load lighthouse backup
bench: migrate
	@failed=""; for b in $(BENCHES); do echo "== bench/$$b.py $(BENCH_ARGS)"; \
		$(PY) bench/$$b.py $(BENCH_ARGS) || failed="$$failed $$b"; done; \
	$(PY) scripts/bench_report.py; \
	if [ -n "$$failed" ]; then echo "benches that failed or missed a goal:$$failed"; exit 1; fi

stop:
	@$(PY) scripts/services.py down
