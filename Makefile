# make docs: set up .venv and build output/.  make test: set up and run ruff, mypy and pytest.
# tools/setup_venv.sh finds a Python 3.11+ (PYTHON=… to name one), repairs a .venv made with a wrong one, installs
# from wheelhouse/ when it is there (make offline) and says in Chinese what to install when it cannot.
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
SETUP := PYTHON=$(PYTHON) bash tools/setup_venv.sh

.PHONY: docs test check bench pdf serve clean offline venv venv-test

venv:
	@$(SETUP)

venv-test:
	@$(SETUP) test

docs: venv
	$(BIN)/plandocs build

check: venv
	$(BIN)/plandocs check

test: venv-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy generators
	$(BIN)/pytest

bench: venv-test
	$(BIN)/python -m generators.bench

pdf: venv
	$(BIN)/plandocs pdf
	$(BIN)/plandocs proof

# The web workbench on this computer only; it prints its address (open it in a browser), Ctrl+C stops it.
serve: venv
	$(BIN)/plandocs serve --open

clean:
	rm -rf output

# A wheelhouse/ for an install without network (内网): copy the project folder with it, then make docs.
offline:
	bash tools/make_wheelhouse.sh
