"""Starting jobs: queued for a worker when a broker is configured, run in the request when not, or when the broker
cannot be reached (the job's page then says so: the person waited for the file instead of a worker)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from config.celery import queue_configured
from jobs.models import Job
from jobs.runner import job_run, stalled_before
from jobs.tasks import expire_files, job_enqueue


def job_start(*, kind, user, language, course=None, department=None, task=None, group=""):
    """A new job for ``user``, or the same one they asked for a moment ago that is still under way (a second click
    does not make the file twice). Under way means running with a recent heartbeat, or, with a queue, waiting in it
    since less than a stall's time: a job stuck otherwise (its request or its message lost) is not handed out again.
    Queued after the transaction commits, so the worker finds the row. Asking also deletes files past their time
    (what beat does, for a portal that runs without it)."""
    expire_files()
    wanted = {"kind": kind, "requested_by": user, "language": language, "course": course}
    wanted |= {"department": department, "task": task, "group": group}
    recent = Q(state=Job.State.RUNNING)
    if queue_configured():
        recent |= Q(state=Job.State.QUEUED)
    pending = Job.objects.filter(recent, **wanted, heartbeat_at__gte=stalled_before()).first()
    if pending is not None:
        return pending
    job = Job.objects.create(**wanted, heartbeat_at=timezone.now())
    if queue_configured():
        transaction.on_commit(lambda: job_enqueue(job, in_request=True))
    else:
        job_run(job.pk)
    job.refresh_from_db()
    return job
