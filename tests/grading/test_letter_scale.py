"""The department's letter scale (grading/services/letter_scale.py): the rule that checks a scale, and its effect on
grading. The editor page is in test_letter_scale_views.py."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from grading import scoring
from grading.selectors.grades import letters_for
from grading.services.letter_scale import (
    letter_scale_save,
    national_rows,
    single_f_rows,
    validate_scale,
)
from tests.grading.conftest import letter_counts, replaced, without

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are compared as written in English (the fixture's Kazakh is only a language switch away)."""
    with translation.override("en"):
        yield


def row(letter, low, high, gpa, traditional="satisfactory"):
    return {
        "letter": letter,
        "min_percent": Decimal(low),
        "max_percent": Decimal(high),
        "gpa": Decimal(gpa),
        "traditional": traditional,
    }


# The rule -------------------------------------------------------------------------------------


def test_the_national_scale_is_valid():
    assert validate_scale(national_rows()) == []


def test_the_single_f_variant_is_valid_and_has_no_fx():
    rows = single_f_rows()
    assert validate_scale(rows) == []
    assert [each["letter"] for each in rows][-2:] == ["D", "F"]
    assert (rows[-1]["min_percent"], rows[-1]["max_percent"]) == (0, 49)


def test_a_gap_names_both_rows_and_the_uncovered_percentage():
    rows = replaced(without(national_rows(), "D+"), "C-", min_percent=Decimal(56))
    assert validate_scale(rows) == ["Gap between D (50–54) and C- (56–64): 55 is not covered."]


def test_a_wider_gap_names_the_uncovered_range():
    rows = replaced(without(national_rows(), "D+"), "C-", min_percent=Decimal(58))
    assert validate_scale(rows) == ["Gap between D (50–54) and C- (58–64): 55–57 are not covered."]


def test_an_overlap_names_both_rows():
    rows = replaced(national_rows(), "B", max_percent=Decimal(85))
    assert validate_scale(rows) == ["B (80–85) overlaps B+ (85–89)."]


def test_an_overlap_with_a_wide_row_is_found_past_the_rows_between():
    rows = replaced(national_rows(), "D", max_percent=Decimal(64))
    assert "D (50–64) overlaps D+ (55–59)." in validate_scale(rows)
    assert "D (50–64) overlaps C- (60–64)." in validate_scale(rows)


def test_a_scale_must_reach_100():
    rows = replaced(national_rows(), "A", max_percent=Decimal(99))
    assert validate_scale(rows) == ["The highest row, A (95–99), must end at 100."]


def test_a_scale_must_start_at_0():
    rows = replaced(national_rows(), "F", min_percent=Decimal(1))
    assert validate_scale(rows) == ["The lowest row, F (1–24), must start at 0."]


def test_letters_are_unique_whatever_their_case():
    rows = replaced(national_rows(), "B-", letter="b")
    assert validate_scale(rows) == ["The letter “B” is used more than once: B (80–84), b (75–79)."]


def test_gpa_points_must_not_fall_as_the_bounds_rise():
    rows = replaced(national_rows(), "C+", gpa=Decimal("1.5"))
    assert validate_scale(rows) == [
        "GPA points must not fall as the percentages rise: C+ (70–74) has 1.5, below C (65–69) with 2.",
    ]


def test_each_row_is_checked_on_its_own():
    rows = [
        row("", 0, 49, "0", "unsatisfactory"),
        row("D", "50.5", 59, "1"),
        row("C", 60, 101, "4.5"),
        {**row("A", 90, 80, "4", ""), "traditional": "perfect"},
    ]
    assert validate_scale(rows) == [
        "Row 1: the letter is empty.",
        "D (50.5–59): bounds are whole percentages; 50.5 is not.",
        "C (60–101): bounds must lie between 0 and 100.",
        "C (60–101): GPA points are from 0 to 4, not 4.5.",
        "A (90–80): “from %” (90) is above “to %” (80).",
        "A (90–80): choose the traditional grade.",
    ]


def test_an_empty_scale_is_refused():
    assert validate_scale([]) == ["The scale has no rows. Fill in at least one, or use the national scale."]


def test_an_invalid_scale_is_not_saved(cast, national):
    rows = replaced(national_rows(), "A", max_percent=Decimal(99))
    with pytest.raises(ValidationError, match="must end at 100"):
        letter_scale_save(department=cast.department, rows=rows)
    assert letter_counts() == (12, 0)


def test_the_national_default_is_never_replaced_through_the_editors_service(national):
    with pytest.raises(ValueError):
        letter_scale_save(department=None, rows=single_f_rows())
    assert letter_counts() == (12, 0)


# The effect on grading ------------------------------------------------------------------------


def test_40_percent_is_fx_nationally_and_f_with_a_single_f(cast, national):
    assert scoring.letter_for(letters_for(cast.department), 40).letter == "FX"
    letter_scale_save(department=cast.department, rows=single_f_rows())
    assert scoring.letter_for(letters_for(cast.department), 40).letter == "F"
    assert scoring.letter_for(letters_for(cast.other_department), 40).letter == "FX"
