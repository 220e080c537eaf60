# Two commands for a newcomer: `make run` serves the API, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | $(PYTHON) -c "import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:12])")
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: venv run test lint bench bench-scale browser-deps

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

# Serves on $(HOST):$(PORT) with embedded SQLite (instance/timeline.db) unless DATABASE_URL is set;
# migrations run on start.
run: venv
	$(BIN)/flask --app app run --host $(HOST) --port $(PORT)

# Under CI=true the browser tests must run, so chromium comes first; locally they skip without it.
test: venv $(if $(filter true,$(CI)),browser-deps)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2 -p no:cacheprovider

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: venv
	$(BIN)/python bench/bench_temporal.py
	$(BIN)/python bench/bench_extraction.py
	$(BIN)/python bench/bench_dateparser.py
	$(BIN)/python bench/bench_startup.py

# A million events in PostgreSQL (built once with COPY, reused with ARGS=--reuse), gunicorn under wrk.
bench-scale: venv
	$(BIN)/python bench/bench_scale.py $(ARGS)

# Debian's chromium and its chromedriver for the browser tests (tests/browser); quick when present.
browser-deps:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
		echo "chromium and chromedriver present"; \
	else \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi
