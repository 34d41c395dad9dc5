# Two commands: `make run` sets everything up and runs the whole system on embedded
# defaults (SQLite, filesystem broker); `make test` sets up and runs the suite.
# DATABASE_URL / REDIS_URL switch both to PostgreSQL and Redis.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
# Another port: make run PORT=8101
PORT ?= 8000

.PHONY: run test lint typecheck format bench bench-import backup restore messages audit help
.DEFAULT_GOAL := help

help:
	@echo "make run    - install, migrate, load demo data and run web + Celery worker + beat"
	@echo "make test   - install dev requirements and run the whole test suite"
	@echo "make lint   - ruff, format check, import contract, migrations check"
	@echo "make typecheck - mypy over services, selectors, rules, workflow and tasks"
	@echo "make bench  - benchmark against PostgreSQL (DATABASE_URL); SIZE=20000 for a smaller set"
	@echo "make bench-import - 200,000-row historical import: time and peak memory"
	@echo "make backup - database + uploaded files + manifest into BACKUP_DIR (var/backups)"
	@echo "make restore FROM=var/backups/backup-... - verify and restore into an empty database"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null && ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages -v0 --ignore=.venv; fi

run: $(VENV)/.installed messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py setup_schedule
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  打开浏览器访问 / Open: http://$(HOST):$(PORT)/"
	@echo "  管理后台 / Admin:      http://$(HOST):$(PORT)/admin/"
	@echo "  按 Ctrl-C 停止全部进程 / Ctrl-C stops web, worker and beat."
	@echo ""
	HOST=$(HOST) PORT=$(PORT) SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/honcho start -f Procfile

test: $(VENV)/.installed-dev messages
	$(BIN)/pytest $(PYTEST_ARGS)

# What CI checks besides the tests: style, formatting, the import contract
# (pyproject's [tool.importlinter]) and that every model change has its migration.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run -v0

# The annotated layers (services, selectors, rules, the workflow, tasks: the files
# listed in pyproject's [tool.mypy]) type-checked with django-stubs.
typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Supply chain: bandit on our code; pip-audit on the pinned requirements. pip-audit needs
# a vulnerability service (PyPI's per-release JSON or OSV); where the network offers
# neither it reports the packages it could not audit and does not fail (docs/security.md).
audit: $(VENV)/.installed-dev
	$(BIN)/bandit -q -r . -c pyproject.toml
	$(BIN)/pip-audit -r requirements.txt --progress-spinner off || [ $$? -ne 1 ]

# SIZE: complaints to seed (default 1,000,000); BENCH_ARGS: any other option.
SIZE ?=
bench: $(VENV)/.installed-dev
	$(PY) manage.py bench $(if $(SIZE),--complaints $(SIZE)) $(BENCH_ARGS)

# The historical import at migration scale (200,000 rows; use a database of its own).
bench-import: $(VENV)/.installed-dev
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py bench_import $(BENCH_IMPORT_ARGS)

# Backups that restore (docs/operations.md): the database (pg_dump, or SQLite's online
# backup), the uploaded files and a manifest of hashes and counts.
BACKUP_DIR ?= var/backups
backup: $(VENV)/.installed
	$(PY) manage.py backup --to $(BACKUP_DIR)

# Refuses a database holding any complaint or user; verifies hashes before and after.
restore: $(VENV)/.installed
	@test -n "$(FROM)" || { echo "usage: make restore FROM=$(BACKUP_DIR)/backup-<time>"; exit 2; }
	$(PY) manage.py restore $(FROM)
