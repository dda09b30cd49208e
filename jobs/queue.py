"""Starting jobs: queued for a worker when a broker is configured, run in the request when not, or when the broker
cannot be reached (the job's page then says so: the person waited for the file instead of a worker)."""

from django.db import transaction

from config.celery import queue_configured
from jobs.models import Job
from jobs.runner import job_run
from jobs.tasks import job_enqueue


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
