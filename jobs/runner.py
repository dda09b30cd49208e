"""Running a job, wherever it runs (a Celery worker, or the request when there is no queue).

Rules:
- A job is claimed under a row lock: a job that is finished, or running with a recent heartbeat (another delivery of
  the same message, another worker), is left alone. Each claim counts an attempt; a job claimed ``MAX_ATTEMPTS``
  times already (its workers died) fails instead of running a third time.
- Each attempt stores its file under ``jobs/<id>/<attempt>/``; the one that finishes the job deletes the other
  attempts' files, and an attempt that finds the job no longer its own deletes its file. So a finished job has one
  file, whichever workers died or ran late.
- A maker's exception fails the job (logged with its traceback); it is not retried, since it would fail the same way.
"""

import logging
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation

from jobs.kinds import MAKERS
from jobs.models import MAX_ATTEMPTS, Job

logger = logging.getLogger("portal.jobs")

# Progress is written at most this often (seconds), and always at the last step.
PROGRESS_INTERVAL = 0.5


class Progress:
    """What a maker reports, written to the job's row."""

    def __init__(self, job):
        self.job = job
        self.done = 0
        self.count = 0
        self.written_at = 0.0

    def total(self, count):
        self.count = count
        self._write(force=True)

    def step(self):
        self.done += 1
        self._write(force=self.done >= self.count)

    def _write(self, *, force):
        if not force and time.monotonic() - self.written_at < PROGRESS_INTERVAL:
            return
        self.written_at = time.monotonic()
        Job.objects.filter(pk=self.job.pk, attempts=self.job.attempts).update(
            steps_done=self.done, steps_total=self.count, heartbeat_at=timezone.now()
        )


class Heartbeat(threading.Thread):
    """Proves the worker alive while a maker runs, however long one of its steps takes (a single render of a big
    course): the job's heartbeat is written every quarter of the stall time, from a thread with its own database
    connection, until ``stop``."""

    def __init__(self, job):
        super().__init__(daemon=True, name=f"heartbeat-{job.pk}")
        self.job = job
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(settings.JOB_STALL_SECONDS / 4):
                Job.objects.filter(pk=self.job.pk, attempts=self.job.attempts).update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join()


@contextmanager
def heartbeat(job):
    beating = Heartbeat(job)
    beating.start()
    try:
        yield
    finally:
        beating.stop()


def stalled_before():
    """A running job whose last heartbeat is older than this has lost its worker."""
    return timezone.now() - timedelta(seconds=settings.JOB_STALL_SECONDS)


def _claim(job_id):
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("requested_by").filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        if job.state == Job.State.RUNNING and job.heartbeat_at and job.heartbeat_at > stalled_before():
            return None
        if job.attempts >= MAX_ATTEMPTS:
            _fail(job, Job.Failure.STOPPED)
            logger.error("job stopped twice", extra={"job": job.pk, "kind": job.kind})
            return None
        now = timezone.now()
        job.state, job.attempts, job.heartbeat_at = Job.State.RUNNING, job.attempts + 1, now
        job.started_at = job.started_at or now
        job.steps_done = 0
        job.save(update_fields=["state", "attempts", "heartbeat_at", "started_at", "steps_done"])
        return job


def _fail(job, failure):
    job.state, job.failure, job.finished_at = Job.State.FAILED, failure, timezone.now()
    job.save(update_fields=["state", "failure", "finished_at"])


def job_run(job_id):
    """Run the job if it is still to be run (see the module's rules). Returns the job as it ends, or None."""
    job = _claim(job_id)
    if job is None:
        return None
    started = time.monotonic()
    try:
        with translation.override(job.language), heartbeat(job):
            output = MAKERS[job.kind](job, Progress(job))
    except Exception:
        logger.exception("job failed", extra={"job": job.pk, "kind": job.kind})
        Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
            state=Job.State.FAILED, failure=Job.Failure.ERROR, finished_at=timezone.now()
        )
        return _reloaded(job)
    storage = Job._meta.get_field("file").storage
    try:
        # Stored under a name of the portal's own; the person's file name travels with the download.
        stored_as = f"jobs/{job.pk}/{job.attempts}/{job.kind}{PurePosixPath(output.filename).suffix}"
        name = storage.save(stored_as, ContentFile(output.content))
    except Exception:
        logger.exception("job file not stored", extra={"job": job.pk, "kind": job.kind})
        Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
            state=Job.State.FAILED, failure=Job.Failure.STORAGE, finished_at=timezone.now()
        )
        return _reloaded(job)
    now = timezone.now()
    finished = Job.objects.filter(pk=job.pk, attempts=job.attempts, state=Job.State.RUNNING).update(
        state=Job.State.DONE,
        file=name,
        filename=output.filename,
        content_type=output.content_type,
        size=len(output.content),
        finished_at=now,
        expires_at=now + timedelta(hours=settings.JOB_FILE_HOURS),
    )
    if finished:
        _delete_other_attempts(storage, job, keep=name)
        seconds = round(time.monotonic() - started, 2)
        logger.info("job done", extra={"job": job.pk, "kind": job.kind, "attempt": job.attempts, "seconds": seconds})
    else:  # claimed again meanwhile (this worker was taken for dead): the other attempt owns the job
        storage.delete(name)
    return _reloaded(job)


def _delete_other_attempts(storage, job, *, keep):
    folder = f"jobs/{job.pk}"
    attempts, _files = storage.listdir(folder)
    for attempt in attempts:
        names = storage.listdir(f"{folder}/{attempt}")[1]
        for filename in names:
            path = f"{folder}/{attempt}/{filename}"
            if path != keep:
                storage.delete(path)


def _reloaded(job):
    return Job.objects.filter(pk=job.pk).first()
