# The two commands a person needs: `make run` and `make test`. Both install what they need
# (a virtualenv from pyproject.toml, bun from the npm registry, Chromium for browser tests,
# espeak-ng for spoken audio).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TOOLS := .tools
BUN := $(TOOLS)/node_modules/.bin/bun
BUN_VERSION := 1.4.5

export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false
export HAYSTACK_TELEMETRY_ENABLED := False
export HF_HUB_OFFLINE := 1
export XDG_RUNTIME_DIR ?= /tmp/learn-app-runtime-$(shell id -u)

.PHONY: run dev test test-fast lint format install browser speech redis migrate clean

# The production build (rebuilt only when learn_app/, assets/ or rxconfig.py changed).
run: install speech redis
	@mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	$(PY) -m learn_app.cli run

# Hot reload for people changing pages.
dev: install speech redis
	@mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	$(PY) -m learn_app.cli run --dev

test: install browser speech redis
	@mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(PY) -m pytest

test-fast: install speech
	@mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	$(PY) -m pytest -m "not e2e"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: install
	$(PY) -m learn_app.cli migrate

install: $(VENV)/.installed $(BUN)

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(BUN):
	mkdir -p $(TOOLS)
	printf '{"name": "learn-app-tools", "private": true}\n' > $(TOOLS)/package.json
	cd $(TOOLS) && npm install --silent --no-audit --no-fund bun@$(BUN_VERSION)

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || { \
		echo "Installing Chromium from Debian's packages"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's espeak-ng speaks words and example sentences (offline text-to-speech).
speech:
	@command -v espeak-ng >/dev/null || { \
		echo "Installing espeak-ng from Debian's packages"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq espeak-ng >/dev/null; }

# Debian's redis-server keeps Reflex's state when several backend workers serve (LEARN_WORKERS).
redis:
	@command -v redis-server >/dev/null || { \
		echo "Installing redis-server from Debian's packages"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server >/dev/null; }

clean:
	rm -rf $(VENV) $(TOOLS) .web .states
