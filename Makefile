# Two entry points for a fresh machine: `make demo` and `make test`.
# Each creates .venv when missing and installs the package into it first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= demo-out
DEMO_USERS ?= 2000

.PHONY: demo test lint typecheck unit install clean browsers poppler

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/atomation demo --users $(DEMO_USERS) --out $(DEMO_OUT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# The report tests render PDF pages to PNG with pdftoppm (Debian's poppler-utils).
poppler:
	@command -v pdftoppm >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq poppler-utils)

# The browser tests drive Debian's chromium (tests/browser); install it when missing.
browsers:
	@test -x /usr/bin/chromium || \
		(apt-get update -qq && apt-get install -y -qq chromium)

unit: $(STAMP) poppler browsers
	$(BIN)/pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache $(DEMO_OUT)
