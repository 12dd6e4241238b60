# Nông Sàn — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install demo serve test test-fast lint format typecheck bench data clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned dependencies

demo: install ## migrate, load administrative units and demo data, serve on http://127.0.0.1:8000
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_admin_units
	$(BIN)/python manage.py seed_demo --scale small --seed 1
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: install ## serve without reloading data
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install ## the whole suite (DATABASE_URL picks the database; SQLite by default)
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-fast: install ## the suite without the browser tests
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not browser" $(PYTEST_ARGS)

lint: install ## ruff, formatting, mypy, migrations and system checks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install ## run the scenarios in bench/, one JSON line each
	$(BIN)/python -m bench

data: install ## re-derive the shipped data files from ../shared/data (units, crop calendar, prices)
	$(BIN)/python manage.py import_admin_units ../shared/data/admin-units --output nongsan/geo/data
	$(BIN)/python manage.py import_crop_calendar ../shared/data/crops --output nongsan/harvests/data
	$(BIN)/python manage.py import_reference_prices ../shared/data/crops --output nongsan/prices/data
	$(BIN)/python manage.py import_province_map ../shared/data/geo/vn-provinces-2025.geojson

clean: ## remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
