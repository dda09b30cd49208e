"""Two application servers behind one address, as a university runs the portal: two gunicorn processes on
different ports with the same database, storage, secret key and job queue. Whichever server a request reaches, a
person's session, their files, a grader's conflict and a job's file are the same: nothing lives in one server's
memory."""

import subprocess
import time

import pytest
from django.db import connection

from demo.portfolios import make_docx
from grading.models import Grade, GradeChange
from jobs.models import Job
from portfolio.models import SubmissionFile, Version
from tests.conftest import PASSWORD, make_user
from tests.multi.conftest import grade_form, handed_in, lock_version_shown, open_task, usable_on_servers
from tests.servers import Client, celery_worker_start, gunicorn_start, stop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two servers share one database only on PostgreSQL"),
]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STALE = "Someone else saved this grade while you were working. Your changes were not saved."


@pytest.fixture(scope="module")
def servers(deployment):
    """Servers A and B, each with two workers."""
    started = [gunicorn_start(deployment["env"], deployment["folder"], workers=2, threads=2) for _ in range(2)]
    yield started
    for server in started:
        stop(server)


def browser(server):
    """A browser that reads the portal in English."""
    return Client(server.port, cookies={"portal_language": "en"})


def test_a_student_signed_in_on_one_server_hands_in_through_the_other_and_sees_the_work_on_both(servers, cast):
    a, b = servers
    task = open_task(cast, rubric=False)
    usable_on_servers(cast.student)
    page = f"/courses/{cast.course.pk}/tasks/{task.pk}/"
    student = browser(a).sign_in("student", PASSWORD)
    content = make_docx(["Екі сервер арқылы тапсырылған эссе"])

    response = student.post(
        f"{page}submit/",
        {"own_work": "on", "deidentified": "on"},
        files=[("files", "Әсел эссе.docx", content, DOCX)],
        port=b.port,
    )

    assert (response.status, response.location) == (302, page)
    version = Version.objects.get(submission__task=task, submission__student=cast.student)
    assert (version.state, version.number) == (Version.State.SUBMITTED, 1)
    stored = SubmissionFile.objects.get(version=version)
    # The message B left in the (signed) cookie is shown by A: the servers share the secret key.
    first = student.get(page, port=a.port)
    assert first.status == 200 and "Version 1 was handed in." in first.text
    for server in (a, b):
        shown = student.get(page, port=server.port)
        assert shown.status == 200 and "Әсел эссе.docx" in shown.text, server.port
        download = student.get(f"/files/{stored.pk}/", port=server.port)
        assert (download.status, download.body) == (200, content), server.port


def test_two_graders_on_two_servers_saving_the_same_grade_one_lands_and_the_other_is_told(servers, cast):
    a, b = servers
    task = open_task(cast)
    submission = handed_in(task, cast.student).submission
    colleague = make_user("colleague", "instructor", cast.department, last_name="Әріптес")
    cast.course.instructors.add(colleague)
    usable_on_servers(cast.instructor, colleague)
    first, second = browser(a).sign_in("instructor", PASSWORD), browser(b).sign_in("colleague", PASSWORD)
    grade_page = f"/submissions/{submission.pk}/grade/"

    # Both open the page before either saves: both forms carry lock version 0 (no grade yet).
    opened = [first.get(grade_page), second.get(grade_page)]
    assert [lock_version_shown(page.text) for page in opened] == [0, 0]
    landed = first.post(grade_page, grade_form(task, first_points="24", feedback="Saved on A", lock_version=0))
    refused = second.post(grade_page, grade_form(task, first_points="21", feedback="Saved on B", lock_version=0))

    assert (landed.status, landed.location) == (302, grade_page)
    assert refused.status == 200 and STALE in refused.text
    grade = Grade.objects.get(submission=submission)
    assert (grade.feedback, grade.graded_by, grade.lock_version) == ("Saved on A", cast.instructor, 1)
    history = list(GradeChange.objects.filter(grade=grade).order_by("pk"))
    assert [(change.changed_by, change.after["feedback"]) for change in history] == [(cast.instructor, "Saved on A")]
    # The refused grader is shown the values that landed, keeps their own in the form, and may save over them now.
    assert "Saved on A" in refused.text and "Saved on B" in refused.text
    assert lock_version_shown(refused.text) == 1
    again = second.post(grade_page, grade_form(task, first_points="21", feedback="Saved on B", lock_version=1))
    assert again.status == 302
    history = list(GradeChange.objects.filter(grade=grade).order_by("pk"))
    assert [(change.changed_by, change.after["feedback"]) for change in history] == [
        (cast.instructor, "Saved on A"),
        (colleague, "Saved on B"),
    ]
    assert history[1].before == history[0].after


def test_a_job_asked_for_on_one_server_is_made_by_a_worker_and_downloaded_through_the_other(servers, deployment, cast):
    a, b = servers
    task = open_task(cast)
    handed_in(task, cast.student)
    usable_on_servers(cast.instructor)
    instructor = browser(a).sign_in("instructor", PASSWORD)
    instructor.get(f"/courses/{cast.course.pk}/gradebook/")
    worker = celery_worker_start(deployment["env"], deployment["folder"])
    try:
        asked = instructor.post(f"/courses/{cast.course.pk}/gradebook/export/pdf/")
        assert asked.status == 302 and asked.location.startswith("/jobs/"), asked.status
        job_page = asked.location
        assert instructor.get(job_page).status == 200
        status = _finished(instructor, f"{job_page}status/", port=b.port)
    finally:
        stop(worker)

    assert status["state"] == "done", status
    job = Job.objects.get()
    assert (job.attempts, job.ran_in_request, job.course) == (1, False, cast.course)
    download = instructor.get(status["download"], port=b.port)
    assert download.status == 200 and download.body.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=download.body, capture_output=True, check=True).stdout.decode()
    assert cast.course.code in text and "Әбілқасымова" in text


def _finished(client, path, *, port, timeout=60):
    """The job's status once it is done or failed, polled as the job's page does."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(path, port=port)
        assert response.status == 200, response.status
        status = response.json()
        if status["state"] in {"done", "failed", "expired"} or time.monotonic() > deadline:
            return status
        time.sleep(0.2)
