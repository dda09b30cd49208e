"""One student's work on one task (portfolio/views/submissions.py): who may open it, then the versions and the
preview it shows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from portfolio import services
from portfolio.forms import SubmitForm
from tests.portfolio.conftest import BEFORE, docx, hand_in

pytestmark = pytest.mark.django_db


def submission_url(version):
    return reverse("portfolio:submission_detail", args=[version.submission_id])


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, handed_in):
    response = client.get(submission_url(handed_in))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["classmate", "other_student", "other_instructor", "other_dept_admin"])
def test_nobody_else_reaches_a_students_work(login, cast, handed_in, who):
    assert login(getattr(cast, who)).get(submission_url(handed_in)).status_code == 404


@pytest.mark.parametrize("who", ["student", "instructor", "dept_admin"])
def test_the_student_the_instructor_and_the_department_admin_open_it(login, cast, handed_in, who):
    response = login(getattr(cast, who)).get(submission_url(handed_in))
    assert response.status_code == 200
    assert 'id="version-1"' in response.content.decode()


def test_staff_do_not_open_work_that_is_still_a_draft(login, cast, essay):
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    assert login(cast.instructor).get(submission_url(draft)).status_code == 404
    assert login(cast.student).get(submission_url(draft)).status_code == 200


def test_the_page_answers_only_get(login, cast, handed_in):
    assert login(cast.student).post(submission_url(handed_in)).status_code == 405


# What it shows --------------------------------------------------------------------------------


def test_the_submission_page_previews_a_docx_as_text(login, cast, essay):
    version = hand_in(essay, cast.student, docx(text="Клиенттің қажеттілігін бағалау"))
    html = login(cast.instructor).get(submission_url(version)).content.decode()
    assert "<p>Клиенттің қажеттілігін бағалау</p>" in html


def test_the_submission_page_shows_every_version(login, cast, essay):
    hand_in(essay, cast.student, docx("v1.docx"))
    version = hand_in(essay, cast.student, docx("v2.docx"), BEFORE + dt.timedelta(hours=1))
    html = login(cast.instructor).get(submission_url(version)).content.decode()
    assert 'id="version-1"' in html and 'id="version-2"' in html
    assert "v1.docx" in html and "v2.docx" in html


def test_a_files_preview_is_read_once_and_then_kept(login, cast, essay):
    version = hand_in(essay, cast.student, docx(text="Бір рет оқылады"))
    client = login(cast.instructor)
    url = reverse("portfolio:submission_detail", args=[version.submission_id])
    assert "<p>Бір рет оқылады</p>" in client.get(url).content.decode()
    item = version.files.get()
    item.file.storage.delete(item.file.name)  # the second visit must not need the file again
    assert "<p>Бір рет оқылады</p>" in client.get(url).content.decode()


def shown_moment(version):
    return date_format(timezone.localtime(version.submitted_at), "DATETIME_FORMAT")


@pytest.mark.parametrize("who", ["instructor", "dept_admin", "student"])
def test_the_page_shows_the_statement_each_version_was_handed_in_with_and_its_moment(login, cast, essay, who):
    first = hand_in(essay, cast.student, docx("v1.docx"))
    second = hand_in(essay, cast.student, docx("v2.docx"), BEFORE + dt.timedelta(hours=1))
    html = login(getattr(cast, who)).get(submission_url(second)).content.decode()
    for version in (first, second):
        block = html.split(f'data-statement-version="{version.number}"')[1].split("</ul>")[0]
        assert f"Студент {shown_moment(version)} растаған мәлімдеме:" in block
        assert str(SubmitForm.base_fields["own_work"].label) in block
        assert str(SubmitForm.base_fields["deidentified"].label) in block


def test_a_draft_shows_no_statement_it_has_not_been_given(login, cast, essay):
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    html = login(cast.student).get(submission_url(draft)).content.decode()
    assert "data-statement-version" not in html
