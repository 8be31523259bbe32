# make docs: set up .venv and build output/.  make test: set up and run ruff, mypy and pytest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: docs test check bench pdf serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

docs: $(STAMP)
	$(BIN)/plandocs build

check: $(STAMP)
	$(BIN)/plandocs check

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy generators
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m generators.bench

pdf: $(STAMP)
	$(BIN)/plandocs pdf
	$(BIN)/plandocs proof

# The web workbench on this computer only; it prints its address (open it in a browser), Ctrl+C stops it.
serve: $(STAMP)
	$(BIN)/plandocs serve --open

clean:
	rm -rf output
