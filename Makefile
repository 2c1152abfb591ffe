# waflow developer commands. `make demo` and `make test` are the README quick start.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Chat with the demo bot in this terminal (sandbox: SQLite, no Meta account).
demo: $(STAMP)
	WAFLOW_FLOWS=examples/demo/flows DATABASE_URL=sqlite:///examples/demo/demo.db $(BIN)/waflow chat

## Serve the demo bot's webhook on http://127.0.0.1:8000/webhook (sandbox).
run: $(STAMP)
	WAFLOW_FLOWS=examples/demo/flows DATABASE_URL=sqlite:///examples/demo/demo.db $(BIN)/waflow run

## The whole test suite (starts a throwaway PostgreSQL when one is installed).
test: $(STAMP)
	scripts/with-postgres.sh $(BIN)/python -m pytest

## Lint and type-check.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Benchmarks (prints figures; see docs/benchmarks.md).
bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
