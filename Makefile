# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test lint bench browser clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -qq -e .
	touch $@

$(TSTAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install -qq -e '.[test,spark]'
	touch $@

demo: $(STAMP)
	$(BIN)/oversight demo

browser:
	@bash scripts/install-browser.sh

test: $(TSTAMP)
	@bash scripts/install-browser.sh || echo "note: browser tests will be skipped (chromium could not be installed)"
	@bash scripts/install-java.sh || echo "note: Spark tests will be skipped (no Java runtime could be installed)"
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest

lint: $(TSTAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache
