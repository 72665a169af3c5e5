# `make run` sets everything up and starts the dashboard; `make test` sets everything up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run serve test lint data bench chromium haproxy

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(PY) -m streamlit run app.py

# For an audience (README, "Hosting for an audience"): REPLICAS replicas of the app behind HAProxy on 127.0.0.1:PORT.
REPLICAS ?= 2
PORT ?= 8500
serve: setup haproxy
	$(PY) -m deploy.serve --replicas $(REPLICAS) --port $(PORT)

# The browser tests drive Debian's Chromium; install it when it is missing and we may (root).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Browser tests need /usr/bin/chromium: run 'sudo apt-get install chromium'"; exit 1; fi; \
	fi

# `make serve` and its failover test run Debian's HAProxy; install it when it is missing and we may (root).
haproxy:
	@if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
		else echo "make serve and its tests need haproxy: run 'sudo apt-get install haproxy'"; exit 1; fi; \
	fi

test: setup chromium haproxy
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check .

data: setup
	$(PY) scripts/build_data.py

bench: setup chromium
	$(PY) -m benchmarks
