"""The rubrics the portal ships (grading/services/rubrics.py): the seed essay rubric's weight note, and the
example rubrics of the four structured deliverables — loaded once, refreshed without new rows, marked as
examples, and their weight note read where a grade is given and printed."""

import json
from decimal import Decimal
from itertools import pairwise

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from coursework.services.courses import FIXTURES
from grading.documents.feedback import feedback_pdf_bytes
from grading.models import Criterion, Level, Rubric
from grading.services.grades import grade_release, grade_save
from grading.services.rubrics import (
    essay_rubric_ensure,
    example_rubrics_ensure,
    rubric_copy,
)
from tests.grading.conftest import FEEDBACK_PICKS, hand_in, hand_in_work, scores_for, text_of

pytestmark = pytest.mark.django_db

DELIVERABLES = ("service_repository", "case_plan", "model_comparison", "assessment_toolkit")
LEVEL_TITLES = ["Өте жақсы", "Жақсы", "Қанағаттанарлық", "Қанағаттанарлықсыз"]
LANGUAGE_SUFFIXES = ("", "_ru", "_en")


def rows():
    """Every rubric, criterion and level as stored, pks and update moments included."""
    return (
        list(Rubric.objects.order_by("pk").values()),
        list(Criterion.objects.order_by("pk").values()),
        list(Level.objects.order_by("pk").values()),
    )


def filled(row, field):
    return all(getattr(row, f"{field}{suffix}").strip() for suffix in LANGUAGE_SUFFIXES)


# Loading -----------------------------------------------------------------------------------------


def test_it_loads_one_shared_example_rubric_per_structured_deliverable():
    examples = example_rubrics_ensure()
    assert set(examples) == set(DELIVERABLES)
    for rubric in examples.values():
        assert rubric.is_example and rubric.department is None and rubric.holistic_scale is None
    assert Rubric.objects.filter(is_example=True).count() == 4


def test_loading_twice_changes_no_row():
    first_examples = example_rubrics_ensure()
    essay_rubric_ensure()
    before = rows()
    again = example_rubrics_ensure()
    essay_rubric_ensure()
    assert rows() == before
    assert {key: rubric.pk for key, rubric in again.items()} == {
        key: rubric.pk for key, rubric in first_examples.items()
    }


def test_an_example_changed_since_is_brought_back_with_its_rows_updated_in_place():
    rubric = example_rubrics_ensure()["case_plan"]
    first, *rest = rubric.criteria.prefetch_related("levels")
    kept = [criterion.pk for criterion in rest]
    first.title = "Басқа атау"
    first.save()
    rest[-1].delete()  # the defence criterion
    Level.objects.filter(criterion=first, position=1).update(max_percent=Decimal(14))
    rubric.title_en = "Renamed"
    rubric.save()

    example_rubrics_ensure()

    rubric.refresh_from_db()
    assert rubric.title_en == "Individual work plan (case plan): assessment criteria"
    criteria = list(rubric.criteria.prefetch_related("levels"))
    assert criteria[0].title == "Клиент профилі және әлеуметтік тарихы"
    assert criteria[-1].title == "Қорғау"
    assert criteria[0].pk == first.pk and [c.pk for c in criteria[1:-1]] == kept[:-1]
    assert criteria[0].levels.get(position=1).max_percent == 15
    assert Rubric.objects.filter(is_example=True).count() == 4


def test_an_example_graded_with_keeps_its_criteria_and_levels(cast):
    rubric = example_rubrics_ensure()["service_repository"]
    task = cast.tasks["СӨЖ 1"]
    task.rubric = rubric
    task.save()
    version = hand_in_work(task, cast.student)
    picks = [
        ("Жақсы", "14", ""),
        ("Жақсы", "18", ""),
        ("Өте жақсы", "20", ""),
        ("Жақсы", "13", ""),
        ("Жақсы", "10", ""),
    ]
    grade_save(version=version, grader=cast.instructor, expected_lock_version=0, scores=scores_for(rubric, picks))
    Level.objects.filter(criterion__rubric=rubric, position=4).update(descriptor="Өзгертілген")
    before = list(Level.objects.filter(criterion__rubric=rubric).values())

    example_rubrics_ensure()

    assert list(Level.objects.filter(criterion__rubric=rubric).values()) == before


# What each example holds -------------------------------------------------------------------------


@pytest.mark.parametrize("deliverable", DELIVERABLES)
def test_each_example_has_four_levels_per_criterion_with_maxima_adding_up_to_100(deliverable):
    rubric = example_rubrics_ensure()[deliverable]
    criteria = list(rubric.criteria.prefetch_related("levels"))
    assert len(criteria) >= 5
    for criterion in criteria:
        levels = list(criterion.levels.all())
        assert [level.title for level in levels] == LEVEL_TITLES
        # From the top level down, each level's range starts where the next one's ends, down to 0.
        assert all(upper.min_percent == lower.max_percent for upper, lower in pairwise(levels))
        assert levels[-1].min_percent == 0
        assert all(level.min_percent < level.max_percent for level in levels)
    assert sum(criterion.levels.all()[0].max_percent for criterion in criteria) == 100


@pytest.mark.parametrize("deliverable", DELIVERABLES)
def test_each_example_is_written_in_kazakh_russian_and_english(deliverable):
    rubric = example_rubrics_ensure()[deliverable]
    assert filled(rubric, "title")
    for criterion in rubric.criteria.prefetch_related("levels"):
        assert filled(criterion, "title"), criterion.title
        for level in criterion.levels.all():
            assert filled(level, "title") and filled(level, "descriptor"), (criterion.title, level.title)


@pytest.mark.parametrize("deliverable", ["case_plan", "assessment_toolkit"])
def test_the_rubrics_of_the_tasks_that_end_with_a_defence_grade_the_defence(deliverable):
    rubric = example_rubrics_ensure()[deliverable]
    defence = rubric.criteria.get(title="Қорғау")
    assert (defence.title_ru, defence.title_en) == ("Защита", "Defence")
    assert defence.levels.first().max_percent == 20


def test_each_example_asks_what_its_task_asks():
    examples = example_rubrics_ensure()
    titles = {key: [c.title_en for c in rubric.criteria.all()] for key, rubric in examples.items()}
    assert titles["service_repository"][:2] == [
        "Coverage of client categories",
        "Accuracy and currency of the contact details",
    ]
    assert "Completeness of the fields (services, eligibility, cost, hours)" in titles["service_repository"]
    assert "Goals and interventions (who does what, by when)" in titles["case_plan"]
    assert "SWOT analysis of introducing case management in Kazakhstan" in titles["model_comparison"]
    assert "Social-history criteria defined in advance" in titles["assessment_toolkit"]
    assert "Quality of the instruments (items, answer types, scale anchors)" in titles["assessment_toolkit"]


def test_the_file_says_these_are_examples_not_the_course_documents():
    with open(FIXTURES / "example_rubrics.json", encoding="utf-8") as handle:
        notes = json.load(handle)["notes"]
    assert "examples written for the portal, not the course document's" in notes


# The seed rubric's weight note -------------------------------------------------------------------


def test_the_seed_rubric_carries_the_documents_weight_note_in_three_languages():
    rubric = essay_rubric_ensure()
    assert rubric.weight_note == "АБ 100%-дың 25%"
    assert rubric.weight_note_ru.startswith("25% от АБ 100%")
    assert rubric.weight_note_en.startswith("25% of the АБ (100%)")
    assert not rubric.is_example


def test_a_seed_rubric_made_before_the_note_gets_it_and_a_note_written_since_is_kept():
    rubric = essay_rubric_ensure()
    Rubric.objects.filter(pk=rubric.pk).update(weight_note="", weight_note_ru="", weight_note_en="")
    assert essay_rubric_ensure().weight_note == "АБ 100%-дың 25%"
    Rubric.objects.filter(pk=rubric.pk).update(weight_note="АБ 100%-дың 30%", weight_note_ru="", weight_note_en="")
    assert essay_rubric_ensure().weight_note == "АБ 100%-дың 30%"


def test_a_copy_of_an_example_is_the_departments_own_and_not_an_example(cast):
    example = example_rubrics_ensure()["model_comparison"]
    copy = rubric_copy(rubric=example, department=cast.department, user=cast.instructor)
    assert not copy.is_example and copy.department == cast.department
    assert copy.criteria.count() == 5 and Level.objects.filter(criterion__rubric=copy).count() == 20


def test_a_copy_keeps_the_weight_note(cast):
    copy = rubric_copy(rubric=essay_rubric_ensure(), department=cast.department, user=cast.instructor)
    assert (copy.weight_note, copy.weight_note_en[:20]) == ("АБ 100%-дың 25%", "25% of the АБ (100%)")


# The weight note in the feedback PDF ---------------------------------------------------------------


@pytest.fixture
def essay_grade(cast):
    task = cast.tasks["СОӨЖ 1"]
    task.rubric = essay_rubric_ensure()
    task.max_points = Decimal(20)
    task.save()
    version = hand_in(task, cast.student)
    grade = grade_save(
        version=version,
        grader=cast.instructor,
        expected_lock_version=0,
        scores=scores_for(task.rubric, FEEDBACK_PICKS),
    )
    return grade_release(grade=grade, by=cast.instructor, notify=False)


@pytest.mark.parametrize(
    ("language", "note"),
    [("kk", "АБ 100%-дың 25%"), ("ru", "25% от АБ 100%"), ("en", "Weight: 25% of the АБ (100%)")],
)
def test_the_feedback_pdf_prints_the_rubrics_weight_note_under_its_title(essay_grade, language, note):
    rubric, criterion = essay_grade.rubric, essay_grade.rubric.criteria.first()
    suffix = "" if language == "kk" else f"_{language}"
    text = text_of(feedback_pdf_bytes(essay_grade, language=language, for_student=True))
    # Under the rubric's title, above its table of criteria.
    title, first_criterion = getattr(rubric, f"title{suffix}"), getattr(criterion, f"title{suffix}")
    assert text.index(title) < text.index(note) < text.index(first_criterion)


def test_a_rubric_without_a_weight_note_prints_none(cast, essay_grade):
    Rubric.objects.filter(pk=essay_grade.rubric_id).update(weight_note="", weight_note_ru="", weight_note_en="")
    essay_grade.rubric.refresh_from_db()
    text = text_of(feedback_pdf_bytes(essay_grade, language="en"))
    assert "Weight:" not in text


def test_the_feedback_pdf_of_an_example_rubric_has_no_holistic_band_to_show(cast):
    rubric = example_rubrics_ensure()["service_repository"]
    task = cast.tasks["СӨЖ 1"]
    task.rubric = rubric
    task.save()
    picks = [("Өте жақсы", "20", "Санаттар толық.")] + [("Жақсы", points, "") for points in ("18", "14", "12", "10")]
    grade = grade_save(
        version=hand_in_work(task, cast.student),
        grader=cast.instructor,
        expected_lock_version=0,
        scores=scores_for(rubric, picks),
    )
    text = text_of(feedback_pdf_bytes(grade, language="en"))
    assert "Rubric: Repository of social services: assessment criteria" in text
    assert "Coverage of client categories" in text and "74 / 100" in text
    assert "Holistic band" not in text and "Weight:" not in text


# The grading page's rubric heading (grading/includes/rubric_heading.html) -------------------------


def test_the_grading_pages_rubric_heading_names_the_rubric_and_its_weight_note():
    html = render_to_string("grading/includes/rubric_heading.html", {"rubric": essay_rubric_ensure()})
    assert "Реферат жазбаша тапсырмасы" in html and "АБ 100%-дың 25%" in html
    assert "rubric-example-badge" not in html


def test_the_grading_pages_rubric_heading_marks_an_example():
    with translation.override("en"):
        html = render_to_string(
            "grading/includes/rubric_heading.html", {"rubric": example_rubrics_ensure()["case_plan"]}
        )
    assert "Rubric: Individual work plan (case plan): assessment criteria" in html
    assert "rubric-example-badge" in html and "data-weight-note" not in html
    assert render_to_string("grading/includes/rubric_heading.html", {"rubric": None}).strip() == ""
