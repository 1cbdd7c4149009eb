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

run: install
	$(BIN)/jixiao check $(SEED); test $$? -le 1

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

test: install lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/parse_check.py
	$(BIN)/python bench/formats_bench.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
