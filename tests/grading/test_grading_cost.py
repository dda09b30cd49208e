"""What the grading page and the queue cost (grading/views/grades.py, grading/views/queue.py): the grade's history is
shown in part, with a way to see all of it, and neither page's queries grow with the history or the class."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coursework.models import Enrollment
from grading.models import Grade
from grading.selectors.grades import HISTORY_SHOWN
from grading.services.grades import grade_save
from tests.conftest import make_user
from tests.grading.conftest import GOOD_PICKS, hand_in, scores_for
from tests.portfolio.conftest import class_handing_in, docx
from tests.portfolio.conftest import hand_in as hand_in_file

pytestmark = pytest.mark.django_db


def graded_with_changes(cast, version, changes):
    """``changes`` more saves of the version's grade (the first one grades it), each a new entry of its history."""
    scores = scores_for(version.submission.task.rubric, GOOD_PICKS)
    grade = Grade.objects.filter(version=version).first()
    for number in range(changes):
        grade = grade_save(
            version=version,
            grader=cast.instructor,
            expected_lock_version=grade.lock_version if grade else 0,
            scores=scores,
            feedback=f"Пікір {number}",
        )
    return grade


def history_entries(html):
    section = html.split('aria-labelledby="history-heading"', 1)[1].split("</section>", 1)[0]
    return section.count('<li class="list-group-item">')


def queries_of(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_grading_page_shows_the_latest_changes_and_offers_the_whole_history(login, cast, essay):
    version = hand_in(essay, cast.student)
    graded_with_changes(cast, version, HISTORY_SHOWN + 2)
    client = login(cast.instructor)
    url = reverse("grading:grade", args=[version.submission_id])
    page = client.get(url, {"file": "x"}).content.decode()
    assert history_entries(page) == HISTORY_SHOWN
    link = page.split('class="card-footer small"><a href="', 1)[1].split('"', 1)[0]
    assert link == "?file=x&amp;history=all#history-heading"
    whole = client.get(url, {"file": "x", "history": "all"}).content.decode()
    assert history_entries(whole) == HISTORY_SHOWN + 2
    assert "history-all" not in whole


def test_a_short_history_is_shown_whole_without_a_link(login, cast, essay):
    version = hand_in(essay, cast.student)
    graded_with_changes(cast, version, HISTORY_SHOWN)
    page = login(cast.instructor).get(reverse("grading:grade", args=[version.submission_id])).content.decode()
    assert history_entries(page) == HISTORY_SHOWN
    assert "history-all" not in page


@pytest.mark.parametrize("history", [5, 25])
def test_the_grading_page_makes_the_same_queries_for_any_history_and_class(login, cast, essay, history):
    version = hand_in(essay, cast.student)
    graded_with_changes(cast, version, 1)
    client = login(cast.instructor)
    url = reverse("grading:grade", args=[version.submission_id])
    small, _page = queries_of(client, url)
    class_handing_in(cast, essay, 25)
    graded_with_changes(cast, version, history)
    large, page = queries_of(client, url)
    assert history_entries(page) == HISTORY_SHOWN
    assert 'rel="next"' in page
    assert large == small


def test_the_queue_makes_the_same_few_queries_for_5_and_25_students(login, cast, essay):
    client = login(cast.instructor)
    url = reverse("grading:queue", args=[essay.course_id, essay.pk])
    class_handing_in(cast, essay, 5)
    small, _page = queries_of(client, url)
    class_handing_in_more(cast, essay, 20)
    large, page = queries_of(client, url)
    assert page.count("data-student=") == 25 + 2
    assert large == small
    # Session, user, task and course; the whole class once, the graded count, the groups, the students to extend,
    # the extensions, the rubrics on offer: the counts no longer cost a query each.
    assert large <= 10


def test_the_queue_reads_a_filtered_list_once_more(login, cast, essay):
    client = login(cast.instructor)
    url = reverse("grading:queue", args=[essay.course_id, essay.pk])
    class_handing_in(cast, essay, 5)
    whole, _page = queries_of(client, url)
    filtered, page = queries_of(client, url, group="СЖ-23-02", status="submitted")
    assert filtered == whole + 1
    assert page.count("data-student=") == 5


def class_handing_in_more(cast, essay, size):
    """``size`` more students beside those of ``class_handing_in`` (their usernames are its own, numbered on)."""
    for number in range(100, 100 + size):
        student = make_user(f"s{number}", "student", cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")
        hand_in_file(essay, student, docx())
