# vcio: `make run` renders the sample clients; `make test` runs the whole suite, `make test-fast` all but the slow tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The review date of the sample exports in inputs/: their stories stay true whatever today is.
SAMPLE_AS_OF := 2026-11-20
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-fast install check-install preview bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# `make run` needs the runtime dependencies only; the tests add their own extras.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/vcio run --inputs inputs --out outputs --as-of $(SAMPLE_AS_OF) --all
	@echo "Documents are in outputs/$$($(BIN)/python -c 'from pipeline.quarters import Quarter; from datetime import date; print(Quarter.of(date.fromisoformat("$(SAMPLE_AS_OF)")).label)')/<client>/ (manifest.json lists every file)."

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

# The inner loop: everything but the tests marked slow (under a minute on an idle 2-core machine).
test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

# The wheel installed into a fresh environment outside the checkout, run from an empty folder.
check-install:
	PYTHON=$(PYTHON) tools/check_install.sh

preview: $(TEST_STAMP)
	$(BIN)/python tools/preview.py --inputs inputs --as-of $(SAMPLE_AS_OF) --out preview

bench: $(TEST_STAMP)
	$(BIN)/python bench/harness.py

clean:
	rm -rf outputs/20* preview bench/out
