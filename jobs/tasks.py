"""The jobs' Celery tasks, handing a job to the queue, and the beat schedule's housekeeping
(``CELERY_BEAT_SCHEDULE`` in settings)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.celery import queue_configured, queued
from jobs.models import MAX_ATTEMPTS, Job
from jobs.runner import job_run, stalled_before

logger = logging.getLogger("portal.jobs")

# A job waiting in the queue for this many stall times is queued again (its message may be lost).
LOST_AFTER = 5


@shared_task(name="jobs.tasks.run_job")
def run_job(job_id):
    job_run(job_id)


def job_enqueue(job, *, in_request=False):
    """Hand the job to the queue; if there is none or it cannot be reached, make the file now. The job's page says
    so when a person waited for it (``in_request``) although a queue is configured."""
    if queued(run_job, str(job.pk)):
        return
    if in_request and queue_configured():
        logger.warning("job queue unavailable, job run in the request", extra={"job": job.pk, "kind": job.kind})
        Job.objects.filter(pk=job.pk).update(ran_in_request=True)
    job_run(job.pk)


@shared_task(name="jobs.tasks.expire_files")
def expire_files():
    """Delete the files of jobs past their expiry; their pages then offer to prepare the file again."""
    expired = Job.objects.filter(state=Job.State.DONE, expires_at__lte=timezone.now())
    return sum(job_expire(job) for job in expired)


def job_expire(job):
    """Delete a finished job's file once its time is up (beat does it for all; a page that finds one past its time
    does it at once, so no file outlives what its page said, with or without beat). True if it expired now."""
    if job.state != Job.State.DONE or job.expires_at is None or job.expires_at > timezone.now():
        return False
    if job.file:
        job.file.storage.delete(job.file.name)
    Job.objects.filter(pk=job.pk, state=Job.State.DONE).update(state=Job.State.EXPIRED, file="")
    job.state, job.file = Job.State.EXPIRED, ""
    return True


@shared_task(name="jobs.tasks.recover_stalled")
def recover_stalled():
    """Jobs whose worker stopped reporting (killed, its machine gone): queued again once, failed the second time.
    And jobs queued long ago whose message may have been lost (Redis restarted empty): queued again, harmlessly if
    the first message is still there, since a job runs only while it is to be run."""
    again = []
    with transaction.atomic():
        stalled = Job.objects.select_for_update(skip_locked=True).filter(
            state=Job.State.RUNNING, heartbeat_at__lt=stalled_before()
        )
        for job in stalled:
            if job.attempts >= MAX_ATTEMPTS:
                job.state, job.failure, job.finished_at = Job.State.FAILED, Job.Failure.STOPPED, timezone.now()
                job.save(update_fields=["state", "failure", "finished_at"])
                logger.error("job stopped twice", extra={"job": job.pk, "kind": job.kind})
            else:
                job.state = Job.State.QUEUED
                job.save(update_fields=["state"])
                logger.warning("job stalled, queued again", extra={"job": job.pk, "kind": job.kind})
                again.append(job)
        waiting = Job.objects.select_for_update(skip_locked=True).filter(
            state=Job.State.QUEUED,
            heartbeat_at__lt=timezone.now() - LOST_AFTER * timedelta(seconds=settings.JOB_STALL_SECONDS),
        )
        again += list(waiting.exclude(pk__in=[job.pk for job in again]))
        Job.objects.filter(pk__in=[job.pk for job in again]).update(heartbeat_at=timezone.now())
    for job in again:
        job_enqueue(job)
    return len(again)
