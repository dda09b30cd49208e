"""Downloads of grades (grading/views/exports.py): the gradebook as Excel and PDF, a student's record, the feedback
PDF. Who may download each, then how it goes out and what the request decides: group, language, released grades
only for students, a fixed number of queries."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from grading.models import Criterion
from grading.services.grades import grade_release
from grading.services.rubrics import rubric_copy
from tests.conftest import make_user
from tests.grading.conftest import (
    FEEDBACK_PICKS,
    KAZAKH_LETTERS,
    enrol_graded,
    flat,
    gettext_kk,
    grade_of,
    hand_in,
    header_row,
    layout_text,
    open_sheet,
    scores_for,
    text_of,
)

pytestmark = pytest.mark.django_db


def xlsx_url(cast, group=None):
    url = reverse("grading:gradebook_xlsx", args=[cast.course.pk])
    return f"{url}?group={quote(group)}" if group else url


def pdf_url(cast, group=None):
    url = reverse("grading:gradebook_pdf", args=[cast.course.pk])
    return f"{url}?group={quote(group)}" if group else url


def record_url(cast, student):
    return reverse("grading:student_record_pdf", args=[cast.course.pk, student.pk])


def feedback_url(grade):
    return reverse("grading:feedback_pdf", args=[grade.pk])


# Access first: the gradebook's exports ----------------------------------------------------------


@pytest.mark.parametrize("url", [xlsx_url, pdf_url])
def test_anonymous_visitors_are_sent_to_sign_in_for_the_course_exports(client, cast, url):
    response = client.get(url(cast))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitors_are_sent_to_sign_in_for_a_record(client, cast):
    response = client.get(record_url(cast, cast.student))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [xlsx_url, pdf_url])
@pytest.mark.parametrize("who", ["student", "classmate", "other_student"])
def test_students_do_not_get_the_course_exports(login, cast, url, who):
    assert login(getattr(cast, who)).get(url(cast)).status_code in (403, 404)


@pytest.mark.parametrize("url", [xlsx_url, pdf_url])
@pytest.mark.parametrize("who", ["other_instructor", "other_dept_admin"])
def test_another_departments_admin_and_another_courses_instructor_get_404(login, cast, url, who):
    assert login(getattr(cast, who)).get(url(cast)).status_code == 404


def test_an_instructor_of_the_department_who_does_not_teach_the_course_gets_404(login, cast):
    colleague = make_user("colleague", Role.INSTRUCTOR, cast.department)
    assert login(colleague).get(xlsx_url(cast)).status_code == 404


@pytest.mark.parametrize("url", [xlsx_url, pdf_url])
@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
def test_the_courses_instructor_and_its_departments_admin_get_the_course_exports(login, cast, url, who):
    assert login(getattr(cast, who)).get(url(cast)).status_code == 200


def test_the_exports_answer_only_get(login, cast):
    client = login(cast.instructor)
    assert client.post(xlsx_url(cast)).status_code == 405
    assert client.post(pdf_url(cast)).status_code == 405
    assert client.post(record_url(cast, cast.student)).status_code == 405


def test_a_student_gets_their_own_record(login, cast):
    response = login(cast.student).get(record_url(cast, cast.student))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("who", ["student", "other_student"])
def test_a_student_does_not_get_a_classmates_record(login, cast, who):
    assert login(getattr(cast, who)).get(record_url(cast, cast.classmate)).status_code == 404


@pytest.mark.parametrize("who", ["other_instructor", "other_dept_admin"])
def test_another_departments_staff_do_not_get_a_record(login, cast, who):
    assert login(getattr(cast, who)).get(record_url(cast, cast.student)).status_code == 404


@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
def test_the_courses_staff_get_any_of_its_students_records(login, cast, who):
    assert login(getattr(cast, who)).get(record_url(cast, cast.classmate)).status_code == 200


def test_the_staff_do_not_get_the_record_of_someone_not_on_the_roster(login, cast):
    assert login(cast.instructor).get(record_url(cast, cast.other_student)).status_code == 404


# Access first: the feedback PDF ---------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_for_the_feedback(client, released):
    response = client.get(feedback_url(released))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["classmate", "other_student", "other_instructor", "other_dept_admin"])
def test_nobody_outside_the_student_and_the_courses_staff_gets_the_feedback(login, cast, released, who):
    assert login(getattr(cast, who)).get(feedback_url(released)).status_code == 404


def test_the_student_gets_the_feedback_only_once_the_grade_is_released(login, cast, draft):
    client = login(cast.student)
    assert client.get(feedback_url(draft)).status_code == 404
    grade_release(grade=draft, by=cast.instructor)
    response = client.get(feedback_url(draft))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
def test_the_courses_staff_may_download_a_draft_marked_as_such(login, cast, draft, who):
    response = login(getattr(cast, who)).get(feedback_url(draft))
    assert response.status_code == 200
    with translation.override("kk"):
        assert translation.gettext("Draft") in text_of(response.content)


def test_the_feedback_answers_only_get(login, cast, released):
    assert login(cast.student).post(feedback_url(released)).status_code == 405


# The responses ------------------------------------------------------------------------------


def test_the_workbook_is_a_private_download_named_for_the_course_and_the_group(login, cast):
    response = login(cast.instructor).get(xlsx_url(cast, "СЖ-23-01"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    name = gettext_kk("%(code)s — %(group)s — gradebook") % {"code": "CM-7B11401", "group": "СЖ-23-01"}
    assert quote(f"{name}.xlsx") in disposition


def test_the_grade_sheet_is_a_private_pdf_download(login, cast):
    response = login(cast.instructor).get(pdf_url(cast))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")
    expected = gettext_kk("%(code)s — %(group)s — gradebook") % {
        "code": "CM-7B11401",
        "group": gettext_kk("all groups"),
    }
    assert quote(f"{expected}.pdf") in response["Content-Disposition"]


def test_the_record_is_a_private_pdf_named_for_the_student(login, cast):
    response = login(cast.student).get(record_url(cast, cast.student))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert quote("CM-7B11401 — Әбілқасымова Әсел.pdf") in response["Content-Disposition"]


def test_the_feedback_is_a_private_download_named_for_the_task_and_the_student(login, cast, released):
    response = login(cast.student).get(feedback_url(released))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote("СОӨЖ 1 — Әбілқасымова Әсел.pdf") in disposition


# What the request decides -------------------------------------------------------------------


def test_a_group_filter_exports_that_group_only(login, graded):
    response = login(graded.instructor).get(xlsx_url(graded, "СЖ-23-02"))
    sheet = open_sheet(response.content)
    names = [row[0].value for row in sheet.iter_rows(min_row=header_row(sheet) + 1)]
    assert names == ["Бекмұратов Нұрлан"]


def test_the_students_own_record_shows_released_grades_only(login, graded):
    text = flat(layout_text(login(graded.classmate).get(record_url(graded, graded.classmate)).content))
    assert "15,2" not in text  # the classmate's essay grade is still a draft
    staff = flat(layout_text(login(graded.instructor).get(record_url(graded, graded.classmate)).content))
    assert "15,2 *" in staff


def test_the_russian_reader_gets_russian_content_through_the_language_cookie(login, cast, released):
    client = login(cast.student)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    text = text_of(client.get(feedback_url(released)).content)
    assert "Казахский национальный университет имени аль-Фараби".upper() in text
    assert "Кафедра социологии и социальной работы" in text
    assert "История развития и теоретические основы кейс-менеджмента" in text
    for title in ("Понимание темы", "Структура работы", "Грамотность письма", "Критическое мышление и выводы"):
        assert title in text
    assert "✓ Отлично" in text and "✓ Хорошо" in text
    assert "22 сентября 2025 г. 10:30" in text
    assert "70–89%" in text
    assert KAZAKH_LETTERS in text  # the grader's own words stay as written


# Queries ------------------------------------------------------------------------------------


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "most"),
    [(xlsx_url, 14), (pdf_url, 14), (lambda cast: record_url(cast, cast.student), 16)],
    ids=["xlsx", "pdf", "record"],
)
def test_an_exports_queries_do_not_grow_with_the_class(login, cast, url, most, django_assert_max_num_queries):
    """Session, user, course, the gradebook's fixed queries, sign-off and instructors: at 3 and at 30 students."""
    client = login(cast.instructor)
    enrol_graded(cast, 1)  # three students
    queries_for(client, url(cast))  # warm caches such as the content types
    with django_assert_max_num_queries(most):
        assert client.get(url(cast)).status_code == 200
    small = queries_for(client, url(cast))
    enrol_graded(cast, 27, start=1)  # thirty students
    with django_assert_max_num_queries(most):
        assert client.get(url(cast)).status_code == 200
    assert queries_for(client, url(cast)) == small


def queries_for_the_pdf(client, grade):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(feedback_url(grade)).status_code == 200
    return len(queries)


def test_the_feedbacks_queries_do_not_grow_with_the_rubric(login, cast, essay, released):
    """The seed rubric's five criteria, then a department copy with three more: the same number of queries."""
    longer = rubric_copy(rubric=essay.rubric, department=cast.department, user=cast.instructor)
    template = longer.criteria.prefetch_related("levels").first()
    for number in range(1, 4):
        criterion = Criterion.objects.create(rubric=longer, position=10 + number, title=f"Қосымша критерий {number}")
        for level in template.levels.all():
            level.pk, level.criterion = None, criterion
            level.save()
    essay.rubric = longer
    essay.save()
    other = hand_in(essay, cast.classmate)
    picks = [*FEEDBACK_PICKS, *[("Жақсы", "16", "Жақсы.")] * 3]
    bigger = grade_release(
        grade=grade_of(other, grader=cast.instructor, scores=scores_for(longer, picks)), by=cast.instructor
    )
    client = login(cast.instructor)
    queries_for_the_pdf(client, released)  # warm caches such as the content types
    small = queries_for_the_pdf(client, released)
    assert small <= 12
    assert queries_for_the_pdf(client, bigger) == small
