PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint contracts typecheck pytest bench soak snapshots bytecode clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project's metadata changes. Developers get the `audio` extra too; the
# package and its tests also work without it (CI may lack PortAudio: those tests skip).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,audio]'
	$(MAKE) bytecode
	touch $(STAMP)

# Compiled as pip compiles an installed package: an editable install is not, and where
# PYTHONDONTWRITEBYTECODE is set (common in containers) every start compiled all of rt_tui
# again (~100 ms before the first frame). A module edited since is compiled in memory.
bytecode: | $(BIN)/python
	$(BIN)/python -m compileall -q src

demo: $(STAMP)
	$(BIN)/rt-tui --demo

test: lint contracts typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

# The layers and the Textual-free cores, as import-linter contracts in pyproject.toml.
contracts: $(STAMP)
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

snapshots: $(STAMP)
	$(BIN)/pytest -q tests/snapshots --snapshot-update

# Every figure of the performance budget, side by side (under 10 minutes on 2 cores);
# BENCH_FLAGS=--quick for a smoke run. Results: benchmarks/results/latest.json.
bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH_FLAGS)

# The long-session benchmark: make soak MINUTES=10 (at least 10 for the 1-hour figures).
MINUTES ?= 10
soak: $(STAMP)
	$(BIN)/python -m benchmarks.soak --minutes $(MINUTES)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
