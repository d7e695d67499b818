# nenghao: one entry point for setting up, running and testing the platform.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: set up, build the demo city into var/ (SQLite) and serve it at http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/nenghao demo --data-dir var

## test: set up and run the whole test suite (lint, types, tests)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src/nenghao/standards src/nenghao/accounting
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy src/nenghao/standards src/nenghao/accounting

## bench: print the performance figures (see docs/performance.md)
bench: $(STAMP)
	$(BIN)/python benchmarks/monthly_aggregation.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
