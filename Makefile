# Marsad — the two commands are `make run` and `make test`; everything else is set-up they call.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Quiet, offline-friendly Prefect defaults live in one place, flows/prefect_env.py, which the
# `marsad` command, the tests (conftest.py) and the pipeline bench apply before importing Prefect.

.PHONY: install run test test-fast bench lint clean test-deps model

install: $(STAMP)

# Re-install only when pyproject.toml changes (the stamp is older than it).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
	@echo "installing marsad and its dependencies into $(VENV) (first time takes a minute)…"
	@$(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]' > $(VENV)/install.log 2>&1 \
		|| { tail -n 30 $(VENV)/install.log; echo "install failed: see $(VENV)/install.log" >&2; exit 1; }
	@$(BIN)/python -c "import flows.cli, prefect, trafilatura, duckdb, langdetect" 
	@touch $(STAMP)

run: install
	@$(BIN)/marsad run

test-deps: install
	@bash scripts/install-test-deps.sh

test: test-deps
	@$(BIN)/python -m pytest

# The inner loop: everything but the tests marked slow (real Prefect servers, browsers,
# killed runs, the extraction benchmark). `make test` runs them all.
test-fast: install
	@$(BIN)/python -m pytest -m "not slow" -q

# The topic model (config/topic_model.json.gz) from the labelled files: deterministic, no download.
model: install
	@$(BIN)/python scripts/build_model.py

bench: install
	@$(BIN)/python -m bench.run_all

lint: install
	@$(BIN)/ruff check .
	@$(BIN)/mypy extractors warehouse flows dashboards

clean:
	rm -rf $(VENV) data .pytest_cache
