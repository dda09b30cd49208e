"""What the students' everyday pages cost (grading/views/courses.py): the task page of every kind of task, the course
page and the student's home. Each is held to the queries it makes today (the session and the user included), and
a page that lists things makes as many queries for a student with little work as for one with much."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coursework.models import Booking, Extension, Slot, SlotKind
from grading.services.grades import grade_release, grade_save
from portfolio import services
from tests.grading.conftest import HANDED_IN, hand_in_work
from tests.portfolio.conftest import at, docx, xlsx

pytestmark = pytest.mark.django_db

# The task page of each kind of task, for a student whose latest version is graded and released, with a booked
# consultation: at most this many queries.
TASK_PAGE_QUERIES = {
    "СОӨЖ 1": 10,  # essay
    "СӨЖ 1": 9,  # service repository
    "СОӨЖ 2-3": 13,  # case plan
    "СӨЖ 4": 11,  # model comparison
    "СОӨЖ 4-5": 11,  # institution report
    "СӨЖ 3": 11,  # assessment toolkit
}
COURSE_PAGE_QUERIES = 9  # the student's place on the roster is the course's access check too
HOME_QUERIES = 7


def queries_of(client, url):
    return len(sql_of(client, url))


def sql_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries]


# What a schedule does not show, and so does not load: the versions' stored work and check report, a grade's
# working feedback.
NOT_LOADED = ('"portfolio_version"."content"', '"portfolio_version"."check_report"', '"grading_grade"."feedback"')


def task_url(task):
    return reverse("grading:task_detail", args=[task.course_id, task.pk])


def graded(cast, task, student, versions=1):
    """``versions`` hand-ins of ``task`` by ``student``, the latest graded and released."""
    version = hand_in_work(task, student)
    for number in range(2, versions + 1):
        version = hand_in_again(task, student, number)
    grade = grade_save(version=version, grader=cast.instructor, expected_lock_version=0, points=5)
    grade_release(grade=grade, by=cast.instructor, notify=False)
    return version


def hand_in_again(task, student, number):
    """Another version: work built in the portal is built again; a file handed in is joined by another one."""
    if task.is_built_in_portal:
        return hand_in_work(task, student)
    upload = (
        xlsx(f"репозиторий {number}.xlsx") if task.deliverable == "service_repository" else docx(f"эссе {number}.docx")
    )
    services.draft_add_files(task=task, student=student, uploads=[upload], now=HANDED_IN)
    return services.draft_submit(task=task, student=student, statement_accepted=True, now=HANDED_IN)


def booked(cast, task, student):
    """A consultation slot of ``task`` with ``student``'s seat in it, and a defence slot with none."""
    start = at(dt.date(2025, 9, 15), 10)
    for kind in (SlotKind.CONSULTATION, SlotKind.DEFENCE):
        slot = Slot.objects.create(
            task=task,
            kind=kind,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            place="Ауд. 204",
            capacity=3,
            booking_closes_at=start - dt.timedelta(hours=2),
            created_by=cast.instructor,
        )
        if kind == SlotKind.CONSULTATION:
            Booking.objects.create(slot=slot, student=student)


@pytest.mark.parametrize("label", list(TASK_PAGE_QUERIES))
def test_a_task_page_with_graded_work_keeps_to_its_queries(login, cast, label):
    task = cast.tasks[label]
    graded(cast, task, cast.student)
    booked(cast, task, cast.student)
    Extension.objects.create(task=task, student=cast.student, due_at=task.due_at + dt.timedelta(days=3))

    assert queries_of(login(cast.student), task_url(task)) <= TASK_PAGE_QUERIES[label]


@pytest.mark.parametrize("label", list(TASK_PAGE_QUERIES))
def test_a_task_page_costs_the_same_for_one_version_as_for_three(login, cast, label):
    task = cast.tasks[label]
    graded(cast, task, cast.student, versions=1)
    graded(cast, task, cast.classmate, versions=3)
    for student in (cast.student, cast.classmate):
        booked(cast, task, student)

    one = queries_of(login(cast.student), task_url(task))
    three = queries_of(login(cast.classmate), task_url(task))

    assert one == three


def test_the_course_page_keeps_to_its_queries_whatever_the_work_handed_in(login, cast):
    url = reverse("grading:course_detail", args=[cast.course.pk])
    graded(cast, cast.tasks["СОӨЖ 1"], cast.classmate)
    for label in ("СОӨЖ 1", "СӨЖ 1", "СОӨЖ 2-3"):
        graded(cast, cast.tasks[label], cast.student, versions=2)

    little = queries_of(login(cast.classmate), url)
    much = queries_of(login(cast.student), url)

    assert little == much <= COURSE_PAGE_QUERIES


def test_the_student_home_keeps_to_its_queries_whatever_the_work_handed_in(login, cast):
    url = reverse("grading:student_home")
    graded(cast, cast.tasks["СОӨЖ 1"], cast.classmate)
    for label in ("СОӨЖ 1", "СӨЖ 1", "СӨЖ 4", "СӨЖ 3"):
        graded(cast, cast.tasks[label], cast.student, versions=2)

    little = queries_of(login(cast.classmate), url)
    much = queries_of(login(cast.student), url)

    assert little == much <= HOME_QUERIES


@pytest.mark.parametrize("page", ["home", "course"])
def test_a_schedule_leaves_the_stored_work_and_the_working_feedback_in_the_database(login, cast, page):
    graded(cast, cast.tasks["СӨЖ 1"], cast.student)
    url = reverse("grading:student_home") if page == "home" else reverse("grading:course_detail", args=[cast.course.pk])

    sql = " ".join(sql_of(login(cast.student), url))

    assert '"portfolio_version"."number"' in sql  # the versions were read, without these:
    assert not [column for column in NOT_LOADED if column in sql]
