# Hazina: `make run` serves the demo on the embedded defaults; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
SIMULATOR_PORT ?= 8001
PYTEST_ARGS ?=

FUZZ_VENV := .venv-fuzz
FUZZ_STAMP := $(FUZZ_VENV)/.installed

.PHONY: install messages run serve test lint format worker bench fuzz lock clean browsers

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency declarations change.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The Kiswahili notification texts, compiled from the committed .po files (needs GNU gettext's
# msgfmt: apt-get install gettext).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard */locale/*/LC_MESSAGES/django.po))
%.mo: %.po
	msgfmt --check-format -o $@ $<

messages: $(MO_FILES)

# The local Daraja simulator runs beside the server (MPESA_ENVIRONMENT=simulator, the default)
# and stops with it. The app calls the simulator on SIMULATOR_PORT, and its links and Daraja's
# callbacks point at PORT, unless MPESA_BASE_URL or SITE_URL say otherwise.
run: export SITE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
ifeq ($(filter-out simulator,$(MPESA_ENVIRONMENT)),)
run: export MPESA_BASE_URL ?= http://127.0.0.1:$(SIMULATOR_PORT)
endif
run: $(STAMP) messages
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_demo_governance
	$(BIN)/python manage.py seed_demo_investments
	$(BIN)/python manage.py daraja_simulator --port $(SIMULATOR_PORT) & sim=$$!; \
	trap 'kill $$sim 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py daraja_register_urls --wait || exit 1; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP) messages
	$(BIN)/python -m pytest -n auto -rs $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m tools.house_rules
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file schema.generated.yml
	diff -u schema.yml schema.generated.yml
	rm -f schema.generated.yml

# Regenerate the committed OpenAPI schema after an API change.
schema: $(STAMP)
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file schema.yml

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs REDIS_URL: without it tasks run eagerly inside the web process.
worker: $(STAMP) messages
	@test -n "$(REDIS_URL)" || (echo "make worker needs REDIS_URL (tasks run eagerly without it)"; exit 2)
	$(BIN)/celery -A config worker --beat --scheduler django_celery_beat.schedulers:DatabaseScheduler --loglevel INFO

bench: $(STAMP)
	$(BIN)/python -m bench

# schemathesis brings its own test stack (hypothesis, a pytest plugin, a JSON-schema validator
# in Rust): it lives in an environment of its own, so the project's pins never move for it.
$(FUZZ_STAMP): fuzz/constraints.txt
	$(PYTHON) -m venv $(FUZZ_VENV)
	$(FUZZ_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(FUZZ_VENV)/bin/python -m pip install --quiet -c fuzz/constraints.txt schemathesis
	touch $(FUZZ_STAMP)

# schemathesis against the app served on loopback with the demo chama, as an official and as
# a member (fuzz/__main__.py); FUZZ_MAX_EXAMPLES, FUZZ_MAX_SECONDS and FUZZ_SEED bound it,
# FUZZ_ARGS passes options (e.g. --keep-db).
fuzz: $(STAMP) $(FUZZ_STAMP)
	$(BIN)/python -m fuzz --schemathesis $(FUZZ_VENV)/bin/schemathesis $(FUZZ_ARGS)

# Refresh the pinned versions after changing pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade -e ".[dev]"
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) $(FUZZ_VENV) var schema.generated.yml
