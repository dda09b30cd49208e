"""Portfolio pages and files: who may reach them, then what they do."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from coursework.models import Enrollment
from portfolio import services
from portfolio.models import Submission, SubmissionFile, Version
from tests.conftest import make_user
from tests.portfolio.conftest import at, docx, pdf

pytestmark = pytest.mark.django_db

BEFORE = at(dt.date(2025, 9, 20))


def hand_in(task, student, upload, moment=BEFORE):
    services.draft_add_files(task=task, student=student, uploads=[upload], now=moment)
    return services.draft_submit(task=task, student=student, statement_accepted=True, now=moment)


@pytest.fixture
def handed_in(cast, essay):
    return hand_in(essay, cast.student, pdf("Әсел эссе.pdf"))


def urls(version):
    submission = version.submission
    task = submission.task
    return {
        "file": reverse("portfolio:file_download", args=[version.files.get().pk]),
        "submission": reverse("portfolio:submission_detail", args=[submission.pk]),
        "queue": reverse("grading:queue", args=[task.course_id, task.pk]),
        "zip": reverse("portfolio:queue_zip", args=[task.course_id, task.pk]),
    }


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, handed_in):
    for url in urls(handed_in).values():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["classmate", "other_student", "other_instructor", "other_dept_admin"])
def test_nobody_else_reaches_a_students_work(login, cast, handed_in, who):
    client = login(getattr(cast, who))
    assert client.get(urls(handed_in)["file"]).status_code == 404
    assert client.get(urls(handed_in)["submission"]).status_code == 404


@pytest.mark.parametrize("who", ["classmate", "other_student", "other_instructor", "other_dept_admin"])
def test_the_queue_and_its_zip_are_closed_to_students_and_outsiders(login, cast, handed_in, who):
    client = login(getattr(cast, who))
    assert client.get(urls(handed_in)["queue"]).status_code in {403, 404}
    assert client.get(urls(handed_in)["zip"]).status_code in {403, 404}


@pytest.mark.parametrize("who", ["student", "instructor", "dept_admin"])
def test_the_student_the_instructor_and_the_department_admin_get_the_file(login, cast, handed_in, who):
    response = login(getattr(cast, who)).get(urls(handed_in)["file"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_staff_do_not_see_a_students_unsubmitted_draft(login, cast, essay):
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    url = reverse("portfolio:file_download", args=[draft.files.get().pk])
    assert login(cast.instructor).get(url).status_code == 404
    assert login(cast.student).get(url).status_code == 200


def test_another_student_cannot_hand_in_for_a_course_they_are_not_on(login, cast, essay):
    client = login(cast.other_student)
    url = reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk])
    assert client.post(url, {"files": docx()}).status_code == 404
    assert not Submission.objects.exists()


def test_staff_cannot_hand_in(login, cast, essay):
    url = reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk])
    assert login(cast.instructor).post(url, {"files": docx()}).status_code == 403


def test_a_department_admin_may_read_the_queue_but_not_change_deadlines(login, cast, handed_in, essay):
    client = login(cast.dept_admin)
    assert client.get(urls(handed_in)["queue"]).status_code == 200
    url = reverse("grading:deadline_update", args=[essay.course_id, essay.pk])
    assert client.post(url, {"cutoff_at": "2025-10-01T12:00"}).status_code == 403


def test_a_student_cannot_remove_a_classmates_draft_file(login, cast, essay):
    draft = services.draft_add_files(task=essay, student=cast.classmate, uploads=[docx()], now=BEFORE)
    url = reverse("portfolio:draft_file_remove", args=[essay.course_id, essay.pk, draft.files.get().pk])
    assert login(cast.student).post(url).status_code == 404
    assert SubmissionFile.objects.count() == 1


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


def test_a_renamed_executable_is_refused_with_a_message_and_nothing_stored(login, cast, essay):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(cast.student)
    fake = SimpleUploadedFile("эссе.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(
        reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk]), {"files": fake}, follow=True
    )
    assert response.status_code == 200
    assert "эссе.pdf" in response.content.decode()
    assert 'class="alert alert-danger' in response.content.decode()
    assert not Submission.objects.exists()


def test_an_instructor_sets_a_cut_off_and_grants_an_extension(login, cast, essay):
    client = login(cast.instructor)
    client.post(
        reverse("grading:deadline_update", args=[essay.course_id, essay.pk]),
        {"due_at_override": "", "cutoff_at": "2025-09-25T18:00"},
    )
    essay.refresh_from_db()
    assert essay.cutoff_at == at(dt.date(2025, 9, 25), 18, 0)
    client.post(
        reverse("grading:extension_grant", args=[essay.course_id, essay.pk]),
        {"student": cast.student.pk, "due_at": "2025-09-28T23:59", "cutoff_at": "2025-09-30T23:59", "reason": "ауру"},
    )
    extension = essay.extensions.get()
    assert extension.student == cast.student and extension.granted_by == cast.instructor


def test_a_cut_off_before_the_due_moment_is_refused(login, cast, essay):
    client = login(cast.instructor)
    response = client.post(
        reverse("grading:deadline_update", args=[essay.course_id, essay.pk]),
        {"due_at_override": "", "cutoff_at": "2025-09-10T18:00"},
        follow=True,
    )
    essay.refresh_from_db()
    assert essay.cutoff_at is None
    assert 'class="alert alert-danger' in response.content.decode()


# Files go out safely ------------------------------------------------------------------------


def test_a_pdf_opens_inline_only_when_asked_and_carries_safe_headers(login, cast, handed_in):
    client = login(cast.instructor)
    url = urls(handed_in)["file"]
    attachment = client.get(url)
    assert attachment["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%D3%98%D1%81%D0%B5%D0%BB%20%D1%8D%D1%81%D1%81%D0%B5.pdf" in attachment["Content-Disposition"]
    )
    assert attachment["X-Content-Type-Options"] == "nosniff"
    inline = client.get(url + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline;")
    assert inline["Content-Type"] == "application/pdf"


def test_a_docx_never_opens_inline(login, cast, essay):
    version = hand_in(essay, cast.student, docx())
    response = login(cast.student).get(urls(version)["file"] + "?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")


# The queue, the submission page, the ZIP ----------------------------------------------------


def test_the_queue_lists_latest_versions_and_who_has_not_handed_in(login, cast, essay):
    hand_in(essay, cast.student, docx("v1.docx"))
    hand_in(essay, cast.student, docx("v2.docx"), BEFORE + dt.timedelta(hours=1))
    html = login(cast.instructor).get(reverse("grading:queue", args=[essay.course_id, essay.pk])).content.decode()
    assert 'data-student="student"' in html and 'data-student="classmate"' in html
    assert "status-missing" in html  # the classmate, past the due moment


def test_the_queue_filters_by_group_and_status(login, cast, essay):
    hand_in(essay, cast.student, docx())
    client = login(cast.instructor)
    url = reverse("grading:queue", args=[essay.course_id, essay.pk])
    html = client.get(url, {"status": "missing"}).content.decode()
    assert 'data-student="classmate"' in html and 'data-student="student"' not in html
    html = client.get(url, {"group": "СЖ-23-01"}).content.decode()
    assert 'data-student="student"' in html and 'data-student="classmate"' not in html


def test_the_submission_page_previews_a_docx_as_text(login, cast, essay):
    version = hand_in(essay, cast.student, docx(text="Клиенттің қажеттілігін бағалау"))
    html = login(cast.instructor).get(urls(version)["submission"]).content.decode()
    assert "<p>Клиенттің қажеттілігін бағалау</p>" in html


def test_the_submission_page_shows_every_version(login, cast, essay):
    hand_in(essay, cast.student, docx("v1.docx"))
    version = hand_in(essay, cast.student, docx("v2.docx"), BEFORE + dt.timedelta(hours=1))
    html = login(cast.instructor).get(urls(version)["submission"]).content.decode()
    assert 'id="version-1"' in html and 'id="version-2"' in html
    assert "v1.docx" in html and "v2.docx" in html


def test_the_zip_holds_each_students_latest_version_named_by_group_and_student(login, cast, essay):
    hand_in(essay, cast.student, docx("v1.docx"))
    hand_in(essay, cast.student, docx("v2.docx"), BEFORE + dt.timedelta(hours=1))
    hand_in(essay, cast.classmate, pdf("эссе.pdf"))
    response = login(cast.instructor).get(reverse("portfolio:queue_zip", args=[essay.course_id, essay.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == [
        "СЖ-23-01/Әбілқасымова Әсел — СОӨЖ 1/v2.docx",
        "СЖ-23-02/Бекмұратов Нұрлан — СОӨЖ 1/эссе.pdf",
    ]


def test_the_student_portfolio_gathers_every_task_and_downloads_as_a_zip(login, cast, essay):
    hand_in(essay, cast.student, docx("эссе.docx"))
    client = login(cast.student)
    html = client.get(reverse("grading:student_portfolio", args=[essay.course_id])).content.decode()
    assert html.count("data-task=") == 6
    assert "эссе.docx" in html
    response = client.get(reverse("portfolio:student_portfolio_zip", args=[essay.course_id]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert names == ["СОӨЖ 1/эссе.docx"]


def test_the_student_portfolio_of_another_course_is_404(login, cast):
    assert login(cast.student).get(reverse("grading:student_portfolio", args=[cast.other_course.pk])).status_code == 404


# Queries do not grow with the class -----------------------------------------------------------


def _class_of(cast, essay, size):
    for number in range(size):
        student = make_user(f"s{number}", "student", cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")
        hand_in(essay, student, docx())


@pytest.mark.parametrize("size", [2, 25])
def test_the_queue_uses_a_fixed_number_of_queries(login, cast, essay, django_assert_max_num_queries, size):
    _class_of(cast, essay, size)
    client = login(cast.instructor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("grading:queue", args=[essay.course_id, essay.pk]), {"sort": "-submitted"})
    assert response.content.decode().count("data-student=") == size + 2


@pytest.mark.parametrize("size", [2, 25])
def test_the_portfolio_and_home_pages_use_a_fixed_number_of_queries(
    login, cast, essay, django_assert_max_num_queries, size
):
    _class_of(cast, essay, size)
    hand_in(essay, cast.student, docx())
    client = login(cast.student)
    with django_assert_max_num_queries(8):
        client.get(reverse("grading:student_portfolio", args=[essay.course_id]))
    with django_assert_max_num_queries(8):
        client.get(reverse("grading:student_home"))


def test_an_upload_cut_off_midway_leaves_nothing_behind(login, cast, essay):
    from pathlib import Path

    from django.core.files.storage import default_storage

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


def test_a_files_preview_is_read_once_and_then_kept(login, cast, essay):
    version = hand_in(essay, cast.student, docx(text="Бір рет оқылады"))
    client = login(cast.instructor)
    url = reverse("portfolio:submission_detail", args=[version.submission_id])
    assert "<p>Бір рет оқылады</p>" in client.get(url).content.decode()
    item = version.files.get()
    item.file.storage.delete(item.file.name)  # the second visit must not need the file again
    assert "<p>Бір рет оқылады</p>" in client.get(url).content.decode()
