"""The stated rules: scaling to the task's maximum, edges to the higher level, bands and letters."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from grading import scoring


def band(low, high, name=""):
    return SimpleNamespace(min_percent=Decimal(low), max_percent=Decimal(high), name=name)


SEED_LEVELS = [band(20, 25, "excellent"), band(15, 20, "good"), band(10, 15, "satisfactory"), band(0, 10, "unsat")]
SEED_RUBRIC = [SEED_LEVELS] * 5


def test_the_seed_rubric_maximum_is_125():
    assert scoring.rubric_maximum(SEED_RUBRIC) == Decimal(125)


def test_full_marks_on_the_seed_rubric_give_the_tasks_maximum():
    assert scoring.task_points(rubric_sum=Decimal(125), rubric_max=Decimal(125), max_points=Decimal(22)) == Decimal(
        "22.0"
    )


@pytest.mark.parametrize(
    ("rubric_sum", "max_points", "points"),
    [
        ("100", "22", "17.6"),  # 22 × 100 ÷ 125
        ("87.5", "18", "12.6"),  # 12.6 exactly
        ("62.5", "22", "11.0"),
        ("1", "22", "0.2"),  # 0.176 rounds up to 0.2
        ("0", "22", "0.0"),
    ],
)
def test_points_are_the_sum_scaled_and_rounded_to_a_tenth(rubric_sum, max_points, points):
    result = scoring.task_points(
        rubric_sum=Decimal(rubric_sum), rubric_max=Decimal(125), max_points=Decimal(max_points)
    )
    assert result == Decimal(points)


def test_half_a_tenth_rounds_up():
    # 10 × 31.25 ÷ 125 = 2.5 → 2.5; 1 × 56.25 ÷ 125 = 0.45 → 0.5
    assert scoring.task_points(rubric_sum=Decimal("56.25"), rubric_max=Decimal(125), max_points=Decimal(1)) == Decimal(
        "0.5"
    )


def test_a_task_without_max_points_has_no_points_but_a_percentage():
    assert scoring.task_points(rubric_sum=Decimal(100), rubric_max=Decimal(125), max_points=None) is None
    assert scoring.percentage(part=Decimal(100), whole=Decimal(125)) == Decimal("80.00")


@pytest.mark.parametrize(
    ("points", "level"),
    [
        ("25", "excellent"),
        ("20", "excellent"),
        ("19.5", "good"),
        ("15", "good"),
        ("10", "satisfactory"),
        ("0", "unsat"),
    ],
)
def test_an_edge_value_belongs_to_the_higher_level(points, level):
    assert scoring.level_for(SEED_LEVELS, Decimal(points)).name == level


def test_points_outside_every_level_have_no_level():
    assert scoring.level_for(SEED_LEVELS, Decimal(26)) is None


BANDS = [band(90, 100, "90-100"), band(70, 89, "70-89"), band(50, 69, "50-69"), band(0, 49, "<49"), band(0, 0, "0")]


@pytest.mark.parametrize(
    ("percent", "name"),
    [
        ("100", "90-100"),
        ("90", "90-100"),
        ("89.99", "70-89"),
        ("70", "70-89"),
        ("69.5", "50-69"),
        ("50", "50-69"),
        ("49.5", "<49"),
        ("0.01", "<49"),
        ("0", "0"),
    ],
)
def test_holistic_bands_take_the_highest_band_reached(percent, name):
    assert scoring.band_for(BANDS, Decimal(percent)).name == name


LETTERS = [band(95, 100, "A"), band(90, 94, "A-"), band(50, 54, "D"), band(25, 49, "FX"), band(0, 24, "F")]


@pytest.mark.parametrize(("percent", "letter"), [("95", "A"), ("94.99", "A-"), ("50", "D"), ("49.5", "FX"), ("0", "F")])
def test_letters_are_earned_at_their_lower_bound_without_rounding_up(percent, letter):
    assert scoring.letter_for(LETTERS, Decimal(percent)).name == letter


def test_the_seed_rubrics_inconsistencies_are_named():
    problems = scoring.rubric_inconsistencies(SEED_RUBRIC)
    assert ("maximum", Decimal(125)) in problems
    assert sum(1 for code, _detail in problems if code == "shared_edge") == 15  # 3 shared edges × 5 criteria


def test_a_consistent_rubric_has_nothing_to_report():
    levels = [band(15, 20), band(10, 14.99), band(0, 9.99)]
    problems = scoring.rubric_inconsistencies([levels] * 5)
    assert [code for code, _detail in problems if code != "gap"] == []
