# Tryggnav: `make demo` and `make test` are all a new user needs (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# Django 6 needs Python 3.12 or newer: take the first one found on PATH or under pyenv
# (3.12 first: the version the constraints were made with).
PYTHON ?= $(shell for p in python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) python3.13 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v $$p; break; fi; done)
PIP := $(BIN)/python -m pip
PIP_FLAGS := --disable-pip-version-check --quiet

.PHONY: help demo test test-postgres test-browser test-production lint bench install install-dev run migrate constraints clean

help:
	@echo "make demo   – install, migrate, load demo data and serve on http://127.0.0.1:8000 (with a task worker)"
	@echo "make test   – install dev dependencies and run the whole test suite"
	@echo "make lint   – ruff and mypy"
	@echo "make bench  – performance benchmarks (bench/)"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 eller nyare behövs (Django 6) / Python 3.12+ is required (Django 6)"; exit 1; fi
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt constraints.txt pyproject.toml
	$(PIP) install $(PIP_FLAGS) --upgrade pip
	$(PIP) install $(PIP_FLAGS) -r requirements.txt -c constraints.txt
	$(PIP) install $(PIP_FLAGS) --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PIP) install $(PIP_FLAGS) -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.dev-installed

migrate: install
	DEBUG=1 $(BIN)/tryggnav migrate --no-input -v 0
	DEBUG=1 $(BIN)/tryggnav createcachetable

demo: migrate
	DEBUG=1 $(BIN)/tryggnav load_demo
	@echo ""
	@echo "Tryggnav körs på / is running on http://127.0.0.1:8000 (Ctrl-C avslutar / stops)"
	@echo "med en bakgrundsprocess för stora importer / with a worker for large imports"
	@DEBUG=1 $(BIN)/tryggnav db_worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	DEBUG=1 $(BIN)/tryggnav runserver 127.0.0.1:8000

run: migrate
	DEBUG=1 $(BIN)/tryggnav runserver 127.0.0.1:8000

# Browser tests run in their own process: they need a live server and flush the
# database, which the other tests share per worker.
test: install-dev
	$(BIN)/python -m pytest -n 2 -m "not browser"
	$(BIN)/python -m pytest -m browser

test-postgres: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -n 2 -m "not browser"

# DEBUG off, PostgreSQL, collectstatic and gunicorn, crawled as every demo persona.
test-production: install-dev
	bash .ci/production-check

test-browser: install-dev
	$(BIN)/python -m pytest -m browser

lint: install-dev
	$(BIN)/ruff check tryggnav tests bench
	$(BIN)/ruff format --check tryggnav tests bench
	$(BIN)/mypy tryggnav

bench: install-dev
	$(BIN)/python bench/run.py

constraints: install-dev
	( echo "# Exact versions of every installed package (runtime and dev), used as pip constraints"; \
	  echo "# so a fresh machine gets the same tree. Regenerate with: make constraints"; \
	  $(PIP) freeze --exclude-editable ) > constraints.txt

clean:
	rm -rf $(VENV) var
