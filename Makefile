# Two commands for a newcomer: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# Two cores: two test workers.
PYTEST_WORKERS ?= 2

.PHONY: run test lint migrations-check worker beat replies serve bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Links in email and the printed logins point at the port actually served. Quiet until the
# seed prints the demo logins, the last lines before the server's own.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(BIN)/python manage.py migrate --no-input --verbosity 0
	$(BIN)/python manage.py seed_demo --no-progress
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

test: lint migrations-check
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A ats worker --loglevel=info --concurrency=$${CELERY_CONCURRENCY:-2}

beat: install
	$(BIN)/celery -A ats beat --loglevel=info --schedule=var/celerybeat-schedule

# Candidates' replies from the IMAP mailbox (ATS_IMAP_*), polled every minute, for
# deployments without beat (beat runs the same fetch). SIGTERM stops it between runs.
replies: install
	$(BIN)/python manage.py fetch_replies --loop --interval $${ATS_IMAP_POLL_SECONDS:-60}

# Production server: settings in ats/gunicorn.conf.py. It listens on this machine only, for a
# proxy in front (nginx or similar) that buffers slow clients; HOST=0.0.0.0 listens on all.
serve: install
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	DJANGO_DEBUG=false HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c ats/gunicorn.conf.py ats.wsgi

bench: install
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.scaleout
	$(BIN)/python -m benchmarks.reports --fresh 100000

clean:
	rm -rf var/staticfiles .pytest_cache
