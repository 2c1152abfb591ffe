# waflow developer commands. `make demo` and `make test` are the README quick start.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo run console-user test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The example bakery shop (examples/shop_bot), with paths relative to the repository root.
SHOP_BOT := WAFLOW_BUSINESS=examples/shop_bot/business.yaml WAFLOW_FLOWS=examples/shop_bot/flows \
	WAFLOW_HOOKS=examples/shop_bot/hooks.py DATABASE_URL=sqlite:///examples/shop_bot/shop.db

## Chat with the example bakery shop in this terminal (sandbox: SQLite, no Meta account).
demo: $(STAMP)
	$(SHOP_BOT) $(BIN)/waflow chat

## Serve the example shop's webhook and console on http://127.0.0.1:8000 (sandbox: nothing is sent).
run: $(STAMP)
	$(SHOP_BOT) WHATSAPP_ACCESS_TOKEN= $(BIN)/waflow run

## An owner account for the example shop's console: make console-user EMAIL=you@example.com
EMAIL ?= owner@example.com
console-user: $(STAMP)
	$(SHOP_BOT) $(BIN)/waflow staff add $(EMAIL) --role owner

## The whole test suite (starts a throwaway PostgreSQL when one is installed).
test: $(STAMP)
	scripts/with-postgres.sh $(BIN)/python -m pytest

## Lint, type-check and check the layers (import-linter contracts in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## Benchmarks (prints figures; see docs/benchmarks.md).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
