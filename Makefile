# Masthead: the two commands are `make run` and `make test`. Only python3 (>= 3.11) and make needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE_CORE := 4.14.1

.PHONY: install run test lint typecheck clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Masthead needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	@# axe-core checks accessibility in the browser tests; they skip with a message without it.
	if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(VENV)/npm axe-core@$(AXE_CORE); \
	fi
	touch $(STAMP)

install: $(STAMP)

# Serves the network on http://127.0.0.1:$(PORT)/ over plain HTTP (HTTPS is assumed otherwise).
run: install
	MASTHEAD_HTTPS=$${MASTHEAD_HTTPS:-0} $(BIN)/masthead serve

test: install lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check masthead masthead_bench
	$(BIN)/ruff format --check masthead masthead_bench
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy masthead masthead_bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
