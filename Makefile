# Jixiao — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEED := tests/fixtures/minhang_2024_08.txt

.PHONY: install run test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Demo data and accounts, then the web application on http://127.0.0.1:8000/ (JIXIAO_DEMO_PASSWORD
# sets the accounts' password; otherwise `jixiao demo` prints a generated one).
run: install
	JIXIAO_DEBUG=1 $(BIN)/jixiao demo
	JIXIAO_DEBUG=1 $(BIN)/jixiao serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

# The whole suite on SQLite; then everything that touches a database once more on a temporary
# PostgreSQL cluster: the integration tests, and the browser tests against `jixiao serve
# --production` (gunicorn). The unit tests need no database (pyproject.toml), so they run once.
test: install lint
	scripts/setup-system.sh
	$(BIN)/python -m pytest
	scripts/with-postgres.sh $(BIN)/python -m pytest tests/integration
	JIXIAO_E2E_SERVER=production scripts/with-postgres.sh $(BIN)/python -m pytest tests/e2e

# Every figure of the performance goals, on this machine. Heavy (about a quarter of an hour at the
# default 100,000 forms); BENCH_FORMS=10000 BENCH_SECONDS=15 make bench tries it quickly.
# The growth step (pages at 10^4 and 10^5 forms on PostgreSQL) is skipped with BENCH_GROWTH=0;
# BENCH_GROWTH_MAX=1000000 adds 10^6 forms (a quarter of an hour more, several GiB of disk).
bench: install
	scripts/setup-system.sh
	$(BIN)/python -m compileall -q src  # as an installed package would be: timings exclude compiling
	$(BIN)/python bench/parse_check.py
	$(BIN)/python bench/formats_bench.py
	$(BIN)/python bench/forecast_backtest.py
	$(BIN)/python bench/benchmarking_bench.py
	scripts/with-postgres.sh $(BIN)/python bench/scale_bench.py
	if [ "$${BENCH_GROWTH:-1}" != 0 ]; then scripts/with-postgres.sh $(BIN)/python bench/growth_bench.py; fi

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
