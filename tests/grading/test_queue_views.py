"""A task's queue for its staff (grading/views/queue.py): who may read it and who may change deadlines and grant
extensions, then what the queue lists and what those changes do."""

import datetime as dt

import pytest
from django.urls import reverse

from coursework.models import Extension
from tests.conftest import make_user
from tests.portfolio.conftest import BEFORE, at, class_handing_in, docx, hand_in

pytestmark = pytest.mark.django_db

OUTSIDERS = ["classmate", "other_student", "other_instructor", "other_dept_admin"]
EXTENSION = {"due_at": "2025-09-28T23:59", "cutoff_at": "2025-09-30T23:59", "reason": "ауру"}


@pytest.fixture
def essay(cast):
    """СОӨЖ 1 as the seed schedule has it, without a rubric: due Sunday 21 September 2025, 23:59."""
    return cast.tasks["СОӨЖ 1"]


def queue_url(task):
    return reverse("grading:queue", args=[task.course_id, task.pk])


def deadline_url(task):
    return reverse("grading:deadline_update", args=[task.course_id, task.pk])


def extension_url(task):
    return reverse("grading:extension_grant", args=[task.course_id, task.pk])


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, essay):
    for method, url in (("get", queue_url(essay)), ("post", deadline_url(essay)), ("post", extension_url(essay))):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_queue_is_closed_to_students_and_outsiders(login, cast, essay, who):
    hand_in(essay, cast.student, docx())
    assert login(getattr(cast, who)).get(queue_url(essay)).status_code in {403, 404}


@pytest.mark.parametrize(
    ("who", "status"),
    [("student", 403), ("other_student", 403), ("other_instructor", 404), ("other_dept_admin", 403)],
)
def test_students_and_outsiders_change_no_deadline_and_grant_no_extension(login, cast, essay, who, status):
    client = login(getattr(cast, who))
    assert client.post(deadline_url(essay), {"cutoff_at": "2025-10-01T12:00"}).status_code == status
    assert client.post(extension_url(essay), {"student": cast.student.pk, **EXTENSION}).status_code == status
    essay.refresh_from_db()
    assert essay.cutoff_at is None and not Extension.objects.exists()


def test_an_instructor_of_the_department_who_does_not_teach_the_course_gets_404(login, cast, essay):
    colleague = make_user("colleague", "instructor", cast.department)
    client = login(colleague)
    assert client.get(queue_url(essay)).status_code == 404
    assert client.post(deadline_url(essay), {"cutoff_at": "2025-10-01T12:00"}).status_code == 404


def test_a_department_admin_may_read_the_queue_but_not_change_deadlines(login, cast, essay):
    hand_in(essay, cast.student, docx())
    client = login(cast.dept_admin)
    assert client.get(queue_url(essay)).status_code == 200
    url = reverse("grading:deadline_update", args=[essay.course_id, essay.pk])
    assert client.post(url, {"cutoff_at": "2025-10-01T12:00"}).status_code == 403


def test_a_department_admin_grants_no_extension(login, cast, essay):
    response = login(cast.dept_admin).post(extension_url(essay), {"student": cast.student.pk, **EXTENSION})
    assert response.status_code == 403
    assert not Extension.objects.exists()


def test_deadlines_and_extensions_answer_only_post_and_the_queue_only_get(login, cast, essay):
    client = login(cast.instructor)
    assert client.get(deadline_url(essay)).status_code == 405
    assert client.get(extension_url(essay)).status_code == 405
    assert client.post(queue_url(essay)).status_code == 405


# What the queue lists ---------------------------------------------------------------------------


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


# Deadlines and extensions -----------------------------------------------------------------------


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


# Queries do not grow with the class -----------------------------------------------------------


@pytest.mark.parametrize("size", [2, 25])
def test_the_queue_uses_a_fixed_number_of_queries(login, cast, essay, django_assert_max_num_queries, size):
    class_handing_in(cast, essay, size)
    client = login(cast.instructor)
    # The session, the user, the task, the class, its versions and grades, the extensions and the rubrics: the groups
    # and the extension form's order of names come from the class.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("grading:queue", args=[essay.course_id, essay.pk]), {"sort": "-submitted"})
    assert response.content.decode().count("data-student=") == size + 2
