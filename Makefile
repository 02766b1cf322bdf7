# Two commands do all the set-up: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint check browser bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## Serve the directory on http://127.0.0.1:8000 (SQLite, demo data when empty).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py runserver $(HOST):$(PORT)

## The whole test suite (the database comes from DATABASE_URL; SQLite by default).
test: install browser
	$(PY) -m pytest

## Tests without the real-browser ones, for a quick loop.
test-fast: install
	$(PY) -m pytest -m "not browser"

lint: install
	$(VENV)/bin/ruff check .

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

## What the tests need from the system: Debian's Chromium (Playwright never downloads a browser here), GNU
## gettext (the Spanish catalogue's checks), Poppler (PDF pages drawn as images), HarfBuzz's subsetter
## (WeasyPrint warns without it) and a Redis on 127.0.0.1:6379 (the shared rate limits).
browser:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset.so || missing="$$missing libharfbuzz-subset0"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing$$missing for the tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need:$$missing (sudo apt-get install$$missing)."; exit 1; \
	  fi; \
	fi
	@(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null || \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
