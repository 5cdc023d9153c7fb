# vigil — every target installs what it needs from scratch into .venv (python3 -m venv + pip).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
DB     ?= vigil.db

.PHONY: install run test lint typecheck pytest bench clean screenshots

# Debian packages the tests need (real redis-server + PostgreSQL, headless Chromium), installed only if missing.
include mk/services.mk
include mk/browser.mk

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(VENV)/bin/vigil run --demo --db $(DB)

lint: install
	$(VENV)/bin/ruff check src tests benchmarks examples

typecheck: install
	$(VENV)/bin/mypy

pytest: install services-install browser-install
	$(VENV)/bin/pytest -q

test: lint typecheck pytest

bench: install
	$(PY) benchmarks/run.py --out docs/benchmarks.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist src/*.egg-info

# Refresh the README screenshots (docs/img) from the browser test.
screenshots: install browser-install
	VIGIL_SCREENSHOTS=1 $(VENV)/bin/pytest -q tests/test_browser.py
