"""``/healthz``: whether this server can do its work, for a load balancer or a monitor.

It checks what every page or job needs: the database answers a query, the storage keeps a small file and gives it
back, and the job queue's broker takes a connection (with no broker, jobs run in the request: nothing to check).
200 when all is well, 503 naming what failed; never a 500, and within a few seconds whatever hangs.
"""

import logging
import secrets
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as NoAnswer

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse

from config.celery import app as celery_app

PATH = "/healthz"
# Where the storage check writes its file (and deletes it at once).
HEALTH_AREA = "healthz"
# How long the storage and the broker may take to answer, together (they are asked at the same time).
ANSWER_SECONDS = 3
BROKER_CONNECT_SECONDS = 2

logger = logging.getLogger("portal.health")


class HealthMiddleware:
    """Answers ``/healthz`` first of all, so nothing the pages need stands in its way: no host check (a load balancer
    often asks by the server's address), no redirect to HTTPS, no session or sign-in, no CSRF cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH:
            return healthz()
        return self.get_response(request)


def healthz():
    storage, queue = _in_thread(_storage), _in_thread(_queue)
    deadline = time.monotonic() + ANSWER_SECONDS
    outcomes = {
        "database": _outcome(_database),
        "storage": _awaited(storage, deadline),
        "queue": _awaited(queue, deadline),
    }
    failed = [name for name, (_state, error) in outcomes.items() if error]
    for name in failed:
        state, error = outcomes[name]
        logger.warning("health check failed", extra={"check": name, "state": state, "error": error})
    checks = {name: state for name, (state, _error) in outcomes.items()}
    response = JsonResponse({"healthy": not failed, "failed": failed, "checks": checks}, status=503 if failed else 200)
    response["Cache-Control"] = "no-store"
    # Each failure is logged above with its reason; Django's request log, which skips a response so marked, would
    # add an error line without one.
    response._has_been_logged = True
    return response


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _storage():
    """A small file written, read back and deleted under ``healthz/`` (on disk or in the bucket): each server's
    check its own name, so two servers' checks never meet."""
    content = secrets.token_hex(8).encode()
    name = default_storage.save(f"{HEALTH_AREA}/{secrets.token_hex(8)}.txt", ContentFile(content))
    try:
        with default_storage.open(name) as stored:
            if stored.read() != content:
                raise OSError("the storage gave back other bytes than it was given")
    finally:
        default_storage.delete(name)
    return "ok"


def _queue():
    if not settings.CELERY_BROKER_URL:
        return "in request"
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL, connect_timeout=BROKER_CONNECT_SECONDS) as broker:
        broker.ensure_connection(max_retries=0, timeout=BROKER_CONNECT_SECONDS)
    return "ok"


def _outcome(check):
    """The check's state and, when it failed, why (for the log, not for the answer: the address is public)."""
    try:
        return check(), None
    except Exception as error:  # any failure is the answer, never a 500
        return "failed", " ".join(f"{type(error).__name__}: {error}".split())


def _in_thread(check):
    """``check``'s outcome, to come from a thread of its own, so that one that hangs cannot hold the answer."""
    future = Future()
    threading.Thread(target=lambda: future.set_result(_outcome(check)), daemon=True).start()
    return future


def _awaited(future, deadline):
    try:
        return future.result(timeout=max(0, deadline - time.monotonic()))
    except NoAnswer:
        return "no answer", f"no answer within {ANSWER_SECONDS} s"
