"""The portal's five example cases (fixtures/example_vignettes.json) and what a course copied into a new term takes
along of its cases."""

import datetime as dt
import json
import re

import pytest

from caseplans.identifiers import personal_data
from caseplans.models import CaseAssignment, Vignette
from caseplans.services import EXAMPLES_FILE, vignette_examples_add
from coursework.models import Term
from coursework.services.courses import course_copy

EXAMPLES = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
# The client categories the course document names for its cases, one example each.
CATEGORIES = {"domestic_violence", "families", "disability", "unemployed", "elderly"}
KAZAKH_LETTERS = set("әғқңөұүһі")


def words(text):
    return re.findall(r"\w+(?:-\w+)*", text)


# The examples --------------------------------------------------------------------------------------------------------


def test_there_is_one_kazakh_example_for_each_client_category_the_course_names():
    assert len(EXAMPLES) == 5
    assert {example["client_category"] for example in EXAMPLES} == CATEGORIES
    assert all(set(example) == {"key", "title", "language", "client_category", "text"} for example in EXAMPLES)
    assert len({example["key"] for example in EXAMPLES}) == 5
    assert {example["language"] for example in EXAMPLES} == {"kk"}
    assert len({example["title"] for example in EXAMPLES}) == 5


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example["client_category"])
def test_each_example_is_a_kazakh_case_of_the_promised_length(example):
    assert 120 <= len(words(example["text"])) <= 220
    assert KAZAKH_LETTERS & set(example["text"].lower())
    # A first name and the situation: "Гүлназ: тұрмыстық зорлық-зомбылық".
    assert re.fullmatch(r"[А-ЯӘҒҚҢӨҰҮҺІ][^:]+: \S.+", example["title"])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example["client_category"])
def test_each_example_is_de_identified_as_the_editor_checks(example):
    assert personal_data(example["title"]) == []
    assert personal_data(example["text"]) == []


def test_each_example_passes_the_models_own_checks(cast):
    for example in EXAMPLES:
        fields = {name: value for name, value in example.items() if name != "key"}
        Vignette(course=cast.course, created_by=cast.instructor, example_key=example["key"], **fields).full_clean()


def test_adding_the_examples_marks_them_as_examples(cast):
    assert vignette_examples_add(course=cast.course, by=cast.instructor) == 5
    vignettes = cast.course.vignettes.all()
    assert {vignette.title for vignette in vignettes} == {example["title"] for example in EXAMPLES}
    assert all(vignette.is_example and vignette.created_by == cast.instructor for vignette in vignettes)
    assert vignette_examples_add(course=cast.course, by=cast.instructor) == 0
    assert not cast.other_course.vignettes.exists()


def test_an_example_whose_title_was_edited_is_not_added_again(cast):
    vignette_examples_add(course=cast.course, by=cast.instructor)
    edited = cast.course.vignettes.get(example_key="older-person")
    edited.title = "Күләш апа: жалғыздық"
    edited.save()
    assert vignette_examples_add(course=cast.course, by=cast.instructor) == 0
    assert cast.course.vignettes.count() == 5


# A copied course ---------------------------------------------------------------------------------------------------


def copy_of(cast):
    return course_copy(
        source=cast.course,
        code=cast.course.code,
        academic_year="2026-2027",
        term=Term.AUTUMN,
        start_date=dt.date(2026, 8, 31),
        copied_by=cast.dept_admin,
    )


def test_a_copied_course_takes_its_cases_along_but_not_who_was_given_which(cast, case_task, vignette, given_case):
    vignette_examples_add(course=cast.course, by=cast.instructor)
    copy = copy_of(cast)
    copied = {(v.title, v.language, v.client_category, v.text, v.is_example) for v in copy.vignettes.all()}
    source = {(v.title, v.language, v.client_category, v.text, v.is_example) for v in cast.course.vignettes.all()}
    assert copied == source and len(copied) == 6
    assert not copy.vignettes.filter(pk__in=cast.course.vignettes.values("pk")).exists()
    assert not CaseAssignment.objects.filter(task__course=copy).exists()
    assert CaseAssignment.objects.filter(task__course=cast.course).count() == 1
    # The copy's cases are its own: the source's stay with the source and are still given.
    given_case.refresh_from_db()
    assert given_case.vignette == vignette and vignette.course == cast.course


def test_a_course_without_cases_is_copied_without_any(cast):
    assert not copy_of(cast).vignettes.exists()
    assert Vignette.objects.count() == 0
