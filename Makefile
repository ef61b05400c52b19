# SLRT Cloud — the two commands a newcomer needs:
#   make run    set up everything and serve the five demo regions on http://localhost:5000
#   make test   set up and run every test (SQLite by default; PostgreSQL + Redis when
#               DATABASE_URL / REDIS_URL are set, as CI does)
PY       ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
PORT     ?= 5000
export FLASK_APP   := app:create_app
export BASE_DOMAIN ?= localhost:$(PORT)

.PHONY: run test setup db seed unit e2e worker clean

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed

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

test: setup
	$(BIN)/python -m pytest -q

unit: setup
	$(BIN)/python -m pytest -q tests/unit

e2e: setup
	$(BIN)/python -m pytest -q tests/e2e

worker: setup
	$(BIN)/python -m app.jobs.worker

clean:
	rm -rf $(VENV) instance .pytest_cache test-results
