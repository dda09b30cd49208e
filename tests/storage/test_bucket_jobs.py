"""A job's file (jobs/) in the bucket: made (in the request, as with no queue configured), stored as an object of
the bucket, and fetched through ``/jobs/<uuid>/download/`` by the person who asked for it only."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(login, cast, s3_bucket, settings):
    settings.CELERY_BROKER_URL = ""
    response = login(cast.instructor).post(reverse("jobs:course_export", args=[cast.course.pk, "xlsx"]))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    assert job.state == Job.State.DONE
    return job


def test_a_jobs_file_is_an_object_of_the_bucket(s3_bucket, job):
    assert s3_bucket.keys() == [job.file.name]
    assert job.file.name.startswith(f"jobs/{job.pk}/")


def test_the_requester_downloads_the_jobs_file_from_the_bucket(login, cast, s3_bucket, job):
    response = login(cast.instructor).get(reverse("jobs:download", args=[job.pk]))
    content = b"".join(response.streaming_content)
    assert content == s3_bucket.read(job.file.name)
    assert load_workbook(io.BytesIO(content)).active.max_row > 1
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("who", ["student", "other_instructor", "dept_admin"])
def test_nobody_else_downloads_the_jobs_file(login, cast, job, who):
    assert login(getattr(cast, who)).get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(job):
    response = Client().get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
