"""The Celery application: ``celery -A config worker`` runs the background jobs, ``celery -A config beat`` their
schedule (settings: ``CELERY_*``). With no ``CELERY_BROKER_URL`` nothing is queued: jobs run in the request that asks
for them (``jobs.queue``), which is how ``make run`` and the tests work with no other service."""

import logging
import os
import time

from celery import Celery
from django.conf import settings
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger("portal.jobs")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# How long sending a job to the broker may wait, connecting or for any answer, before the caller does the work
# itself (seconds); and, once it could not, how long this process does not try that broker again.
BROKER_TIMEOUT = 1
BROKER_RETRY_AFTER = 30
_unreachable_until = {}  # broker URL -> time.monotonic() before which it is not tried


def queue_configured():
    return bool(settings.CELERY_BROKER_URL)


def queued(task, *args):
    """Send ``task(*args)`` to the broker. False when there is no broker, or it did not take the job within
    BROKER_TIMEOUT (down, or connected and silent): the caller then does the work itself. A broker that failed is
    not tried again by this process for BROKER_RETRY_AFTER seconds, so an outage costs a page nothing after the
    first time."""
    if not queue_configured():
        return False
    url = settings.CELERY_BROKER_URL
    if time.monotonic() < _unreachable_until.get(url, 0):
        return False
    timeouts = {"socket_timeout": BROKER_TIMEOUT, "socket_connect_timeout": BROKER_TIMEOUT}
    options = {**app.conf.broker_transport_options, **timeouts}
    try:
        with app.connection_for_write(transport_options=options) as connection:
            connection.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT)
            task.apply_async(args=list(args), connection=connection, retry=False)
    except OperationalError:
        _unreachable_until[url] = time.monotonic() + BROKER_RETRY_AFTER
        logger.warning("job queue unreachable", extra={"broker_retry_after": BROKER_RETRY_AFTER})
        return False
    return True
