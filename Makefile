# Linli: `make run` to try it, `make test` to prove it, `make bench` to measure it,
# `make load` to load it as a neighbourhood would.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The locks: exact versions with their hashes, made from pyproject.toml by `make lock`.
LOCK := requirements.txt
TEST_LOCK := requirements-test.txt
# A universal lock for Python 3.11 (any OS), so that a fresh machine installs what CI tested.
COMPILE = $(BIN)/uv pip compile pyproject.toml - --quiet --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock" $(LOCK_ARGS)
BUILD_REQUIRES = $(BIN)/python -c 'import tomllib; \
	print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'

.PHONY: run test bench load mutation install lock lint messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Each lock is installed with its hashes checked, then the project itself (no
# dependency of its own: they are all in the lock) with the locked setuptools.
$(VENV)/.installed-run: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: $(TEST_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(TEST_LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Everything a developer needs: the app, its tests and its tools.
install: $(VENV)/.installed-test

# After changing the dependencies in pyproject.toml. Versions already locked stay;
# to move one: make lock LOCK_ARGS="--upgrade-package NAME" (all: LOCK_ARGS=--upgrade).
lock: install
	$(BUILD_REQUIRES) | $(COMPILE) -o $(LOCK)
	$(BUILD_REQUIRES) | $(COMPILE) --extra test --constraint $(LOCK) -o $(TEST_LOCK)

messages: $(VENV)/.installed-run
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

run: $(VENV)/.installed-run messages
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (SQLite, Celery in process). Ctrl-C stops."
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install messages
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

# 200 residents, a council of 23 in a live meeting and a report, under locust,
# through gunicorn, a Celery worker, PostgreSQL and Redis (docs/load.md);
# a measurement like bench, not part of test. LOAD_ARGS="-u 30 -t 30s".
load: install messages
	$(BIN)/python -m tests.load $(LOAD_ARGS)

# Mutation score of the modules that decide votes and money (docs/mutation.md);
# a measurement like bench, not part of test. MUTATION_ARGS="thresholds money".
mutation: install messages
	$(BIN)/python -m tests.mutation $(MUTATION_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .mutation
