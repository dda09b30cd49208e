# `make run` and `make test` set up everything they need on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; the environment overrides them.
export DJANGO_DEBUG ?= 1

.PHONY: run test setup venv syscheck messages compilemessages migrate demo lint format check clean serve worker beat

run: setup demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production (README, "Production"): the web (gunicorn, config/gunicorn.conf.py), the job worker and its schedule,
# with production settings whatever the shell says, each refusing in one line what it cannot run with.
serve worker beat: export DJANGO_DEBUG = 0

serve:
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "make serve runs on PostgreSQL: set DATABASE_URL=postgres://user:password@host:5432/name"; exit 1;; esac
	@test -n "$$SECRET_KEY" || { echo "make serve needs SECRET_KEY: a long random string, the same on every server"; exit 1; }
	$(MAKE) --no-print-directory setup
	$(PY) manage.py collectstatic --noinput -v0
	exec $(BIN)/gunicorn config.wsgi --config config/gunicorn.conf.py

worker:
	@test -n "$$CELERY_BROKER_URL" || { echo "make worker needs CELERY_BROKER_URL (without it jobs run in the web's requests)"; exit 1; }
	$(MAKE) --no-print-directory $(VENV)/.installed
	exec $(BIN)/celery -A config worker --loglevel $${LOG_LEVEL:-INFO}

# Beat only sends the scheduled jobs to the queue; it keeps the time of each last run in a file it must be able to write.
beat:
	@test -n "$$CELERY_BROKER_URL" || { echo "make beat needs CELERY_BROKER_URL (the queue it sends the scheduled jobs to)"; exit 1; }
	$(MAKE) --no-print-directory $(VENV)/.installed
	exec $(BIN)/celery -A config beat --loglevel $${LOG_LEVEL:-INFO} --schedule $${CELERY_BEAT_SCHEDULE_FILE:-/tmp/portal-beat-schedule}

test: setup syscheck-browser
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed syscheck compilemessages migrate

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

# Name the apt-get line that fixes a missing system package instead of failing obscurely.
syscheck:
	@command -v msgfmt >/dev/null || { echo "gettext is missing: sudo apt-get install -y gettext"; exit 1; }
	@$(PY) -c "import weasyprint" 2>/dev/null || { echo "WeasyPrint's libraries are missing: sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"; exit 1; }

syscheck-browser:
	@command -v chromium >/dev/null || { echo "Chromium is missing for browser tests: sudo apt-get install -y chromium"; exit 1; }
	@command -v pdftotext >/dev/null || { echo "poppler-utils is missing: sudo apt-get install -y poppler-utils"; exit 1; }
	@command -v soffice >/dev/null || { echo "LibreOffice Calc is missing for the spreadsheet tests: sudo apt-get install -y libreoffice-calc-nogui"; exit 1; }

compilemessages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=$(VENV) -v0

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l kk -l ru -l en --ignore=$(VENV) --ignore=locale_supplement --ignore=tests --ignore=bench --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l kk -l ru -l en --ignore=$(VENV) --ignore=staticfiles --ignore='static/vendor/*' --no-obsolete

migrate: $(VENV)/.installed
	$(PY) manage.py migrate -v0

demo: migrate
	$(PY) manage.py load_demo

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(VENV)/.installed
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
