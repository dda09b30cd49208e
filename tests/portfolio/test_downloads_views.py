"""Downloads of students' work (portfolio/views/downloads.py): who gets a file, a task's ZIP and a student's
portfolio ZIP, then how they go out and what they hold."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from portfolio import services
from tests.grading.conftest import hand_in_work
from tests.portfolio.conftest import BEFORE, class_handing_in, docx, hand_in, pdf

pytestmark = pytest.mark.django_db

OUTSIDERS = ["classmate", "other_student", "other_instructor", "other_dept_admin"]


def file_url(version):
    return reverse("portfolio:file_download", args=[version.files.get().pk])


def zip_url(task):
    return reverse("portfolio:queue_zip", args=[task.course_id, task.pk])


def portfolio_zip_url(course_pk):
    return reverse("portfolio:student_portfolio_zip", args=[course_pk])


def names_in(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, handed_in):
    task = handed_in.submission.task
    for url in (file_url(handed_in), zip_url(task), portfolio_zip_url(cast.course.pk)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nobody_else_gets_a_students_file(login, cast, handed_in, who):
    assert login(getattr(cast, who)).get(file_url(handed_in)).status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_queues_zip_is_closed_to_students_and_outsiders(login, cast, handed_in, who):
    client = login(getattr(cast, who))
    assert client.get(zip_url(handed_in.submission.task)).status_code in {403, 404}


@pytest.mark.parametrize("who", ["student", "instructor", "dept_admin"])
def test_the_student_the_instructor_and_the_department_admin_get_the_file(login, cast, handed_in, who):
    response = login(getattr(cast, who)).get(file_url(handed_in))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_staff_do_not_see_a_students_unsubmitted_draft(login, cast, essay):
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    url = reverse("portfolio:file_download", args=[draft.files.get().pk])
    assert login(cast.instructor).get(url).status_code == 404
    assert login(cast.student).get(url).status_code == 200


def test_a_student_of_another_course_gets_no_portfolio_zip_of_this_one(login, cast, handed_in):
    assert login(cast.other_student).get(portfolio_zip_url(cast.course.pk)).status_code == 404


@pytest.mark.parametrize("who", ["instructor", "dept_admin", "other_instructor", "other_dept_admin"])
def test_a_portfolio_zip_is_for_students_only(login, cast, handed_in, who):
    assert login(getattr(cast, who)).get(portfolio_zip_url(cast.course.pk)).status_code == 403


def test_the_downloads_answer_only_get(login, cast, handed_in):
    assert login(cast.instructor).post(file_url(handed_in)).status_code == 405
    assert login(cast.instructor).post(zip_url(handed_in.submission.task)).status_code == 405
    assert login(cast.student).post(portfolio_zip_url(cast.course.pk)).status_code == 405


# Files go out safely ------------------------------------------------------------------------


def test_a_pdf_opens_inline_only_when_asked_and_carries_safe_headers(login, cast, handed_in):
    client = login(cast.instructor)
    url = file_url(handed_in)
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
    response = login(cast.student).get(file_url(version) + "?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")


# The ZIPs -------------------------------------------------------------------------------------


def test_the_zip_holds_each_students_latest_version_named_by_group_and_student(login, cast, essay):
    first = hand_in(essay, cast.student, docx("v1.docx"))
    services.draft_remove_file(submission_file=first.files.get(), now=BEFORE)  # version 2 replaces the file
    hand_in(essay, cast.student, docx("v2.docx"), BEFORE + dt.timedelta(hours=1))
    hand_in(essay, cast.classmate, pdf("эссе.pdf"))
    response = login(cast.instructor).get(reverse("portfolio:queue_zip", args=[essay.course_id, essay.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == [
        "index.csv",
        "СЖ-23-01/Әбілқасымова Әсел — СОӨЖ 1/v2.docx",
        "СЖ-23-02/Бекмұратов Нұрлан — СОӨЖ 1/эссе.pdf",
    ]


def test_the_zips_index_tells_who_handed_in_what_and_when_they_confirmed_the_statement(login, cast, essay):
    version = hand_in(essay, cast.student, pdf("Әсел эссе.pdf"))
    item = version.files.get()
    response = login(cast.instructor).get(zip_url(essay))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist()[0] == "index.csv"
    lines = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert lines[0][5] == "Мәлімдеме расталған уақыт"
    assert lines[1] == [
        "СЖ-23-01",
        "Әбілқасымова Әсел",
        "1",
        "2025-09-20 12:00",
        "уақытында",
        "2025-09-20 12:00",
        f"Әсел эссе.pdf ({item.size}\xa0байт, SHA-256 {item.sha256[:12]})",
    ]
    assert lines[2][:3] == ["СЖ-23-02", "Бекмұратов Нұрлан", ""]


def test_the_student_portfolio_downloads_as_a_zip(login, cast, essay):
    hand_in(essay, cast.student, docx("эссе.docx"))
    response = login(cast.student).get(reverse("portfolio:student_portfolio_zip", args=[essay.course_id]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert names == ["СОӨЖ 1/эссе.docx"]


# Queries do not grow with the class or the portfolio -----------------------------------------------


@pytest.mark.parametrize("size", [2, 25])
def test_the_queues_zip_uses_a_fixed_number_of_queries(login, cast, essay, django_assert_max_num_queries, size):
    class_handing_in(cast, essay, size)
    client = login(cast.instructor)
    with django_assert_max_num_queries(5):
        names = names_in(client.get(zip_url(essay)))
    assert len(names) == size + 1  # and the index


@pytest.mark.parametrize("labels", [["СОӨЖ 1"], ["СОӨЖ 1", "СӨЖ 1", "СОӨЖ 2-3", "СӨЖ 4", "СОӨЖ 4-5", "СӨЖ 3"]])
def test_the_portfolio_zip_uses_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries, labels):
    for label in labels:
        hand_in_work(cast.tasks[label], cast.student)
    client = login(cast.student)
    with django_assert_max_num_queries(4):
        names = names_in(client.get(portfolio_zip_url(cast.course.pk)))
    # One file a task, and two for each task built in the portal with a file of the student's: СӨЖ 4 (the report
    # and the PDF the portal made of the comparison) and СӨЖ 3 (the presentation and the PDF of the toolkit).
    assert len(names) == len(labels) + ("СӨЖ 4" in labels) + ("СӨЖ 3" in labels)
