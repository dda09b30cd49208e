"""Starting jobs: queued for a worker when a broker is configured, run in the request when not, or when the broker
cannot be reached (the job's page then says so: the person waited for the file instead of a worker)."""

import logging

from django.db import transaction

from config.celery import queue_configured, queued
from jobs.models import Job
from jobs.runner import job_run

logger = logging.getLogger("portal.jobs")


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
    """Hand the job to the queue; with no queue, make the file now, in this request, and say so if there should
    have been one (the broker could not be reached)."""
    from jobs.tasks import run_job

    if queued(run_job, str(job.pk)):
        return
    if queue_configured():
        logger.warning("job queue unavailable, job run in the request", extra={"job": job.pk, "kind": job.kind})
        Job.objects.filter(pk=job.pk).update(ran_in_request=True)
    job_run(job.pk)
