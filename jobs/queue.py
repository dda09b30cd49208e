"""Starting jobs: queued for a worker when a broker is configured, run in the request when not, or when the broker
cannot be reached (the job's page then says so: the person waited for the file instead of a worker)."""

import logging

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

from config.celery import app as celery_app
from jobs.models import Job
from jobs.runner import job_run

logger = logging.getLogger("portal.jobs")

# How long asking the broker to take a job may wait before the request makes the file itself (seconds).
BROKER_TIMEOUT = 2


def queue_configured():
    return bool(settings.CELERY_BROKER_URL)


def job_start(*, kind, user, language, course=None, department=None, task=None, group=""):
    """A new job for ``user``, or the same one they asked for a moment ago and is still under way (a second click
    does not make the file twice). Queued after the transaction commits, so the worker finds the row."""
    wanted = {"kind": kind, "requested_by": user, "language": language, "course": course}
    wanted |= {"department": department, "task": task, "group": group}
    pending = Job.objects.filter(**wanted, state__in=[Job.State.QUEUED, Job.State.RUNNING]).first()
    if pending is not None:
        return pending
    job = Job.objects.create(**wanted)
    if queue_configured():
        transaction.on_commit(lambda: job_enqueue(job))
    else:
        job_run(job.pk)
    job.refresh_from_db()
    return job


def job_enqueue(job):
    """Hand the job to the queue; if the broker cannot be reached, make the file now, in this request."""
    from jobs.tasks import run_job

    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
            run_job.apply_async(args=[str(job.pk)], connection=connection, retry=False)
    except BrokerUnavailable:
        logger.warning("job queue unavailable, job run in the request", extra={"job": job.pk, "kind": job.kind})
        Job.objects.filter(pk=job.pk).update(ran_in_request=True)
        job_run(job.pk)
