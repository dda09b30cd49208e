"""The student's hand-in pages (portfolio/views/hand_in.py): who may stage, remove and submit files, then what
uploading, removing and submitting do."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio import services
from portfolio.models import Submission, SubmissionFile, Version
from tests.portfolio.conftest import BEFORE, docx, pdf

pytestmark = pytest.mark.django_db

STATEMENT = {"own_work": "on", "deidentified": "on"}


def upload_url(task):
    return reverse("portfolio:draft_upload", args=[task.course_id, task.pk])


def submit_url(task):
    return reverse("portfolio:draft_submit", args=[task.course_id, task.pk])


def remove_url(task, item):
    return reverse("portfolio:draft_file_remove", args=[task.course_id, task.pk, item.pk])


@pytest.fixture
def draft(cast, essay):
    """The student's draft of the essay with one staged file."""
    return services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, essay, draft):
    for url in (upload_url(essay), submit_url(essay), remove_url(essay, draft.files.get())):
        response = client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))
    assert Version.objects.get().is_draft and SubmissionFile.objects.count() == 1


def test_another_student_cannot_hand_in_for_a_course_they_are_not_on(login, cast, essay):
    client = login(cast.other_student)
    url = reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk])
    assert client.post(url, {"files": docx()}).status_code == 404
    assert not Submission.objects.exists()


def test_another_courses_student_can_neither_submit_nor_remove_files_here(login, cast, essay, draft):
    client = login(cast.other_student)
    assert client.post(submit_url(essay), STATEMENT).status_code == 404
    assert client.post(remove_url(essay, draft.files.get())).status_code == 404
    assert Version.objects.get().is_draft and SubmissionFile.objects.count() == 1


def test_a_student_cannot_remove_a_classmates_draft_file(login, cast, essay):
    draft = services.draft_add_files(task=essay, student=cast.classmate, uploads=[docx()], now=BEFORE)
    url = reverse("portfolio:draft_file_remove", args=[essay.course_id, essay.pk, draft.files.get().pk])
    assert login(cast.student).post(url).status_code == 404
    assert SubmissionFile.objects.count() == 1


def test_staff_cannot_hand_in(login, cast, essay):
    url = reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk])
    assert login(cast.instructor).post(url, {"files": docx()}).status_code == 403


@pytest.mark.parametrize("who", ["instructor", "dept_admin", "other_instructor", "other_dept_admin"])
def test_staff_of_any_course_are_refused_every_hand_in_page(login, cast, essay, draft, who):
    client = login(getattr(cast, who))
    assert client.post(upload_url(essay), {"files": docx()}).status_code == 403
    assert client.post(submit_url(essay), STATEMENT).status_code == 403
    assert client.post(remove_url(essay, draft.files.get())).status_code == 403
    assert Version.objects.get().is_draft and SubmissionFile.objects.count() == 1


def test_the_hand_in_pages_answer_only_post(login, cast, essay, draft):
    client = login(cast.student)
    for url in (upload_url(essay), submit_url(essay), remove_url(essay, draft.files.get())):
        assert client.get(url).status_code == 405, url


# Handing in through the pages -----------------------------------------------------------------


def test_a_student_uploads_and_submits_with_the_statement(login, cast, essay):
    client = login(cast.student)
    task_page = reverse("grading:task_detail", args=[essay.course_id, essay.pk])
    response = client.post(
        reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk]), {"files": [docx(), pdf()]}, follow=True
    )
    assert response.redirect_chain[-1][0] == task_page
    assert Version.objects.get().files.count() == 2
    response = client.post(
        reverse("portfolio:draft_submit", args=[essay.course_id, essay.pk]),
        {"own_work": "on", "deidentified": "on"},
        follow=True,
    )
    version = Version.objects.get()
    assert version.state == Version.State.SUBMITTED
    assert version.is_late  # the cast's term is long past
    html = response.content.decode()
    assert 'data-version="1"' in html


def test_submitting_without_ticking_the_statement_says_why_in_kazakh(login, cast, essay):
    client = login(cast.student)
    client.post(reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk]), {"files": docx()})
    response = client.post(
        reverse("portfolio:draft_submit", args=[essay.course_id, essay.pk]), {"own_work": "on"}, follow=True
    )
    assert Version.objects.get().is_draft
    assert 'class="alert alert-danger' in response.content.decode()


def test_a_student_removes_a_file_from_their_draft(login, cast, essay, draft):
    response = login(cast.student).post(remove_url(essay, draft.files.get()))
    assert response.status_code == 302
    assert response["Location"] == reverse("grading:task_detail", args=[essay.course_id, essay.pk])
    assert not SubmissionFile.objects.exists()
    assert Version.objects.get().is_draft


def test_a_renamed_executable_is_refused_with_a_message_and_nothing_stored(login, cast, essay):
    client = login(cast.student)
    fake = SimpleUploadedFile("эссе.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(
        reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk]), {"files": fake}, follow=True
    )
    assert response.status_code == 200
    assert "эссе.pdf" in response.content.decode()
    assert 'class="alert alert-danger' in response.content.decode()
    assert not Submission.objects.exists()


def test_an_upload_cut_off_midway_leaves_nothing_behind(login, cast, essay):
    client = login(cast.student)
    boundary = "BoUnDaRy"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="files"; filename="essay.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + b"%PDF-1.4\n"
        + b"x" * 5000
    )  # the connection drops: no closing boundary
    response = client.generic(
        "POST",
        reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk]),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code in {302, 400}
    assert not Submission.objects.exists()
    root = Path(default_storage.location)
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))
