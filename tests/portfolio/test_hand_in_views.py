"""The student's hand-in pages (portfolio/views/hand_in.py): who may stage, remove and submit files, then what
uploading, removing and submitting do."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from portfolio import services
from portfolio.models import Submission, SubmissionFile, Version
from portfolio.receipts import file_line
from portfolio.templatetags.portfolio import duration_words
from tests.portfolio.conftest import BEFORE, docx, pdf

pytestmark = pytest.mark.django_db

STATEMENT = {"own_work": "on", "deidentified": "on"}


def stored_files():
    root = Path(default_storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def cast_lateness(version):
    """The cast's term is long past: every hand-in through the pages is late, by this much in words."""
    return duration_words(version.late_by)


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


@pytest.mark.parametrize("who", [None, "other_student", "instructor", "other_instructor"])
def test_nobody_but_the_student_hands_in_files_through_the_hand_in_form(login, client, cast, essay, who):
    client = login(getattr(cast, who)) if who else client
    response = client.post(submit_url(essay), {**STATEMENT, "files": docx()})
    assert response.status_code == {None: 302, "other_student": 404}.get(who, 403)
    assert not Submission.objects.exists()
    assert stored_files() == []


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


# Picking files and handing in is one action ------------------------------------------------------


def test_a_student_picks_a_file_and_hands_in_without_pressing_upload(login, cast, essay):
    response = login(cast.student).post(
        submit_url(essay), {**STATEMENT, "files": docx("Менің эссем.docx")}, follow=True
    )
    version = Version.objects.get()
    item = version.files.get()
    assert version.state == Version.State.SUBMITTED and item.original_name == "Менің эссем.docx"
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [f"1-нұсқа {cast_lateness(version)} кешігіп тапсырылды. Құрамындағы файлдар: {file_line(item)}."]
    receipt = response.content.decode().split('class="card mb-4 receipt"')[1].split("</section>")[0]
    assert "Түбіртек: 1-нұсқа тапсырылды" in receipt
    assert "Менің эссем.docx" in receipt and item.sha256[:12] in receipt and filesizeformat(item.size) in receipt


def test_a_bad_file_in_the_hand_in_form_hands_in_nothing(login, cast, essay, draft):
    fake = SimpleUploadedFile("эссе.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = login(cast.student).post(
        submit_url(essay), {**STATEMENT, "files": [pdf("дұрыс.pdf"), fake]}, follow=True
    )
    assert 'class="alert alert-danger' in response.content.decode()
    assert Version.objects.get().is_draft and SubmissionFile.objects.count() == 1
    assert len(stored_files()) == 1


def test_the_upload_button_of_the_hand_in_form_only_stages(login, cast, essay):
    """The hand-in form's second button posts the same files to the upload view: staged, nothing handed in."""
    response = login(cast.student).post(upload_url(essay), {"own_work": "on", "files": docx("жоба.docx")}, follow=True)
    draft = Version.objects.get()
    assert draft.is_draft and list(draft.files.values_list("original_name", flat=True)) == ["жоба.docx"]
    assert 'data-name="жоба.docx"' in response.content.decode()


def test_removing_a_file_of_the_last_version_starts_the_next_draft_without_it(login, cast, essay):
    first = services.draft_submit(
        task=essay, student=cast.student, uploads=[docx("эссе.docx"), pdf()], statement_accepted=True
    )
    response = login(cast.student).post(remove_url(essay, first.files.get(original_name="эссе.docx")), follow=True)
    assert response.status_code == 200
    draft = Version.objects.get(state=Version.State.DRAFT)
    assert draft.number == 2
    assert list(draft.files.values_list("original_name", flat=True)) == ["эссе.pdf"]
    assert first.files.count() == 2
