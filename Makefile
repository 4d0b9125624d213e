# Two commands for a fresh clone: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test chromium frontend-tools fuzz install lint format schema lock clean bench bench-data bench-check bench-explain gate

run: install  ## migrate, load demo data into an empty database, serve on http://127.0.0.1:8000/graphql
	$(BIN)/ogp-wg db upgrade
	$(BIN)/ogp-wg demo --if-empty
	$(BIN)/ogp-wg serve

# One pytest-xdist worker per core (each on a PostgreSQL database of its own: core.testing);
# `make test TEST_WORKERS=0` runs in one process. Tests marked `slow` (real server processes, a
# PostgreSQL cluster of their own, browsers) run in CI (CI=1, as .ci/run sets) or with
# `make test TEST_MARKS=`; a developer's `make test` skips them to stay quick.
TEST_WORKERS ?= auto
TEST_MARKS ?= $(if $(CI),,-m "not slow")
test: install chromium frontend-tools  ## the suite (SQLite; PostgreSQL too when OGP_WG_TEST_DATABASE_URL is set)
	$(BIN)/pytest -n $(TEST_WORKERS) $(TEST_MARKS)

# The GraphiQL browser test (tests/test_graphiql.py) drives Debian's Chromium through Playwright
# (no Playwright browser download); installed here, once, when it is missing (needs root).
chromium:
	@test -x /usr/bin/chromium || { echo "installing Debian's chromium for the browser test"; \
	  apt-get update -qq && apt-get install -y --no-install-recommends chromium; }

# graphql-codegen and relay-compiler for tests/test_frontend_tools.py, pinned by the lock file in
# tests/frontend; installed when npm is present (without node and npm that test is skipped).
frontend-tools:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory tests/frontend/node_modules/.package-lock.json; \
	  else echo "npm not found: tests/test_frontend_tools.py will be skipped"; fi

tests/frontend/node_modules/.package-lock.json: tests/frontend/package-lock.json
	@echo "installing graphql-codegen and relay-compiler (tests/frontend, npm ci)"
	cd tests/frontend && npm ci --no-audit --no-fund --loglevel=error

FUZZ_EXAMPLES ?= 400
fuzz: install  ## generated queries + mutations per role, random seed, FUZZ_EXAMPLES per role and mode
	OGP_WG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/test_generated_roles.py -p no:cacheprovider

# The deployment guide's check (tests/test_deploy_guide.py) runs docs/deploy.md's nginx file in an
# nginx of its own: Debian's nginx-light, installed here once when missing (needs root; RUNLEVEL=1
# keeps the package from starting a system-wide nginx).
.PHONY: nginx
test: nginx
nginx:
	@test -x /usr/sbin/nginx || { echo "installing Debian's nginx-light for the deployment guide's check"; \
	  apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light; }

install: $(STAMP)

# The example partner plugin is installed too (editable), as a partner's package would be: the
# suite must pass whatever plugins sit next to the built-in ones, and CI proves it with this one.
$(STAMP): requirements.lock pyproject.toml examples/gender_inclusion/pyproject.toml
	@test -x $(BIN)/python || { echo "install: creating the virtual environment $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "install: installing locked dependencies from requirements.lock (about a minute the first time)..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@echo "install: installing ogp-working-groups itself (editable)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@echo "install: installing the example partner plugin examples/gender_inclusion (editable)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e examples/gender_inclusion
	@touch $(STAMP)
	@echo "install: done ($$($(BIN)/ogp-wg --version))"

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
BENCH_FLAT_DB ?= postgresql+asyncpg://postgres@127.0.0.1:5432/ogp_flat
BENCH_SQLITE ?= sqlite+aiosqlite:///var/bench-demo.sqlite3
BENCH_ARGS ?= --duration 10 --rounds 3 --soak 300
# then read pages of other shapes than the mix's (bench/shapes.py), ogp-wg against PostGraphile
BENCH_SHAPES_ARGS ?= --duration 10 --rounds 3 --skip-startup --servers ours,postgraphile \
	--pages organization_directory,webinar_list,member_list --output bench/results/shapes.md

# then issue 12's targets that need other data: SQLite's compiled path against its resolver path
# (the demo data), and the cost of each page at 1,000 and 200,000 registrations
bench: install bench/postgraphile/node_modules/.package-lock.json  ## CLEARS $$(BENCH_DB) and $$(BENCH_FLAT_DB) (createdb both: bench/README.md); needs PostgreSQL, wrk, Node 20
	$(BIN)/python -m bench.generate --scale large --database-url $(BENCH_DB)
	$(BIN)/python -m bench.run --database-url $(BENCH_DB) $(BENCH_ARGS)
	$(BIN)/python -m bench.run --database-url $(BENCH_DB) $(BENCH_SHAPES_ARGS)
	mkdir -p var bench/results && rm -f var/bench-demo.sqlite3
	OGP_WG_DATABASE_URL=$(BENCH_SQLITE) $(BIN)/ogp-wg db upgrade
	OGP_WG_DATABASE_URL=$(BENCH_SQLITE) $(BIN)/ogp-wg demo
	PYTHONPATH=. $(BIN)/python bench/compiled_pages.py $(BENCH_SQLITE) 20 > bench/results/sqlite.txt
	cat bench/results/sqlite.txt
	$(BIN)/python -m bench.flat --database-url $(BENCH_FLAT_DB) > bench/results/flat.md
	cat bench/results/flat.md

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
