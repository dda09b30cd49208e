"""A rubric's criteria and levels are read once per process for each state of the rubric (grading.selectors.rubrics):
the task page and the grading page show every edit at once, however it is made, and read no rows again until then."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.models import Criterion, Level
from grading.services.rubrics import rubric_copy, rubric_save
from tests.grading.conftest import hand_in

pytestmark = pytest.mark.django_db


def task_url(task):
    return reverse("grading:task_detail", args=[task.course_id, task.pk])


def page(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def rows(rubric):
    return [
        {
            "pk": criterion.pk,
            "title": criterion.title,
            "levels": [
                {
                    "pk": level.pk,
                    "title": level.title,
                    "descriptor": level.descriptor,
                    "min_percent": level.min_percent,
                    "max_percent": level.max_percent,
                }
                for level in criterion.levels.all()
            ],
        }
        for criterion in rubric.criteria.prefetch_related("levels")
    ]


def table(html):
    return html[html.index('<details class="card mt-4 rubric-preview"') :].split("</details>")[0]


def test_the_task_page_reads_the_rubrics_rows_once(login, cast, essay):
    client = login(cast.student)
    first, cold = page(client, task_url(essay))
    second, warm = page(client, task_url(essay))
    assert warm == cold - 2  # the criteria and their levels
    assert table(first) == table(second) and "rubric-table" in table(first)


def test_a_level_changed_in_the_admin_is_on_the_task_page_at_once(login, cast, essay):
    client = login(cast.student)
    page(client, task_url(essay))
    level = Level.objects.filter(criterion__rubric=essay.rubric).first()
    level.descriptor = "Жаңа сипаттама: мәтінді дереккөзбен дәлелдейді"
    level.save()
    html, _queries = page(client, task_url(essay))
    assert "Жаңа сипаттама: мәтінді дереккөзбен дәлелдейді" in table(html)
    client.cookies["portal_language"] = "ru"
    html, _queries = page(client, task_url(essay))
    assert "Критерий" in table(html) and level.display_descriptor in table(html)


def test_a_criterion_deleted_in_the_admin_leaves_the_task_page_at_once(login, cast, essay):
    client = login(cast.student)
    criterion = Criterion.objects.filter(rubric=essay.rubric).last()
    assert criterion.title in page(client, task_url(essay))[0]
    criterion.delete()
    assert criterion.title not in page(client, task_url(essay))[0]


def test_a_rubric_saved_in_the_editor_is_on_the_grading_page_at_once(login, cast, essay):
    own = rubric_copy(rubric=essay.rubric, department=cast.department, user=cast.instructor, title="Біздің рубрика")
    essay.rubric = own
    essay.save()
    version = hand_in(essay, cast.student)
    client = login(cast.instructor)
    url = reverse("grading:grade", args=[version.submission_id])
    page(client, url)
    changed = rows(own)
    changed[0]["title"] = "Дереккөздерді сыни бағалау"
    rubric_save(rubric=own, criteria=changed)
    assert "Дереккөздерді сыни бағалау" in page(client, url)[0]
    assert "Дереккөздерді сыни бағалау" in page(login(cast.student), task_url(essay))[0]


def test_a_rubric_copy_carries_the_time_of_its_last_row(cast, essay):
    own = rubric_copy(rubric=essay.rubric, department=cast.department, user=cast.instructor)
    saved = own.updated_at
    own.refresh_from_db()
    assert own.updated_at == saved
