# Two commands do all the set-up on a fresh machine (Python 3.11+ with venv):
#   make run    installs the app's packages into .venv and starts the app on the bundled data
#   make test   installs the app's and the tests' packages (and axe-core from npm, if npm is present), lints
#               (ruff, configured in pyproject.toml) and runs every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test build bench clean catalogs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(VENV)/.app-installed $@

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: accessibility checks (axe-core) will be skipped"; fi

# MALLOC_ARENA_MAX=2: the visitors' script threads share two malloc arenas instead of one each, which keeps
# a busy server's memory flat (README, Performance). It must be set before the server starts.
# serve.py is `streamlit run app.py` plus the settings Streamlit reads only at start-up (see its docstring).
# The Spanish catalog compiled from its source (locale/es/LC_MESSAGES/messages.po; the .mo is build output)
catalogs: $(VENV)/.app-installed
	$(BIN)/python -m explorer.i18n

run: $(VENV)/.app-installed catalogs
	MALLOC_ARENA_MAX=2 $(BIN)/python serve.py --server.port $(PORT)

test: $(VENV)/.dev-installed $(if $(wildcard package.json),node_modules/.installed) catalogs
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

build: $(VENV)/.app-installed
	$(BIN)/python -m explorer.data.build

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench.bench_app

clean:
	rm -rf $(VENV) node_modules .pytest_cache test-artifacts
