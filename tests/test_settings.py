"""Settings come from the environment and refuse unsafe production defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOW = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.DEBUG)"


def run(*args, **env):
    clean = {
        key: value for key, value in os.environ.items() if key not in {"DJANGO_DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, check=False)


def run_settings(**env):
    return run("-c", f"import django; django.setup(); {SHOW}", **env)


def test_without_a_secret_key_and_debugging_the_server_refuses_to_start():
    result = run("-c", "import config.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_without_a_secret_key_django_refuses_to_use_the_empty_one():
    result = run("-c", "import django; django.setup(); from django.conf import settings; settings.SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY setting must not be empty" in result.stderr


def test_commands_that_need_no_key_run_without_one():
    result = run("manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_with_a_secret_key_the_server_starts():
    result = run("-c", "import config.wsgi; print('ready')", SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ready"


def test_debugging_allows_the_development_key_and_sqlite():
    result = run_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_a_postgres_url_selects_postgresql():
    result = run_settings(SECRET_KEY="k" * 50, DATABASE_URL="postgres://u@127.0.0.1:5432/portal")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]
