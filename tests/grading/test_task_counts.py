"""The staff's counts per task on the instructor home and the course page: handed in, to grade, released, late."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from grading.selectors.queue import task_counts
from grading.services.grades import grade_release, grade_save
from tests.portfolio.conftest import at, hand_in, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def repository(cast):
    """СӨЖ 1 (22 points, no rubric): due Sunday 5 October 2025, 23:59."""
    return cast.tasks["СӨЖ 1"]


@pytest.fixture
def three_states(cast, repository):
    """The student's work graded and released; the classmate's handed in late and not graded."""
    version = hand_in(repository, cast.student, xlsx(), moment=at(dt.date(2025, 10, 3)))
    grade = grade_save(version=version, grader=cast.instructor, expected_lock_version=0, points=Decimal(18))
    grade_release(grade=grade, by=cast.instructor, notify=False)
    hand_in(repository, cast.classmate, xlsx(), moment=at(dt.date(2025, 10, 7)))
    return repository


def test_counts_follow_each_latest_version_and_its_grade(cast, three_states):
    counts = task_counts(list(cast.course.tasks.all()))
    mine = counts[three_states.pk]
    assert (mine.handed_in, mine.graded, mine.released, mine.late, mine.to_grade) == (2, 1, 1, 1, 1)
    untouched = counts[cast.tasks["СОӨЖ 1"].pk]
    assert (untouched.handed_in, untouched.to_grade) == (0, 0)


def test_a_resubmission_counts_once_and_waits_for_grading_again(cast, three_states):
    hand_in(three_states, cast.student, xlsx("v2.xlsx"), moment=at(dt.date(2025, 10, 4)))
    counts = task_counts([three_states])[three_states.pk]
    assert (counts.handed_in, counts.graded, counts.to_grade) == (2, 0, 2)


def test_the_instructor_home_links_the_counts_to_the_filtered_queue(login, cast, three_states):
    html = login(cast.instructor).get(reverse("grading:instructor_home")).content.decode()
    queue = reverse("grading:queue", args=[cast.course.pk, three_states.pk])
    assert f'href="{queue}?status=ungraded"' in html
    assert f'href="{queue}?status=late"' in html
    assert "1 бағалау керек" in html


def test_students_see_no_counts_on_the_course_page(login, cast, three_states):
    html = login(cast.student).get(reverse("grading:course_detail", args=[cast.course.pk])).content.decode()
    assert "task-counts" not in html
    staff_html = login(cast.dept_admin).get(reverse("grading:course_detail", args=[cast.course.pk])).content.decode()
    assert "task-counts" in staff_html
