# SLRT Cloud — the two commands a newcomer needs:
#   make run    set up everything and serve the five demo regions on http://localhost:5000
#   make test   set up, lint (ruff, mypy) and run every test (SQLite by default; PostgreSQL + Redis when
#               DATABASE_URL / REDIS_URL are set, as CI does)
PY       ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
PORT     ?= 5000
export FLASK_APP   := app:create_app
export BASE_DOMAIN ?= localhost:$(PORT)

.PHONY: run test lint setup db seed unit e2e worker clean translations lock

# Every package, direct and transitive, comes pinned with its hashes from requirements.lock;
# the project itself is installed on top without resolving anything again.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	$(BIN)/pip check  # fails when a pin in pyproject.toml changed without `make lock`
	touch $@

setup: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations >/dev/null  # the .mo files are build output (git-ignored)

# After adding or changing UI text: refresh the source catalog and both languages, then fill the
# new English msgstrs (tests/unit/test_translations.py fails until the English catalog is complete).
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project "SLRT Cloud" --version 0.1.0 -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

db: setup
	$(BIN)/flask db upgrade heads
	$(BIN)/flask demo seed

run: db
	@echo ""
	@echo "SLRT Cloud berjalan di http://$(BASE_DOMAIN)/  (platform: admin@platform.demo, auditor@platform.demo)"
	@for r in bekasi cianjur batubara payakumbuh palembang; do echo "  http://$$r.$(BASE_DOMAIN)/   e.g. manager@$$r.demo"; done
	@echo "Kata sandi demo untuk semua akun: $${DEMO_PASSWORD:-slrt-demo-2026}   (daftar lengkap: $(BIN)/flask demo accounts)"
	@echo ""
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# The suite runs on TEST_WORKERS processes (pytest-xdist), a test file per worker at a time; on
# PostgreSQL each worker after the first gets its own database from scripts/pg-setup.
TEST_WORKERS ?= 2
PYTEST = $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

test: lint
	$(PYTEST)

# Style and type checks (settings in pyproject.toml); `make test` runs them first, and so does CI.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy app

unit: setup
	$(PYTEST) tests/unit

e2e: setup
	$(PYTEST) tests/e2e

worker: setup
	$(BIN)/python -m app.jobs.worker

# After changing a pin in pyproject.toml: re-resolve every transitive pin (with hashes, for
# every platform), then `make setup` installs the new lock.
lock:
	test -x $(BIN)/uv || { $(PY) -m venv $(VENV) && $(BIN)/pip install -q "$$(grep -o 'uv==[0-9.]*' pyproject.toml)"; }
	$(BIN)/uv pip compile -q pyproject.toml --extra test --extra dev --universal --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) instance .pytest_cache test-results
