"""Every page of every role: no id used twice, and every <label for> names an element of the page.

A screen reader reads a field by its label; a label pointing at nothing, or at another form's field because
two fields share an id, reads the wrong thing or nothing.
"""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from grading.services.rubrics import rubric_copy

pytestmark = pytest.mark.django_db


class IdsAndLabels(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()
        self.label_targets = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        if tag == "label" and attrs.get("for"):
            self.label_targets.append(attrs["for"])


def markup_problems(html):
    parser = IdsAndLabels()
    parser.feed(html)
    duplicates = sorted(name for name, count in parser.ids.items() if count > 1)
    orphans = sorted(target for target in parser.label_targets if target not in parser.ids)
    return duplicates, orphans


def pages_by_role(cast, released, copy):
    course, essay = cast.course, released.submission.task
    submission = released.submission
    common = [reverse("grading:course_detail", args=[course.pk]), reverse("grading:gradebook", args=[course.pk])]
    common += [reverse("grading:task_detail", args=[course.pk, task.pk]) for task in cast.tasks.values()]
    common += [reverse("password_change"), reverse("portfolio:submission_detail", args=[submission.pk])]
    staff = [
        reverse("grading:queue", args=[course.pk, essay.pk]),
        reverse("grading:rubric_list"),
        reverse("grading:rubric_detail", args=[copy.pk]),
    ]
    return {
        "student": [*common, reverse("grading:student_home"), reverse("grading:student_portfolio", args=[course.pk])],
        "instructor": [
            *common,
            *staff,
            reverse("grading:instructor_home"),
            reverse("grading:grade", args=[submission.pk]),
            reverse("grading:control_scores", args=[course.pk]),
            reverse("grading:rubric_create"),
            reverse("grading:rubric_edit", args=[copy.pk]),
        ],
        "dept_admin": [*common, *staff, reverse("grading:department_home"), reverse("grading:letter_scale")],
    }


@pytest.fixture
def copy(cast, rubric):
    return rubric_copy(rubric=rubric, department=cast.department, user=cast.instructor)


@pytest.mark.parametrize("role", ["student", "instructor", "dept_admin"])
def test_no_page_repeats_an_id_or_labels_nothing(login, cast, released, copy, role):
    client = login(getattr(cast, role))
    problems = {}
    for url in pages_by_role(cast, released, copy)[role]:
        response = client.get(url)
        assert response.status_code == 200, url
        duplicates, orphans = markup_problems(response.content.decode())
        if duplicates or orphans:
            problems[url] = {"ids used twice": duplicates, "labels for nothing": orphans}
    assert problems == {}


def test_the_sign_in_page_labels_its_fields(client):
    assert markup_problems(client.get(reverse("login")).content.decode()) == ([], [])


def test_the_checker_finds_what_it_looks_for():
    html = '<label for="a">A</label><input id="b"><input id="b"><label for="b">B</label>'
    assert markup_problems(html) == (["b"], ["a"])
