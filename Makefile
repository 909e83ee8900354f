# Two commands for a newcomer: `make run` and `make test`. Both build .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EMU_DIR := tests/emulator
EMU_STAMP := $(EMU_DIR)/node_modules/.installed

.PHONY: run test lint bench emulator browser lock clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

run: $(STAMP)
	$(BIN)/python -m bot run

$(EMU_STAMP): $(EMU_DIR)/package.json $(EMU_DIR)/package-lock.json
	cd $(EMU_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The Bot API emulator for end-to-end tests; without npm those tests skip and say why.
emulator:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(EMU_STAMP); \
	else echo "npm not found: end-to-end tests will be skipped"; fi

# Debian's Chromium and its driver for the Mini App's browser test, installed when missing
# (as root, as on CI); elsewhere the test skips and says why.
BROWSER_PACKAGES := chromium chromium-driver
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing $(BROWSER_PACKAGES) for the browser test"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1 || \
		{ apt-get update -q >/dev/null && apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null; }; \
	else echo "chromium not found: the Mini App's browser test will be skipped (apt-get install $(BROWSER_PACKAGES))"; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint emulator browser
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Refresh constraints.txt from what is installed now (after changing pyproject.toml).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) $(EMU_DIR)/node_modules .pytest_cache .mypy_cache .ruff_cache
