# Two commands for a fresh clone: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint format schema lock clean

run: install  ## migrate, load demo data into an empty database, serve on http://127.0.0.1:8000/graphql
	$(BIN)/ogp-wg db upgrade
	$(BIN)/ogp-wg demo --if-empty
	$(BIN)/ogp-wg serve

test: install  ## the whole suite (SQLite; PostgreSQL too when OGP_WG_TEST_DATABASE_URL is set)
	$(BIN)/pytest

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .

schema: install  ## regenerate schema.graphql after a schema change
	$(BIN)/ogp-wg schema > schema.graphql

lock:  ## re-resolve dependencies from pyproject.toml into requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet '.[dev]' setuptools wheel
	{ echo "# Locked runtime + dev dependencies; regenerate with 'make lock'."; \
	  .lock-venv/bin/pip freeze --all | grep -v -i -e '^ogp-working-groups' -e '^pip=='; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) var .pytest_cache
