"""A real S3-compatible server for the tests: moto's server mode, started as a subprocess on a free port of
127.0.0.1, and a fresh private bucket on it per test.

``s3_server()`` starts one and stops it; the ``s3_endpoint`` fixture keeps one for the whole session, and
``s3_bucket`` gives each test a bucket of its own, with the default storage pointed at it (as the settings do when
``STORAGE_BUCKET`` is set) and ``bucket.env``, what a subprocess (gunicorn, a worker, ``manage.py``) needs in its
environment to use the same bucket.

To use the fixtures, import them into a conftest.py (``from tests.s3 import s3_bucket, s3_endpoint  # noqa: F401``;
in a test module itself ruff reads each use as a redefinition)."""

import http.client
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from tests.servers import free_port

MOTO_SERVER = Path(sys.executable).parent / "moto_server"
ACCESS_KEY = "portal-test-key"
SECRET_KEY = "portal-test-secret"
REGION = "us-east-1"


def _answers(port):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        connection.request("GET", "/moto-api/")
        status = connection.getresponse().status
        connection.close()
    except OSError:
        return False
    return status == 200


@contextmanager
def s3_server():
    """moto's S3 server on a free port, in a process group of its own; yields its endpoint URL, stops it after."""
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 — closed below
    process = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"moto_server did not start:\n{log.read().decode(errors='replace')}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def s3_client(endpoint):
    """A boto3 client of the server, to look at the bucket from outside the portal."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
        config=Config(retries={"max_attempts": 1}),
    )


@dataclass
class Bucket:
    name: str
    endpoint: str
    client: object = field(repr=False)

    @property
    def env(self):
        """The environment a subprocess needs to store its files in this bucket (config/settings.py reads it)."""
        return {
            "STORAGE_BUCKET": self.name,
            "STORAGE_ENDPOINT_URL": self.endpoint,
            "STORAGE_ACCESS_KEY": ACCESS_KEY,
            "STORAGE_SECRET_KEY": SECRET_KEY,
            "STORAGE_REGION": REGION,
        }

    @property
    def storage(self):
        """The STORAGES entry for this bucket, with the options config/settings.py gives the default storage."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": self.name,
                "endpoint_url": self.endpoint,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "location": "",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": False,
            },
        }

    def keys(self, prefix=""):
        """Every key in the bucket, sorted."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def empty(self):
        for key in self.keys():
            self.client.delete_object(Bucket=self.name, Key=key)


def bucket_create(endpoint):
    """A new private bucket with a name of its own, so tests sharing the server never see each other's files."""
    client = s3_client(endpoint)
    name = f"portal-{uuid.uuid4().hex[:20]}"
    client.create_bucket(Bucket=name)
    client.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    return Bucket(name=name, endpoint=endpoint, client=client)


@pytest.fixture(scope="session")
def s3_endpoint():
    """One moto server for the session."""
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_bucket(s3_endpoint, settings):
    """A fresh private bucket, and the default storage pointed at it for this test."""
    bucket = bucket_create(s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, "default": bucket.storage}
    yield bucket
    try:
        bucket.empty()
        bucket.client.delete_bucket(Bucket=bucket.name)
    except bucket.client.exceptions.NoSuchBucket:
        pass
