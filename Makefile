# nenghao: one entry point for setting up, running and testing the platform.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench clean web FORCE

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The web dashboard (web/, Vue + Vite) is built into src/nenghao/web/dist, which the API app
# serves at /. Its TypeScript API types are generated from the app's OpenAPI document.
WEB_DIST := src/nenghao/web/dist/index.html
WEB_NODE := web/node_modules/.ci-stamp
WEB_OPENAPI := build/web/openapi.json
WEB_SRC := $(shell find web/src web/public -type f -not -name schema.d.ts 2>/dev/null) \
	web/index.html web/vite.config.ts web/tsconfig.json web/package.json

$(WEB_NODE): web/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js >= 20.19) is needed to build the web dashboard" >&2; exit 1; }
	cd web && npm ci --no-audit --no-fund --prefer-offline
	touch $@

# Exported on every run (about a second); the file is rewritten only when the document changed.
$(WEB_OPENAPI): $(STAMP) FORCE
	$(BIN)/python -m nenghao.app.openapi_export $@

$(WEB_DIST): $(WEB_NODE) $(WEB_OPENAPI) $(WEB_SRC)
	cd web && npm run --silent gen:openapi && npm run --silent build

## web: build the dashboard (npm ci, API types from OpenAPI, type check, vite build)
web: $(WEB_DIST)

FORCE:

## demo: set up, build the demo city into var/ (SQLite) and serve it at http://127.0.0.1:8000
demo: $(STAMP) web
	bash scripts/system-packages.sh demo
	$(BIN)/nenghao demo --data-dir var

## test: set up and run the whole test suite (lint, types, tests; the web build for tests/web)
test: $(STAMP) web
	bash scripts/system-packages.sh test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pylint src/nenghao
	$(BIN)/mypy src/nenghao
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --durations=15

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pylint src/nenghao

typecheck: $(STAMP)
	$(BIN)/mypy src/nenghao

## bench: print the performance figures (see docs/performance.md)
bench: $(STAMP) web
	$(BIN)/python benchmarks/monthly_aggregation.py
	$(BIN)/python benchmarks/web_render.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache build/web web/node_modules src/nenghao/web/dist
