# `make run` and `make test` set up everything they need on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; the environment overrides them.
export DJANGO_DEBUG ?= 1

.PHONY: run test setup venv syscheck messages compilemessages migrate demo lint format check clean

run: setup demo
	$(PY) manage.py runserver $(HOST):$(PORT)

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
