# The two set-up commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Test processes: one per core by default; `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= auto
# The lock (runtime and development dependencies, every package pinned with its hashes);
# the stamp is named after its content, so any change to the lock installs again.
LOCK := requirements.txt
STAMP := $(VENV)/.installed-$(shell sha1sum $(LOCK) | cut -c1-12)
AXE := node_modules/axe-core/axe.min.js

.PHONY: install run test lint format migrate data clean translations messages lock

$(STAMP): $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Compile the locks from pyproject.toml: requirements.txt (runtime, the binary PostgreSQL
# driver, tests and tooling) and requirements-production.txt (runtime and the C driver, at
# the same versions). Versions already locked are kept while they satisfy pyproject.toml;
# `make lock UPGRADE=1` moves every package to the newest version allowed.
LOCK_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock: install
	$(LOCK_COMPILE) --extra dev --output-file requirements.txt
	$(LOCK_COMPILE) --extra postgres-c --constraint requirements.txt --output-file requirements-production.txt

# axe-core for the accessibility tests, at the locked version, from the npm registry.
# touch: npm can leave the file older than package-lock.json, and make would reinstall.
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The database cache's table (throttling state shared by every process) is made too.
migrate: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py createcachetable

# The catalogues are compiled first: loading the demo sends e-mails, in each reader's language.
data: migrate translations
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py load_standards
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py load_edition
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py load_demo

# Message catalogues are compiled with a pure-Python step (no GNU gettext needed).
translations: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py compile_translations

# Only when translatable strings change; needs GNU gettext.
messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l fr -l es --ignore=.venv --ignore=node_modules --ignore=tests

run: translations data
	@echo "Serving on http://127.0.0.1:$(PORT)/"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install translations $(AXE)
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 var .pytest_cache node_modules

# Benchmarks, in throw-away databases (PostgreSQL when DATABASE_URL is set): the pages and
# exports at 1× and 10× the realistic generated data against their floors and limits
# (`make bench BENCH_ARGS=--with-100` adds 100×); the branching engine against a plain walk.
.PHONY: bench load
bench: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py bench_scale $(BENCH_ARGS)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py bench_exports

# Load test: two gunicorn servers (production settings) and one background worker on one
# throw-away database (PostgreSQL when DATABASE_URL is set) with the generated data of 190
# offices, loaded by Locust (headless), 20 seconds per target.
load: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py load_test --seconds $${LOAD_SECONDS:-20}
