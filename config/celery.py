"""The Celery application: ``celery -A config worker`` runs the background jobs, ``celery -A config beat`` their
schedule (settings: ``CELERY_*``). With no ``CELERY_BROKER_URL`` nothing is queued: jobs run in the request that asks
for them (``jobs.queue``), which is how ``make run`` and the tests work with no other service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
