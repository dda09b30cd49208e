"""Jobs with a real queue: Redis as broker (database 3) and real Celery workers started by the tests, on PostgreSQL
(the workers share the pytest database, so the tests are transactional). The page shows the job waiting, then the
link once a worker made the file; a worker killed mid-job leaves the job to run again once, with one file in the end;
Redis down, the file is made in the request and the page says so; a new file's preview is built by a worker."""

import io
import time
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from config.celery import app as celery_app
from demo.portfolios import make_docx
from jobs.models import Job
from jobs.tasks import recover_stalled
from portfolio import services as portfolio_services
from portfolio.models import FilePreview, Version
from portfolio.previews.base import Reason
from tests.grading.conftest import enrol_graded
from tests.multi.conftest import open_task
from tests.servers import free_port, kill

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the workers share the test database: PostgreSQL"),
]


def wait_for(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
    return found


def job_files(job):
    folder = f"jobs/{job.pk}"
    return [
        f"{folder}/{attempt}/{name}"
        for attempt in default_storage.listdir(folder)[0]
        for name in default_storage.listdir(f"{folder}/{attempt}")[1]
    ]


def test_the_page_shows_the_job_waiting_then_the_link_once_a_worker_made_it(cast, broker, workers, login):
    client = login(cast.instructor)
    response = client.post(reverse("jobs:course_export", args=[cast.course.pk, "pdf"]))
    job = Job.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert str(Job.State.QUEUED.label) in page and "data-status-url" in page  # no worker yet: it waits
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404

    workers()
    status = wait_for(
        lambda: (s := client.get(reverse("jobs:status", args=[job.pk])).json())["state"] == "done" and s, "the job"
    )
    assert status["download"] == reverse("jobs:download", args=[job.pk])
    job.refresh_from_db()
    assert (job.attempts, job.ran_in_request, job.steps_done, job.steps_total) == (1, False, 2, 2)
    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert job.filename in page and "data-status-url" not in page
    content = b"".join(client.get(status["download"]).streaming_content)
    assert content.startswith(b"%PDF")


def test_a_worker_killed_mid_job_leaves_it_to_run_again_once_with_one_file(cast, broker, workers, login, settings):
    enrol_graded(cast, 30)  # 30 feedback PDFs: several seconds of work
    task = cast.tasks["СӨЖ 1"]
    Version.objects.filter(submission__task=task).update(is_latest=True)  # enrol_graded writes the rows directly
    client = login(cast.instructor)
    client.post(reverse("jobs:feedback_export", args=[cast.course.pk, task.pk]))
    job = Job.objects.get()

    first = workers("first")
    wait_for(lambda: Job.objects.get(pk=job.pk).steps_done >= 3, "the first worker's progress")
    kill(first)  # SIGKILL to the worker and its pool, mid-job
    killed = Job.objects.get(pk=job.pk)
    assert (killed.state, killed.attempts) == (Job.State.RUNNING, 1)
    assert killed.steps_done < killed.steps_total == 30

    settings.JOB_STALL_SECONDS = 1
    time.sleep(1.5)  # no heartbeat since the kill
    assert recover_stalled() == 1  # what beat runs every minute
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED

    workers("second")
    wait_for(lambda: Job.objects.get(pk=job.pk).state == Job.State.DONE, "the second attempt", timeout=90)
    done = Job.objects.get(pk=job.pk)
    assert done.attempts == 2
    assert job_files(done) == [done.file.name]  # one file: the second attempt's
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    assert len(zipfile.ZipFile(io.BytesIO(content)).namelist()) == 30


def test_with_redis_down_the_file_is_made_in_the_request_and_the_page_says_so(cast, login, settings, tmp_path):
    port = free_port()
    down = f"redis://127.0.0.1:{port}/0"  # nothing listens there: Redis is down
    settings.CELERY_BROKER_URL = down
    before = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(broker_url=down, task_always_eager=False)
    try:
        client = login(cast.instructor)
        assert client.get(reverse("grading:gradebook", args=[cast.course.pk])).status_code == 200
        started = time.monotonic()
        response = client.post(reverse("jobs:course_export", args=[cast.course.pk, "xlsx"]), follow=True)
        waited = time.monotonic() - started
    finally:
        celery_app.conf.update(**before)
    job = Job.objects.get()
    assert (job.state, job.ran_in_request) == (Job.State.DONE, True)
    page = response.content.decode()
    assert "data-ran-in-request" in page
    assert reverse("jobs:download", args=[job.pk]) in page
    assert waited < 15, f"the request waited {waited:.1f} s for the broker"


def test_a_new_files_preview_is_built_by_a_worker_and_the_page_says_so_meanwhile(cast, broker, workers, login):
    task = open_task(cast, rubric=False)
    upload = SimpleUploadedFile("эссе.docx", make_docx(["Кейс-менеджмент: жұмыс жоспары"]))
    version = portfolio_services.draft_submit(
        task=task, student=cast.student, uploads=[upload], statement_accepted=True
    )
    assert not FilePreview.objects.exists()  # not built in the request
    client = login(cast.instructor)
    page = client.get(reverse("grading:grade", args=[version.submission.pk])).content.decode()
    assert escape(str(Reason.TEXTS[Reason.PENDING])) in page

    workers()
    wait_for(FilePreview.objects.exists, "the preview")
    page = client.get(reverse("grading:grade", args=[version.submission.pk])).content.decode()
    assert "Кейс-менеджмент: жұмыс жоспары" in page
