# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench golden clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: install, read a sample report, ingest corpus/ into snhr.db and print the series
demo: $(STAMP)
	$(BIN)/snhr extract corpus/2023-12.pdf
	$(BIN)/snhr ingest corpus/ --db snhr.db
	$(BIN)/snhr export timeseries --db snhr.db

## test: the whole suite (golden files, patterns, PDFs, bad inputs, robustness)
test: $(STAMP)
	$(BIN)/python -m pytest -q

## lint: ruff and mypy --strict
lint: $(STAMP)
	$(BIN)/ruff check extractor tests benchmarks
	$(BIN)/mypy

## bench: speed against raw pymupdf and pdfplumber, then each stage's CPU per page (see docs/performance.md)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	taskset -c 0 $(BIN)/python benchmarks/stages.py

## golden: rewrite golden/ from the current extractor and show the diff; fails on any change
## unless ACCEPT=1 (read the passage in the report first; golden/*.key.toml must still pass)
golden: $(STAMP)
	$(BIN)/python -m pytest -q tests/test_golden.py tests/test_eras.py::test_matches_golden --update-golden
	git --no-pager diff --stat --exit-code -- golden/ || { git --no-pager diff -- golden/; \
	  if [ "$(ACCEPT)" = "1" ]; then echo "golden/ changed: accepted (ACCEPT=1)"; \
	  else git checkout -- golden/; echo "golden/ would change; review the diff above, then make golden ACCEPT=1"; exit 1; fi; }
	$(BIN)/python -m pytest -q tests/test_key_figures.py tests/test_eras.py::test_key_figures

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache snhr.db*
