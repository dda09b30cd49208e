"""The pages people land on (grading/views/courses.py): the student's and the instructor's home, a course's schedule,
a task, and the student's portfolio. Who may reach them, then what they show."""

import pytest
from django.urls import reverse

from coursework.models import Enrollment
from tests.conftest import make_user
from tests.portfolio.conftest import class_handing_in, docx, hand_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def essay(cast):
    """СОӨЖ 1 as the seed schedule has it, without a rubric."""
    return cast.tasks["СОӨЖ 1"]


def course_url(course):
    return reverse("grading:course_detail", args=[course.pk])


def task_url(task):
    return reverse("grading:task_detail", args=[task.course_id, task.pk])


def portfolio_url(course):
    return reverse("grading:student_portfolio", args=[course.pk])


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    for url in (course_url(cast.course), task_url(cast.tasks["СӨЖ 1"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", ["grading:student_home", "grading:instructor_home"])
def test_home_pages_ask_anonymous_visitors_to_sign_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_portfolio_asks_anonymous_visitors_to_sign_in(client, cast):
    response = client.get(portfolio_url(cast.course))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("student", "grading:instructor_home"),
        ("instructor", "grading:student_home"),
        ("dept_admin", "grading:student_home"),
        ("dept_admin", "grading:instructor_home"),
    ],
)
def test_another_roles_home_is_forbidden(login, cast, who, page):
    assert login(getattr(cast, who)).get(reverse(page)).status_code == 403


@pytest.mark.parametrize("who", ["other_student", "other_instructor", "other_dept_admin"])
def test_outsiders_get_404_for_the_course_and_its_tasks(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(course_url(cast.course)).status_code == 404
    assert client.get(task_url(cast.tasks["СӨЖ 1"])).status_code == 404


def test_a_task_is_not_reachable_through_another_courses_url(login, cast):
    client = login(cast.other_student)
    wrong = reverse("grading:task_detail", args=[cast.other_course.pk, cast.tasks["СӨЖ 1"].pk])
    assert client.get(wrong).status_code == 404


def test_an_instructor_of_the_department_who_does_not_teach_it_gets_404(login, cast):
    colleague = make_user("colleague", "instructor", cast.department)
    assert login(colleague).get(course_url(cast.course)).status_code == 404


@pytest.mark.parametrize("who", ["student", "classmate", "instructor", "dept_admin"])
def test_members_of_the_course_and_its_department_admin_see_it(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(course_url(cast.course)).status_code == 200
    assert client.get(task_url(cast.tasks["СӨЖ 1"])).status_code == 200


def test_the_student_portfolio_of_another_course_is_404(login, cast):
    assert login(cast.student).get(reverse("grading:student_portfolio", args=[cast.other_course.pk])).status_code == 404


@pytest.mark.parametrize("who", ["instructor", "dept_admin", "other_instructor"])
def test_only_students_have_a_portfolio_page(login, cast, who):
    assert login(getattr(cast, who)).get(portfolio_url(cast.course)).status_code == 403


# What they show -----------------------------------------------------------------------------


def test_the_student_home_lists_the_six_tasks_with_weeks_and_points(login, cast):
    html = login(cast.student).get(reverse("grading:student_home")).content.decode()
    for label in ("СОӨЖ 1", "СӨЖ 1", "СОӨЖ 2-3", "СӨЖ 4", "СОӨЖ 4-5", "СӨЖ 3"):
        assert f'data-task="{label}"' in html
    assert "Кейс-менеджмент (Тәжірбелік қолдану)" in html
    assert "СЖ-23-01" in html
    assert "Жалпы психология" not in html  # another department's course


def test_the_schedule_shows_kazakh_dates_and_a_status(login, cast):
    html = login(cast.student).get(reverse("grading:student_home")).content.decode()
    assert "2025 ж. 21 қыркүйек" in html  # СОӨЖ 1, end of week 3
    assert "2025 ж. 7 желтоқсан" in html  # СӨЖ 3, end of week 14
    # The cast's term is long over: all six tasks are past due and none handed in.
    assert html.count('class="badge status status-past"') == 6
    assert html.count('class="badge status status-none"') == 6


def test_the_task_page_shows_the_full_description_and_portfolio(login, cast):
    html = login(cast.student).get(task_url(cast.tasks["СӨЖ 4"])).content.decode()
    assert "Қазақстанда кейс-менеджментті енгізуге SWOT-талдау жүргізіңіз." in html
    assert "Портфолио: аналитикалық есеп, әдебиеттер тізімі." in html
    assert "22" in html


def test_the_instructor_home_lists_only_taught_courses(login, cast):
    html = login(cast.instructor).get(reverse("grading:instructor_home")).content.decode()
    assert "Кейс-менеджмент (Тәжірбелік қолдану)" in html
    assert "Жалпы психология" not in html
    assert "2025 ж. 21 қыркүйек" in html


def test_the_student_portfolio_gathers_every_task(login, cast, essay):
    hand_in(essay, cast.student, docx("эссе.docx"))
    html = login(cast.student).get(reverse("grading:student_portfolio", args=[essay.course_id])).content.decode()
    assert html.count("data-task=") == 6
    assert "эссе.docx" in html


# Queries do not grow with the data ----------------------------------------------------------


def _add_students(cast, count):
    for number in range(count):
        student = make_user(f"extra{number}", "student", cast.department)
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")


@pytest.mark.parametrize("extra", [0, 40])
def test_home_pages_use_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries, extra):
    _add_students(cast, extra)
    for user, page in ((cast.student, "grading:student_home"), (cast.instructor, "grading:instructor_home")):
        client = login(user)
        # The student's eighth reads which work built in the portal they have begun (its working copies).
        with django_assert_max_num_queries(8):
            assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_the_course_page_uses_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries, extra):
    # The eighth query reads the course document's reading list.
    _add_students(cast, extra)
    client = login(cast.instructor)
    with django_assert_max_num_queries(8):
        assert client.get(course_url(cast.course)).status_code == 200


@pytest.mark.parametrize("size", [2, 25])
def test_the_portfolio_and_home_pages_use_a_fixed_number_of_queries(
    login, cast, essay, django_assert_max_num_queries, size
):
    class_handing_in(cast, essay, size)
    hand_in(essay, cast.student, docx())
    client = login(cast.student)
    # Each page's ninth reads which work built in the portal the student has begun.
    with django_assert_max_num_queries(9):
        client.get(reverse("grading:student_portfolio", args=[essay.course_id]))
    with django_assert_max_num_queries(9):
        client.get(reverse("grading:student_home"))
