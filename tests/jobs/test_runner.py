"""Running a job (jobs/runner.py, jobs/tasks.py): claimed once at a time, at most twice in all, one file whichever
attempts died, failures said, files deleted when they expire, and stalled jobs queued again once."""

import datetime as dt
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from jobs import kinds
from jobs.models import Job
from jobs.runner import job_run
from jobs.tasks import expire_files, recover_stalled

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(cast):
    return Job.objects.create(
        kind=Job.Kind.COURSE_XLSX, requested_by=cast.instructor, course=cast.course, language="kk"
    )


def files_of(job):
    """Every stored file under the job's folder, attempt by attempt."""
    folder = f"jobs/{job.pk}"
    if not default_storage.exists(folder):
        return []
    attempts = default_storage.listdir(folder)[0]
    return sorted(
        f"{folder}/{attempt}/{name}"
        for attempt in attempts
        for name in default_storage.listdir(f"{folder}/{attempt}")[1]
    )


def test_a_job_runs_once_and_keeps_one_file(job):
    done = job_run(job.pk)
    assert (done.state, done.attempts, done.failure) == (Job.State.DONE, 1, "")
    assert files_of(done) == [done.file.name]
    assert done.size == default_storage.size(done.file.name) > 0
    assert done.expires_at > timezone.now()
    assert job_run(job.pk) is None  # delivered again: finished jobs are left alone
    assert Job.objects.get(pk=job.pk).attempts == 1


def test_a_job_running_with_a_recent_heartbeat_is_left_to_its_worker(job):
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=1, heartbeat_at=timezone.now())
    assert job_run(job.pk) is None
    assert Job.objects.get(pk=job.pk).state == Job.State.RUNNING


def test_a_job_whose_worker_died_runs_again_and_the_dead_attempts_file_goes(job, settings):
    # The first attempt's worker stored its file and died before recording it (the worst moment).
    dead = default_storage.save(f"jobs/{job.pk}/1/gradebook.xlsx", ContentFile(b"half"))
    stale = timezone.now() - dt.timedelta(seconds=settings.JOB_STALL_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=1, heartbeat_at=stale)
    done = job_run(job.pk)
    assert (done.state, done.attempts) == (Job.State.DONE, 2)
    assert files_of(done) == [done.file.name]
    assert done.file.name.startswith(f"jobs/{job.pk}/2/")
    assert not default_storage.exists(dead)


def test_a_job_whose_worker_died_twice_fails_and_says_so(cast, job, settings, login):
    stale = timezone.now() - dt.timedelta(seconds=settings.JOB_STALL_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=2, heartbeat_at=stale)
    assert job_run(job.pk) is None
    failed = Job.objects.get(pk=job.pk)
    assert (failed.state, failed.failure, failed.attempts) == (Job.State.FAILED, Job.Failure.STOPPED, 2)
    page = login(cast.instructor).get(f"/jobs/{job.pk}/").content.decode()
    assert str(Job.Failure.STOPPED.label) in page


def test_a_late_attempt_that_lost_its_job_deletes_its_own_file(job, monkeypatch):
    """A worker taken for dead finishes after all: the job was claimed again, so its file must not stay."""
    make = kinds.MAKERS[Job.Kind.COURSE_XLSX]

    def claimed_meanwhile(job, progress):
        output = make(job, progress)
        Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)  # another worker's claim
        return output

    monkeypatch.setitem(kinds.MAKERS, Job.Kind.COURSE_XLSX, claimed_meanwhile)
    job_run(job.pk)
    stored = Job.objects.get(pk=job.pk)
    assert stored.state == Job.State.RUNNING and not stored.file  # still the other attempt's
    assert files_of(stored) == []


def test_a_maker_that_fails_fails_the_job_with_its_traceback_logged(job, monkeypatch, caplog):
    def broken(job, progress):
        raise ValueError("a bug")

    monkeypatch.setitem(kinds.MAKERS, Job.Kind.COURSE_XLSX, broken)
    with caplog.at_level(logging.ERROR, logger="portal.jobs"):
        failed = job_run(job.pk)
    assert (failed.state, failed.failure) == (Job.State.FAILED, Job.Failure.ERROR)
    assert "a bug" in caplog.text
    assert files_of(failed) == []


def test_a_storage_that_refuses_the_file_fails_the_job(job, settings, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the storage needs a folder")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": blocked}},
    }
    failed = job_run(job.pk)
    assert (failed.state, failed.failure) == (Job.State.FAILED, Job.Failure.STORAGE)
    assert not failed.file


def test_expired_files_are_deleted_and_the_page_offers_to_prepare_again(cast, job, login):
    done = job_run(job.pk)
    name = done.file.name
    assert expire_files() == 0  # not yet
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert expire_files() == 1
    expired = Job.objects.get(pk=job.pk)
    assert (expired.state, expired.file.name) == (Job.State.EXPIRED, "")
    assert not default_storage.exists(name)
    client = login(cast.instructor)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'action="/courses/{cast.course.pk}/gradebook/export/xlsx/"' in page


def test_stalled_jobs_run_again_once_then_fail(job, settings):
    stale = timezone.now() - dt.timedelta(seconds=settings.JOB_STALL_SECONDS + 1)
    fresh = Job.objects.create(
        kind=Job.Kind.COURSE_PDF, requested_by=job.requested_by, course=job.course, language="kk"
    )
    Job.objects.filter(pk=fresh.pk).update(state=Job.State.RUNNING, attempts=1, heartbeat_at=timezone.now())
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=1, heartbeat_at=stale)
    assert recover_stalled() == 1  # with no queue the job is run again at once
    again = Job.objects.get(pk=job.pk)
    assert (again.state, again.attempts) == (Job.State.DONE, 2)
    assert Job.objects.get(pk=fresh.pk).state == Job.State.RUNNING  # its worker is alive

    Job.objects.filter(pk=fresh.pk).update(attempts=2, heartbeat_at=stale)
    assert recover_stalled() == 0
    assert Job.objects.get(pk=fresh.pk).failure == Job.Failure.STOPPED


def test_a_file_past_its_time_is_deleted_when_its_page_is_opened_even_without_beat(cast, job, login):
    done = job_run(job.pk)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client = login(cast.instructor)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert not default_storage.exists(done.file.name)
    assert Job.objects.get(pk=job.pk).state == Job.State.EXPIRED
    assert client.get(f"/jobs/{job.pk}/status/").json()["state"] == "expired"


def test_a_job_queued_long_ago_is_queued_again_its_message_may_be_lost(job, settings):
    long_ago = timezone.now() - dt.timedelta(seconds=5 * settings.JOB_STALL_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, heartbeat_at=long_ago)
    assert recover_stalled() == 1  # with no queue it runs at once
    assert Job.objects.get(pk=job.pk).state == Job.State.DONE


def test_a_job_queued_lately_is_left_in_the_queue(job):
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, heartbeat_at=timezone.now())
    assert recover_stalled() == 0
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED


def test_a_file_gone_from_the_storage_sends_the_person_to_prepare_it_again(cast, job, login):
    done = job_run(job.pk)
    default_storage.delete(done.file.name)
    response = login(cast.instructor).get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert Job.objects.get(pk=job.pk).state == Job.State.EXPIRED
