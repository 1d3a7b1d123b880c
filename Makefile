# Anxun 安巡 — `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8000
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
	fonts-noto-cjk poppler-utils chromium python3-venv
export FLASK_APP := anxun.app:create_app

.PHONY: setup system run serve worker test lint format clean

setup: system $(STAMP)

# apt-get only when something is missing; a machine that has everything is left alone.
system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  if [ "$$p" = python3-venv ] && $(PY) -c 'import venv, ensurepip' 2>/dev/null; then continue; fi; \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $@

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask anxun checklists load
	$(BIN)/flask anxun pwa manifest
	$(BIN)/flask anxun seed --if-empty
	@echo "安巡 serving on http://127.0.0.1:$(PORT)/  (API docs: /api/v1/docs)"
	PORT=$(PORT) $(BIN)/gunicorn -c python:anxun.web.gunicorn_conf

# Production-style server (same app and gunicorn settings, outbox deliveries through RQ).
serve: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask anxun checklists load
	$(BIN)/flask anxun pwa manifest
	ANXUN_DISPATCH_MODE=$${ANXUN_DISPATCH_MODE:-rq} \
	  PORT=$(PORT) $(BIN)/gunicorn -c python:anxun.web.gunicorn_conf

# Production background worker: outbox deliveries (and PDF batches) from Redis.
worker: setup
	ANXUN_DISPATCH_MODE=rq $(BIN)/rq worker anxun --url $${ANXUN_REDIS_URL:-redis://127.0.0.1:6379/0}

lint: setup
	$(BIN)/ruff check backend tests $(wildcard bench)
	$(BIN)/ruff format --check backend tests $(wildcard bench)

format: setup
	$(BIN)/ruff check --fix backend tests $(wildcard bench)
	$(BIN)/ruff format backend tests $(wildcard bench)

# The suite runs in TEST_WORKERS processes (pytest-xdist, whole files per process; each process has
# its own PostgreSQL database and Redis number, see tests/conftest.py). TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= 2
test: setup lint
	$(BIN)/python -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .schemathesis
