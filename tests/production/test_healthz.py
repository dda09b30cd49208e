"""``/healthz``: 200 when the database, the storage and the job queue all work, 503 naming the one that does not,
within a few seconds, before anything else a page needs (host check, HTTPS redirect, session).

The storage is a real disk folder or a real S3-compatible server (moto's); the queue, the machine's Redis or one the
test starts and kills."""

import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.servers import accepts, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """A load balancer: no cookies, a host name the portal does not serve."""
    return Client(HTTP_HOST="10.0.0.7")


def health(client):
    started = time.monotonic()
    response = client.get("/healthz")
    return response, time.monotonic() - started


def test_with_everything_working_it_answers_200_and_says_jobs_run_in_the_request(client, settings):
    settings.CELERY_BROKER_URL = ""
    response, _took = health(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "healthy": True,
        "failed": [],
        "checks": {"database": "ok", "storage": "ok", "queue": "in request"},
    }


def test_it_leaves_nothing_in_the_storage(client, settings):
    response, _took = health(client)
    assert response.status_code == 200
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    assert [path for path in root.rglob("*") if path.is_file()] == []


def test_it_is_answered_before_the_https_redirect_the_host_check_and_the_session(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["portal.example.edu"]
    response, _took = health(client)
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")
    assert Session.objects.count() == 0
    # The same client on a page: redirected to HTTPS (from the allowed host), refused (from another).
    assert Client(HTTP_HOST="portal.example.edu").get("/accounts/login/").status_code == 301
    assert client.get("/accounts/login/").status_code == 400


def test_a_disk_that_refuses_the_write_fails_the_storage_check(client, settings, caplog):
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    root.mkdir(parents=True)
    (root / "healthz").write_bytes(b"a file where the check's folder must go")
    response, _took = health(client)
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]
    assert response.json()["checks"]["database"] == "ok"
    [record] = [record for record in caplog.records if record.name == "portal.health"]
    assert record.check == "storage"
    assert "Error" in record.error


def test_a_bucket_works_as_the_storage_and_keeps_nothing(client, s3_bucket):
    response, _took = health(client)
    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == "ok"
    assert s3_bucket.keys() == []


def test_a_bucket_that_refuses_the_write_fails_the_storage_check(client, s3_bucket):
    s3_bucket.client.delete_bucket(Bucket=s3_bucket.name)
    response, took = health(client)
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]
    assert took < 5


def test_the_machines_redis_as_the_broker_is_healthy(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/11"
    response, _took = health(client)
    assert response.status_code == 200
    assert response.json()["checks"]["queue"] == "ok"


def test_a_broker_that_stops_fails_the_queue_check_within_seconds(client, settings, tmp_path):
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not accepts(port):
            assert redis.poll() is None and time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
        response, _took = health(client)
        assert response.status_code == 200
        assert response.json()["checks"]["queue"] == "ok"
    finally:
        redis.kill()
        redis.wait()

    response, took = health(client)
    assert response.status_code == 503
    assert response.json()["failed"] == ["queue"]
    assert response.json()["checks"] == {"database": "ok", "storage": "ok", "queue": "failed"}
    assert took < 4


@pytest.fixture
def silent_port():
    """A port that takes connections and never answers, as a service that hangs does."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def test_a_storage_that_never_answers_is_reported_within_seconds(client, settings, silent_port):
    bucket = {"bucket_name": "portal", "endpoint_url": f"http://127.0.0.1:{silent_port}", "region_name": "us-east-1"}
    keys = {"access_key": "portal-test-key", "secret_key": "portal-test-secret"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**bucket, **keys}},
    }
    response, took = health(client)
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "no answer"
    assert took < 5


def test_a_broker_that_never_answers_is_reported_within_seconds(client, settings, silent_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_port}/0"
    response, took = health(client)
    assert response.status_code == 503
    assert response.json()["failed"] == ["queue"]
    assert took < 5
