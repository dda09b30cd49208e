"""The Celery application: ``celery -A config worker`` runs the background jobs, ``celery -A config beat`` their
schedule (settings: ``CELERY_*``). With no ``CELERY_BROKER_URL`` nothing is queued: jobs run in the request that asks
for them (``jobs.queue``), which is how ``make run`` and the tests work with no other service."""

import os

from celery import Celery
from django.conf import settings
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# How long sending a job to the broker may wait before the caller does the work itself (seconds).
BROKER_TIMEOUT = 2


def queue_configured():
    return bool(settings.CELERY_BROKER_URL)


def queued(task, *args):
    """Send ``task(*args)`` to the broker. False when there is no broker, or it cannot be reached within
    BROKER_TIMEOUT: the caller then does the work in the request (and may say so)."""
    if not queue_configured():
        return False
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
            task.apply_async(args=list(args), connection=connection, retry=False)
    except OperationalError:
        return False
    return True
