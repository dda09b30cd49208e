"""The department admin's home (grading/views/department.py): who may reach it, then the courses it lists."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from coursework.models import Course, Enrollment, Task, Term
from grading.services.grades import grade_release, grade_save
from tests.conftest import SEED_START, make_user
from tests.portfolio.conftest import docx, hand_in

pytestmark = pytest.mark.django_db

URL = reverse("grading:department_home")


# Access first -------------------------------------------------------------------------------


def test_the_department_home_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["student", "instructor", "other_student", "other_instructor"])
def test_another_roles_home_is_forbidden(login, cast, who):
    assert login(getattr(cast, who)).get(URL).status_code == 403


# What it shows --------------------------------------------------------------------------------


def test_the_department_home_lists_only_its_departments_courses(login, cast):
    html = login(cast.dept_admin).get(reverse("grading:department_home")).content.decode()
    assert "Кейс-менеджмент (Тәжірбелік қолдану)" in html
    assert "Жалпы психология" not in html
    assert "Жақыпова Сәуле" in html


def test_the_other_department_admin_sees_only_their_course(login, cast):
    html = login(cast.other_dept_admin).get(reverse("grading:department_home")).content.decode()
    assert "Жалпы психология" in html
    assert "Кейс-менеджмент" not in html


# Queries do not grow with the data ----------------------------------------------------------


def _add_students(cast, count):
    for number in range(count):
        student = make_user(f"extra{number}", "student", cast.department)
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")


def _add_courses(cast, count):
    """``count`` more courses of the department, each with its instructor, a student who handed in and a grade."""
    for number in range(count):
        course = Course.objects.create(
            department=cast.department,
            code=f"EXTRA-{number}",
            title=f"Қосымша курс {number}",
            academic_year="2025-2026",
            term=Term.AUTUMN,
            start_date=SEED_START,
        )
        task = Task.objects.create(
            course=course, label="СӨЖ 1", kind="sozh", deliverable="essay", title="Эссе", description="Эссе", due_week=4
        )
        instructor = make_user(f"teacher{number}", Role.INSTRUCTOR, cast.department, last_name=f"Оқытушы {number}")
        student = make_user(f"learner{number}", Role.STUDENT, cast.department)
        course.instructors.add(instructor)
        Enrollment.objects.create(course=course, student=student, academic_group="СЖ-23-01")
        version = hand_in(task, student, docx())
        grade = grade_save(version=version, grader=instructor, expected_lock_version=0, points=Decimal(10))
        grade_release(grade=grade, by=instructor, notify=False)


@pytest.mark.parametrize("extra", [0, 40])
def test_the_department_home_uses_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries, extra):
    _add_students(cast, extra)
    client = login(cast.dept_admin)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("grading:department_home")).status_code == 200


@pytest.mark.parametrize("extra", [0, 8])
def test_the_department_home_uses_a_fixed_number_of_queries_however_many_courses(
    login, cast, django_assert_max_num_queries, extra
):
    _add_courses(cast, extra)
    client = login(cast.dept_admin)
    with django_assert_max_num_queries(6):  # one of them: the files the admin prepared lately
        html = client.get(URL).content.decode()
    assert html.count("Қосымша курс") == extra
