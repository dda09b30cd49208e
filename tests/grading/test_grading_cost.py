"""What the grading page, its save and the queue cost (grading/views/grades.py, grading/views/queue.py): the
grade's history is shown in part, with a way to see all of it, and no page's queries grow with the history or the
class; the letter scale comes from the cache and a changed scale is seen at once."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coursework.models import Enrollment
from grading.models import Grade, LetterGrade, Rubric
from grading.selectors.grades import HISTORY_SHOWN, letters_for
from grading.selectors.rubrics import rubric_criteria
from grading.services.grades import grade_save
from grading.services.letter_scale import (
    letter_scale_ensure,
    letter_scale_reset,
    letter_scale_save,
    national_rows,
    single_f_rows,
)
from tests.conftest import make_user
from tests.grading.conftest import GOOD_PICKS, hand_in, scores_for
from tests.grading.test_grades_views import form_data
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


# Session, user, submission; its latest version, files, criteria, levels, grade, scores; the rubric's bands, the
# neighbours (with the student's group), the file's preview, the history, the lock, the defence's booking and slots.


@pytest.fixture(autouse=True)
def shared_cache(settings):
    """A cache every process shares (CACHE_URL): the letter scale is kept there (grading.selectors.grades)."""
    settings.SHARED_CACHE = True


# The letter scale comes from the cache once read, the rubric's criteria and levels from this process's memory
# (grading.selectors.rubrics).
GRADING_PAGE_QUERIES = 14


@pytest.mark.parametrize("history", [5, 25])
def test_the_grading_page_makes_the_same_queries_for_any_history_and_class(login, cast, essay, history):
    version = hand_in(essay, cast.student)
    graded_with_changes(cast, version, 1)
    client = login(cast.instructor)
    url = reverse("grading:grade", args=[version.submission_id])
    queries_of(client, url)  # the letter scale into the cache, the rubric's rows into this process
    small, _page = queries_of(client, url)
    class_handing_in(cast, essay, 25)
    graded_with_changes(cast, version, history)
    large, page = queries_of(client, url)
    assert history_entries(page) == HISTORY_SHOWN
    assert 'rel="next"' in page
    assert large == small == GRADING_PAGE_QUERIES


def test_the_grading_page_reads_the_letter_scale_once_in_one_query(login, cast, essay, national):
    version = hand_in(essay, cast.student)
    client = login(cast.instructor)
    url = reverse("grading:grade", args=[version.submission_id])
    rubric_criteria(Rubric.objects.get(pk=essay.rubric_id))  # the rubric's rows read, as by an earlier page
    cold, page = queries_of(client, url)
    warm, _page = queries_of(client, url)
    assert cold == warm + 1 == GRADING_PAGE_QUERIES + 1
    assert '"letter": "FX"' in page


def test_a_changed_letter_scale_is_on_the_grading_page_at_once(login, cast, essay, national):
    version = hand_in(essay, cast.student)
    client = login(cast.instructor)
    url = reverse("grading:grade", args=[version.submission_id])
    assert '"letter": "FX"' in client.get(url).content.decode()
    letter_scale_save(department=cast.department, rows=single_f_rows())
    assert '"letter": "FX"' not in client.get(url).content.decode()
    letter_scale_reset(department=cast.department)
    assert '"letter": "FX"' in client.get(url).content.decode()


def test_letters_come_from_the_cache_and_follow_every_change_of_a_scale(cast, national, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert [grade.letter for grade in letters_for(cast.department)] == [row["letter"] for row in national_rows()]
    with django_assert_num_queries(0):
        letters_for(cast.department)
    letter_scale_save(department=cast.department, rows=single_f_rows())
    assert "FX" not in {grade.letter for grade in letters_for(cast.department)}
    assert "FX" in {grade.letter for grade in letters_for(cast.other_department)}
    letter_scale_save(department=cast.department, rows=national_rows())
    assert letters_for(cast.department)[0].department_id == cast.department.pk
    letter_scale_reset(department=cast.department)
    assert letters_for(cast.department)[0].department_id is None


def test_a_national_scale_loaded_after_it_was_read_missing_is_seen(cast):
    LetterGrade.objects.filter(department__isnull=True).delete()
    assert letters_for(cast.department) == []
    letter_scale_ensure()
    assert len(letters_for(cast.department)) == len(national_rows())


# Session, user, submission; its latest version, files, criteria, levels, grade, scores; the rubric's bands; in the
# save: the grade locked, its scores before, the update, the grade again, the scores replaced and read after, the
# history row, the lock, the course's moment of change (and the transaction's own statements). The save reads the
# submission's task, rubric, course and student, and the rubric's criteria and bands, from what the page has read.
GRADE_SAVE_QUERIES = 25


@pytest.mark.parametrize("history", [1, 12])
def test_saving_a_grade_makes_the_same_queries_for_any_history_and_class(login, cast, essay, history):
    version = hand_in(essay, cast.student)
    grade = graded_with_changes(cast, version, history)
    class_handing_in(cast, essay, 5 * history)
    client = login(cast.instructor)
    url = reverse("grading:grade", args=[version.submission_id])
    data = form_data(essay.rubric, lock=grade.lock_version, feedback="Жаңа пікір.")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302
    assert Grade.objects.get(pk=grade.pk).feedback == "Жаңа пікір."
    assert len(queries) == GRADE_SAVE_QUERIES


# Session, user, task and course; the class, its versions and their grades (three plain queries rather than one of
# seven subqueries a row; the groups and the order of the students to extend come with the class), the extensions,
# the rubrics on offer.
QUEUE_QUERIES = 8


@pytest.mark.parametrize("size", [5, 25])
def test_the_queue_makes_the_same_few_queries_for_any_class(login, cast, essay, size):
    client = login(cast.instructor)
    url = reverse("grading:queue", args=[essay.course_id, essay.pk])
    class_handing_in(cast, essay, size)
    smaller, _page = queries_of(client, url)
    class_handing_in_more(cast, essay, 20)
    larger, page = queries_of(client, url)
    assert page.count("data-student=") == size + 20 + 2
    assert smaller == larger == QUEUE_QUERIES


def test_the_queue_filters_the_class_it_has_read(login, cast, essay):
    client = login(cast.instructor)
    url = reverse("grading:queue", args=[essay.course_id, essay.pk])
    class_handing_in(cast, essay, 5)
    whole, _page = queries_of(client, url)
    filtered, page = queries_of(client, url, group="СЖ-23-02", status="submitted")
    assert filtered == whole == QUEUE_QUERIES
    assert page.count("data-student=") == 5


def class_handing_in_more(cast, essay, size):
    """``size`` more students beside those of ``class_handing_in`` (their usernames are its own, numbered on)."""
    for number in range(100, 100 + size):
        student = make_user(f"s{number}", "student", cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")
        hand_in_file(essay, student, docx())


def test_without_a_shared_cache_each_request_reads_the_letter_scale(
    cast, national, settings, django_assert_num_queries
):
    # Each gunicorn worker has a cache of its own: a scale kept there would outlive a change made in another worker.
    settings.SHARED_CACHE = False
    for _read in range(2):
        with django_assert_num_queries(1):
            assert "FX" in {grade.letter for grade in letters_for(cast.department)}
    LetterGrade.objects.filter(department__isnull=True, letter="FX").update(letter="FY")  # as another process would
    assert "FY" in {grade.letter for grade in letters_for(cast.department)}


def test_letters_changed_in_the_admin_site_are_forgotten_by_the_cache(cast, national, client):
    assert "FX" in {grade.letter for grade in letters_for(cast.department)}  # now in the cache
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "x"))
    fx = LetterGrade.objects.get(department__isnull=True, letter="FX")
    response = client.post(reverse("admin:grading_lettergrade_delete", args=[fx.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert "FX" not in {grade.letter for grade in letters_for(cast.department)}
    f = LetterGrade.objects.get(department__isnull=True, letter="F")
    response = client.post(
        reverse("admin:grading_lettergrade_changelist"),
        {"action": "delete_selected", "_selected_action": [f.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert "F" not in {grade.letter for grade in letters_for(cast.department)}
