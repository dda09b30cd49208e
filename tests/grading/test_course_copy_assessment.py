"""A course copied into a new term keeps its credit formula: grading answers coursework's ``course_copied``."""

import datetime as dt
from decimal import Decimal

import pytest

from coursework.models import Term
from coursework.services.courses import course_copy
from grading.models import CourseAssessment

pytestmark = pytest.mark.django_db

NEXT_START = dt.date(2026, 8, 31)


def copy_of(cast):
    return course_copy(
        source=cast.course,
        code=cast.course.code,
        academic_year="2026-2027",
        term=Term.AUTUMN,
        start_date=NEXT_START,
        copied_by=cast.dept_admin,
    )


def test_the_copy_takes_the_sources_formula_as_its_own_row(cast):
    source = CourseAssessment.objects.create(
        course=cast.course,
        first_half_last_week=8,
        current_weight=Decimal("0.4"),
        admission_threshold=Decimal(60),
        admission_weight=Decimal("0.7"),
        exam_weight=Decimal("0.3"),
    )
    copy = copy_of(cast)
    copied = CourseAssessment.objects.get(course=copy)
    assert copied.pk != source.pk
    fields = ("uses_credit_formula", "first_half_last_week", "current_weight", "admission_threshold")
    assert [getattr(copied, name) for name in fields] == [True, 8, Decimal("0.4"), Decimal(60)]
    assert (copied.admission_weight, copied.exam_weight) == (Decimal("0.7"), Decimal("0.3"))
    assert CourseAssessment.objects.get(course=cast.course).pk == source.pk


def test_a_source_without_a_formula_of_its_own_gives_a_copy_without_one(cast):
    copy = copy_of(cast)
    assert not CourseAssessment.objects.filter(course=copy).exists()
