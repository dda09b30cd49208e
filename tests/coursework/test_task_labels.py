"""A task's label as the document writes it, with its abbreviation in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", ["СОӨЖ 1", "СӨЖ 1", "СОӨЖ 2-3"]),
        ("ru", ["СРСП 1", "СРС 1", "СРСП 2-3"]),
        ("en", ["СОӨЖ 1", "СӨЖ 1", "СОӨЖ 2-3"]),
    ],
)
def test_russian_readers_see_srs_and_srsp(cast, language, expected):
    with translation.override(language):
        assert [cast.tasks[label].display_label for label in ("СОӨЖ 1", "СӨЖ 1", "СОӨЖ 2-3")] == expected


def test_the_stored_label_stays_as_written(cast):
    with translation.override("ru"):
        assert cast.tasks["СОӨЖ 4-5"].label == "СОӨЖ 4-5"


def test_a_label_without_the_documents_abbreviation_is_shown_as_it_is(cast):
    task = cast.tasks["СӨЖ 3"]
    task.label = "Эссе 2"
    with translation.override("ru"):
        assert task.display_label == "Эссе 2"


def test_the_russian_schedule_shows_srsp(login, cast, settings):
    client = login(cast.student)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = client.get(reverse("grading:course_detail", args=[cast.course.pk])).content.decode()
    assert '<span class="task-label">СРСП 2-3</span>' in html
    assert 'data-task="СОӨЖ 2-3"' in html  # rows keep the stored label for scripts and tests
