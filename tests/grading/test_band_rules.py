"""The holistic band offered: the lowest that the percentage, the originality and the timeliness allow."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from grading import scoring


def band(label, low, high, originality, timeliness):
    return SimpleNamespace(
        label=label,
        min_percent=Decimal(low),
        max_percent=Decimal(high),
        originality_min=None if originality is None else Decimal(originality),
        timeliness=timeliness,
    )


# The course document's table, as fixtures/essay_rubric.json keeps it.
SEED = [
    band("90-100", 90, 100, 80, "on_time"),
    band("70-89", 70, 89, 70, "on_time"),
    band("50-69", 50, 69, 60, "late"),
    band("<49", 0, 49, 40, ""),
    band("0", 0, 0, None, ""),
]


def offered(percent, originality=None, late=False):
    chosen, lowerings = scoring.offered_band(SEED, Decimal(percent), originality=originality, late=late)
    return chosen.label, [(item.band.label, item.condition) for item in lowerings]


def test_work_on_time_with_high_originality_keeps_the_band_its_percentage_earns():
    assert offered(95, originality=85) == ("90-100", [])
    assert offered(75, originality=70) == ("70-89", [])


def test_late_work_is_offered_the_first_band_that_takes_late_work():
    assert offered(95, originality=90, late=True) == ("50-69", [("90-100", "late"), ("70-89", "late")])


def test_late_work_with_originality_75_is_offered_50_to_69():
    assert offered(80, originality=75, late=True) == ("50-69", [("70-89", "late")])


def test_originality_below_a_bands_threshold_lowers_it_step_by_step():
    assert offered(92, originality=75) == ("70-89", [("90-100", "originality")])
    assert offered(92, originality=65) == ("50-69", [("90-100", "originality"), ("70-89", "originality")])


def test_originality_below_40_leads_to_the_band_of_zero():
    label, lowerings = offered(60, originality=35)
    assert label == "0"
    assert [condition for _band, condition in lowerings] == ["originality", "originality"]


def test_unknown_originality_lowers_nothing():
    assert offered(91) == ("90-100", [])


def test_the_threshold_asked_is_reported():
    _band, lowerings = scoring.offered_band(SEED, Decimal(92), originality=Decimal(75), late=False)
    assert lowerings[0].threshold == Decimal(80)


@pytest.mark.parametrize(("percent", "expected"), [("95", "69"), ("60", "60"), (None, None)])
def test_the_offered_band_caps_the_percentage(percent, expected):
    capped = scoring.capped_percent(None if percent is None else Decimal(percent), SEED[2])
    assert capped == (None if expected is None else Decimal(expected))
