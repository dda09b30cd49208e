"""``make serve``, ``make worker`` and ``make beat`` refuse, in one line and before anything else, what they cannot
run with; config/gunicorn.conf.py takes its figures from the environment and names only settings gunicorn has."""

import inspect
import multiprocessing
import runpy
import subprocess

import pytest
from gunicorn.config import Config

from tests.servers import ROOT, server_env

CONF = ROOT / "config" / "gunicorn.conf.py"


def make(target, **env):
    variables = server_env(**env)
    for name in ("DATABASE_URL", "SECRET_KEY", "CELERY_BROKER_URL"):
        if name not in env:
            variables.pop(name, None)
    return subprocess.run(
        ["make", "--no-print-directory", target], cwd=ROOT, env=variables, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("database", [None, "sqlite:///db.sqlite3"])
def test_serve_refuses_sqlite(database):
    result = make("serve", SECRET_KEY="k" * 50, **({"DATABASE_URL": database} if database else {}))
    assert result.returncode != 0
    assert result.stdout == (
        "make serve runs on PostgreSQL: set DATABASE_URL=postgres://user:password@host:5432/name\n"
    )


def test_serve_refuses_to_start_without_a_secret_key():
    result = make("serve", DATABASE_URL="postgres://portal@127.0.0.1:5432/portal")
    assert result.returncode != 0
    assert result.stdout == "make serve needs SECRET_KEY: a long random string, the same on every server\n"


@pytest.mark.parametrize("target", ["worker", "beat"])
def test_the_worker_and_beat_refuse_to_start_without_a_broker(target):
    result = make(target, DATABASE_URL="postgres://portal@127.0.0.1:5432/portal", SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert result.stdout.startswith(f"make {target} needs CELERY_BROKER_URL")


def gunicorn_settings(monkeypatch, **env):
    """The settings config/gunicorn.conf.py gives with ``env``, through gunicorn's own validation."""
    for name in ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = Config()
    for name, value in runpy.run_path(str(CONF)).items():
        if name.islower() and not name.startswith("_") and not inspect.ismodule(value):
            config.set(name, value)  # refuses a name gunicorn has no setting for, or a value it cannot use
    return config


def test_gunicorn_listens_on_the_local_address_by_default_with_workers_for_the_cores(monkeypatch):
    config = gunicorn_settings(monkeypatch)
    assert config.bind == ["127.0.0.1:8000"]
    assert config.workers == multiprocessing.cpu_count() * 2 + 1
    assert config.threads == 4
    assert config.worker_class_str == "gthread"
    assert config.timeout > config.graceful_timeout > 0
    assert 0 < config.max_requests_jitter < config.max_requests
    assert config.control_socket_disable
    assert config.logger_class.__name__ == "LogfmtLogger"


def test_gunicorn_takes_its_address_processes_threads_and_proxies_from_the_environment(monkeypatch):
    config = gunicorn_settings(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:9000",
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        GUNICORN_TIMEOUT="90",
        FORWARDED_ALLOW_IPS="10.0.0.2",
    )
    assert config.bind == ["0.0.0.0:9000"]
    assert (config.workers, config.threads, config.timeout) == (3, 8, 90)
    assert config.forwarded_allow_ips == ["10.0.0.2"]
