"""The read-only review of a grade (grading/views/review.py): who may open it, then what it shows."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.grading.conftest import FEEDBACK, FEEDBACK_PICKS, hand_in

pytestmark = pytest.mark.django_db


def review_url(submission_id):
    return reverse("grading:grade_review", args=[submission_id])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    response = client.get(review_url(draft.submission_id))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["student", "classmate", "other_student", "other_instructor", "other_dept_admin"])
def test_students_and_other_departments_get_404(login, cast, draft, who):
    """The work's own student too: they read their released grade on their own pages."""
    assert login(getattr(cast, who)).get(review_url(draft.submission_id)).status_code == 404


@pytest.mark.parametrize("who", ["dept_admin", "instructor"])
def test_the_courses_staff_open_it(login, cast, draft, who):
    assert login(getattr(cast, who)).get(review_url(draft.submission_id)).status_code == 200


def test_it_answers_only_get(login, cast, draft):
    assert login(cast.dept_admin).post(review_url(draft.submission_id)).status_code == 405


# What it shows ------------------------------------------------------------------------------


def test_the_admin_reads_the_rubric_with_the_chosen_levels_points_and_comments(login, cast, draft):
    html = login(cast.dept_admin).get(review_url(draft.submission_id)).content.decode()
    chosen = re.findall(r'<li class="chosen" aria-current="true">.*?<strong>(.*?)</strong>', html)
    assert chosen == [level for level, _points, _comment in FEEDBACK_PICKS]
    page = text(html)
    for _level, points, comment in FEEDBACK_PICKS:
        assert f"{points.replace('.', ',')}%" in page
        assert comment in page
    main = html.split('id="main"', 1)[1].split("</main>")[0]
    assert "<form" not in main and "<input" not in main  # read only: nothing to change here


def test_the_admin_reads_the_feedback_originality_history_files_and_statement(login, cast, draft):
    html = english(login(cast.dept_admin)).get(review_url(draft.submission_id)).content.decode()
    page = text(html)
    assert FEEDBACK in page
    assert "86,5%" in page or "86.5%" in page
    assert "Антиплагиат.kz" in page
    assert "Draft grade" in page and "A draft: the student does not see it yet." in page
    assert "Saved · version 1" in page  # the history of the grade
    version = draft.version
    for item in version.files.all():
        assert f'href="{reverse("portfolio:file_download", args=[item.pk])}"' in html
        assert item.original_name in page
    assert 'data-statement-version="1"' in html  # the statement as the portfolio shows it, with its moment
    assert "This work is my own; every source I used is cited." in page
    assert f'href="{reverse("grading:feedback_pdf", args=[draft.pk])}"' in html
    assert f'href="{reverse("grading:grade", args=[draft.submission_id])}"' not in html  # not a grader


def test_the_instructor_finds_the_way_to_the_grading_page(login, cast, draft):
    html = login(cast.instructor).get(review_url(draft.submission_id)).content.decode()
    assert f'href="{reverse("grading:grade", args=[draft.submission_id])}"' in html


def test_work_not_graded_yet_says_so(login, cast, essay):
    version = hand_in(essay, cast.classmate)
    html = english(login(cast.dept_admin)).get(review_url(version.submission_id)).content.decode()
    assert "Not graded yet." in text(html)
    assert reverse("portfolio:file_download", args=[version.files.get().pk]) in html
