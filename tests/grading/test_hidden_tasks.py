"""A hidden task leaves every list of the course's tasks — the student's schedule, task page and progress, the
staff's queues and counts, the gradebook and its exports, the department's views — while its work is kept and
its staff still reach it through the task editor. And the gradebook's ТК split follows ``Task.in_first_period``."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from coursework.models import Task
from coursework.services.tasks import task_hide
from grading.models import CourseAssessment, Grade
from grading.selectors.gradebook import build_gradebook
from grading.selectors.grades import course_points_total
from grading.selectors.progress import with_completion
from grading.services.letter_scale import letter_scale_ensure
from tests.grading.conftest import give, header_row, open_sheet, text_of
from tests.portfolio.conftest import at

pytestmark = pytest.mark.django_db

HIDDEN = "СӨЖ 3"


@pytest.fixture
def hidden(cast, db):
    """СӨЖ 3 graded for the student, then hidden; СӨЖ 4 graded too and left shown."""
    letter_scale_ensure()
    give(cast, "СӨЖ 4", cast.student, Decimal(11))
    give(cast, HIDDEN, cast.student, Decimal(9))
    return task_hide(task=cast.tasks[HIDDEN], by=cast.instructor)


def schedule_labels(html):
    return re.findall(r'<tr data-task="([^"]+)"', html)


def course_url(cast):
    return reverse("grading:course_detail", args=[cast.course.pk])


# The student's side --------------------------------------------------------------------------------------------


def test_the_students_schedule_leaves_it_out(login, cast, hidden):
    client = login(cast.student)
    for url in (course_url(cast), reverse("grading:student_home")):
        labels = schedule_labels(client.get(url).content.decode())
        assert "СӨЖ 4" in labels, url
        assert HIDDEN not in labels, url


def test_the_student_cannot_open_its_page(login, cast, hidden):
    url = reverse("grading:task_detail", args=[cast.course.pk, hidden.pk])
    assert login(cast.student).get(url).status_code == 404


def test_the_students_progress_and_portfolio_leave_it_out(login, cast, hidden):
    response = login(cast.student).get(reverse("grading:student_portfolio", args=[cast.course.pk]))
    labels = [task.label for task, _progress, _files in response.context["rows"]]
    assert "СӨЖ 4" in labels
    assert HIDDEN not in labels


def test_the_student_no_longer_counts_its_points_in_the_course_total(cast, hidden):
    assert course_points_total(cast.course.pk) == Decimal(44)  # 62 without СӨЖ 3's 18


# The staff's side ---------------------------------------------------------------------------------------------------


def test_the_course_page_and_the_teaching_home_leave_it_and_its_queue_out(login, cast, hidden):
    client = login(cast.instructor)
    queue = reverse("grading:queue", args=[cast.course.pk, hidden.pk])
    for url in (course_url(cast), reverse("grading:instructor_home")):
        html = client.get(url).content.decode()
        assert HIDDEN not in schedule_labels(html), url
        assert queue not in html, url


def test_staff_still_reach_it_through_the_editor_and_its_queue(login, cast, hidden):
    client = login(cast.instructor)
    html = client.get(reverse("grading:task_editor", args=[cast.course.pk])).content.decode()
    assert re.search(rf'data-task="{HIDDEN}" class="table-secondary" data-hidden', html)
    assert client.get(reverse("grading:queue", args=[cast.course.pk, hidden.pk])).status_code == 200
    assert Grade.objects.filter(submission__task=hidden).count() == 1  # its work and grade are kept


def test_the_gradebook_leaves_it_out_of_columns_and_totals(cast, hidden):
    book = build_gradebook(cast.course, include_drafts=True)
    assert HIDDEN not in [task.label for task in book.tasks]
    assert book.max_total == Decimal(44)
    row = next(row for row in book.rows if row.student == cast.student)
    assert row.total == Decimal(11)
    assert len(row.cells) == len(book.tasks) == 5


def test_the_gradebook_page_leaves_it_out(login, cast, hidden):
    html = login(cast.instructor).get(reverse("grading:gradebook", args=[cast.course.pk])).content.decode()
    assert "СӨЖ 4" in html
    assert HIDDEN not in html


def test_the_workbook_leaves_it_out(login, cast, hidden):
    response = login(cast.instructor).get(reverse("grading:gradebook_xlsx", args=[cast.course.pk]))
    sheet = open_sheet(response.getvalue() if hasattr(response, "getvalue") else b"".join(response))
    header = [cell.value for cell in sheet[header_row(sheet)]]
    assert "СӨЖ 4" in " ".join(str(value) for value in header if value)
    assert not any(value and HIDDEN in str(value) for value in header)


def test_the_pdfs_leave_it_out(login, cast, hidden):
    client = login(cast.instructor)
    for url in (
        reverse("grading:gradebook_pdf", args=[cast.course.pk]),
        reverse("grading:student_record_pdf", args=[cast.course.pk, cast.student.pk]),
    ):
        response = client.get(url)
        text = text_of(response.getvalue() if hasattr(response, "getvalue") else b"".join(response))
        assert "СӨЖ 4" in text, url
        assert HIDDEN not in text, url


def test_the_department_counts_neither_the_task_nor_its_work(login, cast, hidden):
    course = with_completion(type(cast.course).objects.filter(pk=cast.course.pk)).get()
    assert (course.task_count, course.submitted_count, course.graded_count) == (5, 1, 1)
    html = login(cast.dept_admin).get(reverse("grading:department_home")).content.decode()
    assert re.search(r'<td class="text-end">5</td>\s*<td class="small completion"', html)


def test_the_department_admins_gradebook_leaves_it_out(login, cast, hidden):
    html = login(cast.dept_admin).get(reverse("grading:gradebook", args=[cast.course.pk])).content.decode()
    assert HIDDEN not in html


def test_showing_it_again_brings_everything_back(cast, hidden):
    Task.objects.filter(pk=hidden.pk).update(is_hidden=False)
    book = build_gradebook(cast.course, include_drafts=True)
    assert book.max_total == Decimal(62)
    assert next(row for row in book.rows if row.student == cast.student).total == Decimal(20)


# The ТК split ---------------------------------------------------------------------------------------------------


def test_the_gradebook_puts_a_task_in_the_period_its_instructor_chose(cast):
    letter_scale_ensure()
    CourseAssessment.objects.create(course=cast.course)  # ТК1: weeks 1–7
    give(cast, "СӨЖ 1", cast.student, Decimal(22))  # week 5
    give(cast, "СӨЖ 4", cast.student, Decimal(11))  # week 10
    row = student_row(cast)
    assert (row.tk1, row.tk2) == (Decimal(100), Decimal(50))
    Task.objects.filter(pk=cast.tasks["СӨЖ 4"].pk).update(rating_period=1)
    row = student_row(cast)
    assert (row.tk1, row.tk2) == (Decimal(75), None)  # 33 of 44; СӨЖ 3, the rest of ТК2, is not due yet


def student_row(cast):
    book = build_gradebook(cast.course, include_drafts=True, now=at(dt.date(2025, 11, 1)))
    return next(row for row in book.rows if row.student == cast.student)
