"""The gradebook's pages (grading/views/gradebook.py): the gradebook, the control scores, the grading formula, the
lock and the sign-off. Who may reach each, then what they do."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from coursework.models import Enrollment
from grading.models import ControlScore, CourseAssessment
from tests.conftest import make_user
from tests.grading.conftest import give

pytestmark = pytest.mark.django_db

# Who is refused the instructor's pages, and how: 404 outside the course, 403 for the admin who oversees it.
NOT_THE_INSTRUCTOR = [
    ("student", 404),
    ("other_student", 404),
    ("other_instructor", 404),
    ("dept_admin", 403),
    ("other_dept_admin", 404),
]
FORMULA = {
    "uses_credit_formula": "on",
    "first_half_last_week": "8",
    "current_weight": "0.4",
    "admission_threshold": "55",
    "admission_weight": "0.7",
    "exam_weight": "0.3",
}


def gradebook_url(cast):
    return reverse("grading:gradebook", args=[cast.course.pk])


def controls_url(cast):
    return reverse("grading:control_scores", args=[cast.course.pk])


def formula_url(cast):
    return reverse("grading:assessment_update", args=[cast.course.pk])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(reverse("grading:gradebook", args=[cast.course.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["other_student", "other_instructor", "other_dept_admin"])
def test_outsiders_get_404(login, cast, who):
    assert login(getattr(cast, who)).get(reverse("grading:gradebook", args=[cast.course.pk])).status_code == 404


def test_a_student_sees_only_their_own_row(login, cast, national):
    give(cast, "СӨЖ 1", cast.classmate, Decimal(20))
    html = login(cast.student).get(reverse("grading:gradebook", args=[cast.course.pk])).content.decode()
    assert 'data-student="student"' in html
    assert "classmate" not in html and "Бекмұратов" not in html


@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
def test_the_courses_instructor_and_its_department_admin_see_every_row(login, cast, who):
    html = login(getattr(cast, who)).get(gradebook_url(cast)).content.decode()
    assert 'data-student="student"' in html and 'data-student="classmate"' in html


def test_anonymous_visitors_reach_none_of_the_gradebooks_pages(client, cast):
    pages = [
        ("get", controls_url(cast)),
        ("post", controls_url(cast)),
        ("post", formula_url(cast)),
        ("post", reverse("grading:lock_create", args=[cast.course.pk])),
        ("post", reverse("grading:sign_off", args=[cast.course.pk])),
    ]
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert not cast.course.locks.exists() and not cast.course.sign_offs.exists()


@pytest.mark.parametrize(("who", "status"), NOT_THE_INSTRUCTOR)
def test_only_the_courses_instructor_enters_control_scores(login, cast, who, status):
    client = login(getattr(cast, who))
    assert client.get(controls_url(cast)).status_code == status
    assert client.post(controls_url(cast), {f"rk1-{cast.student.pk}": "70"}).status_code == status
    assert not ControlScore.objects.exists()


@pytest.mark.parametrize(("who", "status"), NOT_THE_INSTRUCTOR)
def test_only_the_courses_instructor_changes_the_grading_formula(login, cast, who, status):
    assert login(getattr(cast, who)).post(formula_url(cast), FORMULA).status_code == status
    assert not CourseAssessment.objects.filter(course=cast.course).exists()


def test_the_grading_formula_takes_only_posts(login, cast):
    assert login(cast.instructor).get(formula_url(cast)).status_code == 405


@pytest.mark.parametrize("who", ["student", "other_student", "other_instructor"])
def test_students_and_other_courses_staff_neither_lock_nor_sign_off(login, cast, who):
    client = login(getattr(cast, who))
    data = {"starts_at": "2025-12-01T09:00"}
    assert client.post(reverse("grading:lock_create", args=[cast.course.pk]), data).status_code == 404
    assert client.post(reverse("grading:sign_off", args=[cast.course.pk])).status_code == 404
    assert not cast.course.locks.exists() and not cast.course.sign_offs.exists()


def test_the_courses_instructor_neither_locks_nor_signs_off(login, cast):
    client = login(cast.instructor)
    assert (
        client.post(
            reverse("grading:lock_create", args=[cast.course.pk]), {"starts_at": "2025-12-01T09:00"}
        ).status_code
        == 403
    )
    assert client.post(reverse("grading:sign_off", args=[cast.course.pk])).status_code == 403
    assert not cast.course.locks.exists() and not cast.course.sign_offs.exists()


def test_only_the_departments_admin_locks_and_signs_off(login, cast):
    url = reverse("grading:lock_create", args=[cast.course.pk])
    data = {"starts_at": "2025-12-01T09:00"}
    assert login(cast.instructor).post(url, data).status_code == 403
    assert login(cast.other_dept_admin).post(url, data).status_code == 404
    assert login(cast.dept_admin).post(url, data).status_code == 302
    assert cast.course.locks.count() == 1
    response = login(cast.dept_admin).post(reverse("grading:sign_off", args=[cast.course.pk]), follow=True)
    assert cast.course.sign_offs.count() == 1
    assert "status-graded" in response.content.decode()


# What the pages do ------------------------------------------------------------------------------


def test_the_page_filters_by_group_and_sorts(login, cast, national):
    give(cast, "СӨЖ 1", cast.student, Decimal(10))
    give(cast, "СӨЖ 1", cast.classmate, Decimal(20))
    client = login(cast.instructor)
    url = reverse("grading:gradebook", args=[cast.course.pk])
    html = client.get(url, {"group": "СЖ-23-02"}).content.decode()
    assert 'data-student="classmate"' in html and 'data-student="student"' not in html
    html = client.get(url, {"sort": "-total"}).content.decode()
    assert html.index('data-student="classmate"') < html.index('data-student="student"')
    assert "<svg" in html  # the distribution chart


def test_control_scores_page_refuses_bad_numbers_and_saves_good_ones(login, cast):
    client = login(cast.instructor)
    url = reverse("grading:control_scores", args=[cast.course.pk])
    response = client.post(url, {f"rk1-{cast.student.pk}": "120", f"rk1-{cast.classmate.pk}": "70"})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not cast.course.control_scores.exists()
    client.post(url, {f"rk1-{cast.student.pk}": "85,5", f"exam-{cast.classmate.pk}": "70"})
    assert sorted(cast.course.control_scores.values_list("kind", "score")) == [
        ("exam", Decimal("70.00")),
        ("rk1", Decimal("85.50")),
    ]
    assert login(cast.student).get(url).status_code == 404


def test_the_instructor_saves_the_grading_formula_and_returns_to_the_gradebook(login, cast):
    response = login(cast.instructor).post(formula_url(cast), FORMULA)
    assert response.status_code == 302 and response["Location"] == gradebook_url(cast)
    saved = CourseAssessment.objects.get(course=cast.course)
    assert saved.uses_credit_formula and saved.first_half_last_week == 8
    assert (saved.current_weight, saved.admission_threshold) == (Decimal("0.4"), Decimal(55))
    assert (saved.admission_weight, saved.exam_weight) == (Decimal("0.7"), Decimal("0.3"))


def test_unticking_the_credit_formula_is_saved_too(login, cast):
    data = {key: value for key, value in FORMULA.items() if key != "uses_credit_formula"}
    login(cast.instructor).post(formula_url(cast), data)
    assert CourseAssessment.objects.get(course=cast.course).uses_credit_formula is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"exam_weight": "0.4"}, "The weights of РД and of the exam must add up to 1."),
        ({"current_weight": "1.5"}, "Ensure this value is less than or equal to 1."),
        ({"first_half_last_week": "0"}, "Ensure this value is greater than or equal to 1."),
    ],
)
def test_an_invalid_formula_is_answered_with_the_reason_and_nothing_is_saved(login, cast, change, message):
    client = english(login(cast.instructor))
    response = client.post(formula_url(cast), FORMULA | change, follow=True)
    assert response.redirect_chain[-1][0] == gradebook_url(cast)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not CourseAssessment.objects.filter(course=cast.course).exists()


# Queries do not grow with the class -----------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 30])
def test_the_page_uses_a_fixed_number_of_queries(login, cast, national, django_assert_max_num_queries, extra):
    for number in range(extra):
        student = make_user(f"s{number}", "student", cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")
        give(cast, "СӨЖ 1", student, Decimal(number % 22))
    client = login(cast.instructor)
    # Grows with the number of tasks (a median query each), never with the number of students.
    with django_assert_max_num_queries(24):
        assert client.get(reverse("grading:gradebook", args=[cast.course.pk])).status_code == 200


CONTROL_SCORES_QUERIES = 14  # a valid POST: session, user, course, roster, scores, the save's writes and lock check


def _enrol(cast, count):
    for number in range(count):
        student = make_user(f"s{number}", "student", cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")


@pytest.mark.parametrize("extra", [0, 30])
def test_the_control_scores_page_uses_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries, extra):
    """The same bound for showing the roster and for saving two scores of it, with 2 students and with 32."""
    _enrol(cast, extra)
    client = login(cast.instructor)
    with django_assert_max_num_queries(CONTROL_SCORES_QUERIES):
        response = client.get(controls_url(cast))
    assert response.content.decode().count('name="rk1-') == extra + 2
    scores = {f"rk1-{cast.student.pk}": "85,5", f"exam-{cast.classmate.pk}": "70"}
    with django_assert_max_num_queries(CONTROL_SCORES_QUERIES):
        assert client.post(controls_url(cast), scores).status_code == 302
    assert sorted(cast.course.control_scores.values_list("kind", "score")) == [
        ("exam", Decimal("70.00")),
        ("rk1", Decimal("85.50")),
    ]
