# Two commands for a fresh clone: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test chromium fuzz install lint format schema lock clean bench bench-data bench-check bench-explain gate

run: install  ## migrate, load demo data into an empty database, serve on http://127.0.0.1:8000/graphql
	$(BIN)/ogp-wg db upgrade
	$(BIN)/ogp-wg demo --if-empty
	$(BIN)/ogp-wg serve

test: install chromium  ## the whole suite (SQLite; PostgreSQL too when OGP_WG_TEST_DATABASE_URL is set)
	$(BIN)/pytest

# The GraphiQL browser test (tests/test_graphiql.py) drives Debian's Chromium through Playwright
# (no Playwright browser download); installed here, once, when it is missing (needs root).
chromium:
	@test -x /usr/bin/chromium || { echo "installing Debian's chromium for the browser test"; \
	  apt-get update -qq && apt-get install -y --no-install-recommends chromium; }

FUZZ_EXAMPLES ?= 400
fuzz: install  ## generated queries + mutations per role, random seed, FUZZ_EXAMPLES per role and mode
	OGP_WG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/test_generated_roles.py -p no:cacheprovider

install: $(STAMP)

# The example partner plugin is installed too (editable), as a partner's package would be: the
# suite must pass whatever plugins sit next to the built-in ones, and CI proves it with this one.
$(STAMP): requirements.lock pyproject.toml examples/gender_inclusion/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e examples/gender_inclusion
	@touch $(STAMP)

lint: install  ## ruff check, ruff format --check, mypy on core/ (CI runs it before the tests)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy core

format: install
	$(BIN)/ruff format .

schema: install  ## regenerate schema.graphql (the built-in plugins only) after a schema change
	$(BIN)/ogp-wg schema --built-in > schema.graphql

lock:  ## re-resolve dependencies from pyproject.toml into requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade '.[dev]' setuptools wheel
	{ echo "# Locked runtime + dev dependencies; regenerate with 'make lock'."; \
	  .lock-venv/bin/pip freeze --all | grep -v -i -e '^ogp-working-groups' -e '^pip=='; } > requirements.lock
	rm -rf .lock-venv

# --- performance (issue 3): see bench/README.md and bench/RESULTS.md ---------------------------
BENCH_DB   ?= postgresql+asyncpg://postgres@127.0.0.1:5432/ogp_bench
BENCH_ARGS ?= --duration 10 --rounds 3 --soak 300

bench: install bench/postgraphile/node_modules/.package-lock.json  ## CLEARS $$(BENCH_DB); needs PostgreSQL, wrk, Node 20
	$(BIN)/python -m bench.generate --scale large --database-url $(BENCH_DB)
	$(BIN)/python -m bench.run --database-url $(BENCH_DB) $(BENCH_ARGS)

bench/postgraphile/node_modules/.package-lock.json: bench/postgraphile/package-lock.json
	cd bench/postgraphile && npm ci --no-audit --no-fund

bench-data: install  ## "large" benchmark data into $$(BENCH_DB) (CLEARS it)
	$(BIN)/python -m bench.generate --scale large --database-url $(BENCH_DB)

bench-explain: install  ## EXPLAIN every page's SQL on $$(BENCH_DB): no seq scan of a large table
	$(BIN)/python -m bench.explain --database-url $(BENCH_DB)

gate: install  ## deterministic instruction-count regression gate (valgrind)
	$(BIN)/python -m bench.gate

clean:
	rm -rf $(VENV) var .pytest_cache
