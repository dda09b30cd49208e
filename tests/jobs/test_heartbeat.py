"""A maker's step that takes longer than the stall time (one big render) does not make the job look dead: the
heartbeat is written from a thread of its own while the maker runs. Transactional, so that the thread's writes are
seen."""

import time

import pytest

from jobs import kinds
from jobs.models import Job
from jobs.runner import job_run, stalled_before

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_long_step_keeps_the_job_alive(cast, settings, monkeypatch):
    settings.JOB_STALL_SECONDS = 0.4  # a heartbeat every 0.1 s
    job = Job.objects.create(kind=Job.Kind.COURSE_XLSX, requested_by=cast.instructor, course=cast.course, language="kk")
    seen = {}

    def one_long_step(job, progress):
        time.sleep(1.0)  # no progress reported: 2.5 stall times
        seen["heartbeat"] = Job.objects.get(pk=job.pk).heartbeat_at
        seen["stalled_before"] = stalled_before()
        return kinds.Output(b"x", "x.xlsx", "application/octet-stream")

    monkeypatch.setitem(kinds.MAKERS, Job.Kind.COURSE_XLSX, one_long_step)
    done = job_run(job.pk)
    assert (done.state, done.attempts) == (Job.State.DONE, 1)
    assert seen["heartbeat"] > seen["stalled_before"]  # beat would not take it for dead
