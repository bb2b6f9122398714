# nevsim: `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/nevsim run

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) benchmarks/run.py
	$(PY) benchmarks/network.py
	$(PY) benchmarks/orlib.py
	$(PY) benchmarks/program.py
	$(PY) benchmarks/partnership.py
	$(PY) benchmarks/experiments.py
	$(PY) benchmarks/analytic.py
	$(PY) benchmarks/sequencing.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
