"""The portal configured for a bucket by its environment alone (STORAGE_BUCKET and the rest, read by
config/settings.py), as a deployment configures it: a real gunicorn takes a student's hand-in into the bucket,
gives the file back to the instructor, and ``manage.py clean_uploads`` with the same environment lists the bucket and
keeps the file a row names. PostgreSQL only: the server and the test share the test database."""

import secrets

import pytest
from django.db import connection
from django.urls import reverse

from portfolio.models import SubmissionFile
from tests.conftest import PASSWORD
from tests.multi.conftest import database_url, open_task, usable_on_servers
from tests.portfolio.conftest import PDF
from tests.servers import Client, gunicorn_start, manage, server_env, stop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the server shares the test's PostgreSQL database"),
]

HANDED_IN = PDF + b"%" + b"bucket " * 20_000


def test_a_server_configured_for_a_bucket_stores_and_serves_the_work_there(cast, s3_bucket, tmp_path):
    task = open_task(cast, rubric=False)
    usable_on_servers(cast.student, cast.instructor)
    env = server_env(
        DATABASE_URL=database_url(),
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG=1,
        PRIVATE_STORAGE_ROOT=tmp_path / "unused",  # nothing may land on the disk
        **s3_bucket.env,
    )
    server = gunicorn_start(env, tmp_path)
    try:
        student = Client(server.port).sign_in("student", PASSWORD)
        page = reverse("grading:task_detail", args=[task.course_id, task.pk])
        student.get(page)
        response = student.post(
            reverse("portfolio:draft_submit", args=[task.course_id, task.pk]),
            {"own_work": "on", "deidentified": "on"},
            files=[("files", "эссе.pdf", HANDED_IN, "application/pdf")],
        )
        assert response.status == 302 and response.location == page, server.output()[-2000:]
        item = SubmissionFile.objects.get()
        assert s3_bucket.keys() == [item.file.name]
        assert s3_bucket.read(item.file.name) == HANDED_IN
        instructor = Client(server.port).sign_in("instructor", PASSWORD)
        download = instructor.get(reverse("portfolio:file_download", args=[item.pk]))
        assert download.status == 200 and download.body == HANDED_IN
        assert download.headers["Cache-Control"] == "private, no-store"
    finally:
        stop(server)
    assert [path for path in (tmp_path / "unused").rglob("*") if path.is_file()] == []
    summary = manage(env, "clean_uploads", "--older-than", "0")
    assert summary.strip().endswith("kept 1 file(s) that rows name.") and summary.startswith("Removed 0 orphan")
    assert s3_bucket.keys() == [item.file.name]
