"""Students' files in a private S3 bucket (moto's server, reached over HTTP by boto3 as in production): handed in
through the pages, the files are objects of the bucket; they come back through the portal's views only, to whom
may have them, byte for byte, streamed; the ZIPs, the in-page PDF, the preview and a plan built in the portal work
from the bucket too."""

import io
import tracemalloc
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from caseplans import services as caseplans
from config.responses import CHUNK_SIZE
from demo.portfolios import make_docx
from portfolio.models import FilePreview, SubmissionFile, Version
from tests.caseplans.conftest import plan_values
from tests.portfolio.conftest import PDF, pdf

pytestmark = pytest.mark.django_db

# Larger than a chunk, so a download that is streamed comes in several.
LARGE_PDF = PDF + b"%" + bytes(range(256)) * (3 * CHUNK_SIZE // 256)
DOCX = make_docx(["Кіріспе мәтіні"])


def task_page(task):
    return reverse("grading:task_detail", args=[task.course_id, task.pk])


def file_url(item, **query):
    url = reverse("portfolio:file_download", args=[item.pk])
    return url + "?inline=1" if query.get("inline") else url


def body(response):
    assert response.streaming
    return b"".join(response.streaming_content)


def hand_in_through_the_page(client, task, *uploads):
    url = reverse("portfolio:draft_submit", args=[task.course_id, task.pk])
    response = client.post(url, {"files": list(uploads), "own_work": "on", "deidentified": "on"})
    assert response.status_code == 302 and response["Location"] == task_page(task)
    return Version.objects.get(submission__task=task, state=Version.State.SUBMITTED)


@pytest.fixture
def handed_in(login, cast, s3_bucket):
    """The student's essay handed in through the hand-in page: a PDF of several chunks and a document."""
    essay = cast.tasks["СОӨЖ 1"]
    client = login(cast.student)
    return hand_in_through_the_page(
        client,
        essay,
        SimpleUploadedFile("Әсел эссе.pdf", LARGE_PDF),
        SimpleUploadedFile("қосымша.docx", DOCX),
    )


def test_files_handed_in_are_objects_of_the_bucket_under_their_rows_names(cast, s3_bucket, handed_in):
    names = sorted(handed_in.files.values_list("file", flat=True))
    assert s3_bucket.keys() == names
    assert all(name.startswith(f"portfolio/{cast.course.pk}/") for name in names)
    stored = handed_in.files.get(extension="pdf")
    assert s3_bucket.read(stored.file.name) == LARGE_PDF


def test_the_bucket_gives_no_object_to_anyone_without_credentials(s3_bucket, handed_in):
    """Private: the object's own address answers 403 to a request that is not signed."""
    key = handed_in.files.get(extension="pdf").file.name
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_bucket.endpoint}/{s3_bucket.name}/{key}")  # noqa: S310 — our test server
    assert refused.value.code == 403


def test_a_file_comes_back_through_the_portal_byte_for_byte_in_chunks(login, cast, handed_in):
    item = handed_in.files.get(extension="pdf")
    for who in (cast.student, cast.instructor, cast.dept_admin):
        response = login(who).get(file_url(item))
        assert response.status_code == 200
        chunks = list(response.streaming_content)
        assert len(chunks) > 1 and max(len(chunk) for chunk in chunks) <= CHUNK_SIZE
        assert b"".join(chunks) == LARGE_PDF
        assert response["Content-Length"] == str(len(LARGE_PDF))
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "Location" not in response


def test_a_large_file_is_not_held_in_memory_to_be_sent(login, cast, s3_bucket, handed_in):
    """django-storages' own file object would copy the whole object into memory before the first byte went out."""
    item = handed_in.files.get(extension="pdf")
    large = LARGE_PDF * 100  # 19 MiB
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=item.file.name, Body=large)
    client = login(cast.instructor)
    tracemalloc.start()
    try:
        response = client.get(file_url(item))
        chunks = iter(response.streaming_content)
        first = next(chunks)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024
    assert first + b"".join(chunks) == large


def test_anonymous_visitors_are_sent_to_sign_in(handed_in):
    response = Client().get(file_url(handed_in.files.get(extension="pdf")))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["classmate", "other_student", "other_instructor", "other_dept_admin"])
def test_nobody_else_gets_the_file_from_the_bucket(login, cast, handed_in, who):
    response = login(getattr(cast, who)).get(file_url(handed_in.files.get(extension="pdf")))
    assert response.status_code == 404
    assert LARGE_PDF not in response.content


def test_a_pdf_opens_in_the_portals_own_frame(login, cast, handed_in):
    response = login(cast.instructor).get(file_url(handed_in.files.get(extension="pdf"), inline=True))
    assert body(response) == LARGE_PDF
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_the_tasks_zip_holds_the_files_from_the_bucket(login, cast, handed_in):
    task = handed_in.submission.task
    response = login(cast.instructor).get(reverse("portfolio:queue_zip", args=[task.course_id, task.pk]))
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    [pdf_name] = [name for name in archive.namelist() if name.endswith("Әсел эссе.pdf")]
    assert archive.read(pdf_name) == LARGE_PDF
    assert any(name.endswith("қосымша.docx") for name in archive.namelist())
    assert response["Cache-Control"] == "private, no-store"


def test_the_students_portfolio_zip_holds_the_files_from_the_bucket(login, cast, handed_in):
    response = login(cast.student).get(reverse("portfolio:student_portfolio_zip", args=[cast.course.pk]))
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive.read("СОӨЖ 1/Әсел эссе.pdf") == LARGE_PDF
    assert archive.read("СОӨЖ 1/қосымша.docx") == DOCX


def test_a_preview_is_built_from_the_file_in_the_bucket(login, cast, handed_in):
    """The preview kept at upload is dropped: the grading page builds it again, reading the object."""
    FilePreview.objects.all().delete()
    item = handed_in.files.get(extension="docx")
    client = login(cast.instructor)
    client.cookies["portal_language"] = "en"
    url = reverse("grading:grade", args=[handed_in.submission_id]) + f"?file={item.pk}"
    assert "<p>Кіріспе мәтіні</p>" in client.get(url).content.decode()
    assert FilePreview.objects.get(sha256=item.sha256).kind == "text"


def test_a_draft_file_is_deleted_from_the_bucket_once_its_removal_commits(
    login, cast, s3_bucket, django_capture_on_commit_callbacks
):
    essay = cast.tasks["СОӨЖ 1"]
    client = login(cast.student)
    client.post(reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk]), {"files": [pdf()]})
    item = SubmissionFile.objects.get()
    assert s3_bucket.keys() == [item.file.name]
    remove = reverse("portfolio:draft_file_remove", args=[essay.course_id, essay.pk, item.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remove)
    assert s3_bucket.keys() == []


def test_a_plan_built_in_the_portal_is_handed_in_with_its_pdf_in_the_bucket(login, cast, s3_bucket, given_case):
    task = given_case.task
    caseplans.plan_save(task=task, student=cast.student, values=plan_values())
    url = reverse("caseplans:plan_submit", args=[task.course_id, task.pk])
    response = login(cast.student).post(url, {"own_work": "on", "deidentified": "on"})
    assert response["Location"] == task_page(task)
    document = Version.objects.get(submission__task=task).files.get(is_generated=True)
    assert s3_bucket.keys() == [document.file.name]
    downloaded = body(login(cast.instructor).get(file_url(document)))
    assert downloaded.startswith(b"%PDF-") and downloaded == s3_bucket.read(document.file.name)


def test_no_page_gives_out_an_address_of_the_bucket(login, cast, s3_bucket, handed_in):
    """The pages that list the files link the portal's views; neither the bucket's server nor a key appears."""
    task = handed_in.submission.task
    keys = list(handed_in.files.values_list("file", flat=True))
    pages = [
        login(cast.student).get(task_page(task)),
        login(cast.instructor).get(reverse("grading:grade", args=[handed_in.submission_id])),
    ]
    for response in pages:
        page = response.content.decode()
        assert response.status_code == 200 and file_url(handed_in.files.get(extension="pdf")) in page
        assert s3_bucket.endpoint not in page and s3_bucket.name not in page
        assert not any(key in page for key in keys)
