"""The holistic band offered: the lowest that the percentage, the originality and the timeliness allow."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grading import scoring
from grading.documents.feedback import feedback_pdf_bytes
from tests.grading.conftest import FEEDBACK_PICKS, FULL_MARKS, LATE, grade_of, hand_in, scores_for, text_of


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


# The rule applied when a grade is saved ------------------------------------------------------------------------


@pytest.mark.django_db
class TestTheRuleOnSave:
    def test_late_work_is_capped_at_the_offered_band_without_a_reason(self, cast, essay):
        version = hand_in(essay, cast.student, moment=LATE)
        grade = grade_of(version, grader=cast.instructor, scores=scores_for(essay.rubric, FEEDBACK_PICKS))
        # 71.6% earns 70–89, which asks for work on time: late work is offered 50–69, capped at 69% of 20 points.
        assert (grade.percent, grade.points, grade.band_kept_reason) == (Decimal(69), Decimal("13.8"), "")

    def test_the_grader_keeps_the_higher_band_with_a_reason_and_the_history_records_it(self, cast, essay):
        version = hand_in(essay, cast.student, moment=LATE)
        reason = "Кешігу дәлелді себеппен."
        grade = grade_of(
            version,
            grader=cast.instructor,
            scores=scores_for(essay.rubric, FEEDBACK_PICKS),
            band_kept_reason=f"  {reason} ",
        )
        assert (grade.percent, grade.points, grade.band_kept_reason) == (Decimal("71.6"), Decimal("14.3"), reason)
        assert grade.changes.get().after["band_kept_reason"] == reason

    def test_originality_below_a_threshold_lowers_work_handed_in_on_time(self, cast, essay):
        version = hand_in(essay, cast.student)
        grade = grade_of(
            version,
            grader=cast.instructor,
            scores=scores_for(essay.rubric, FULL_MARKS),
            originality_percent=Decimal(75),
        )
        # 100% earns 90–100, which asks for originality of 80%: offered 70–89, capped at 89% → 17.8 of 20.
        assert (grade.percent, grade.points) == (Decimal(89), Decimal("17.8"))

    def test_a_reason_is_dropped_when_no_band_was_lowered(self, cast, essay):
        version = hand_in(essay, cast.student)
        grade = grade_of(
            version, grader=cast.instructor, scores=scores_for(essay.rubric, FULL_MARKS), band_kept_reason="—"
        )
        assert (grade.percent, grade.band_kept_reason) == (Decimal(100), "")

    def test_the_grading_page_carries_the_rule_for_the_live_summary(self, login, cast, essay):
        version = hand_in(essay, cast.student, moment=LATE)
        html = login(cast.instructor).get(reverse("grading:grade", args=[version.submission_id])).content.decode()
        assert 'id="band-rule"' in html and 'name="band_kept_reason"' in html
        assert '"late": true' in html and '"onTime": true' in html and '"originalityMin": "80.00"' in html

    def test_the_feedback_pdf_shows_the_reason(self, cast, released):
        text = text_of(feedback_pdf_bytes(released, language="en"))
        assert "The grader kept the band the percentage earns" in " ".join(text.split())


def test_the_originality_for_zero_is_the_band_tables_lowest_threshold():
    assert scoring.originality_zero_below(SEED) == Decimal(40)
    stricter = [*SEED[:3], band("<49", 0, 49, 50, ""), SEED[4]]
    assert scoring.originality_zero_below(stricter) == Decimal(50)
    assert scoring.originality_zero_below([]) == scoring.ZERO_BELOW_WITHOUT_BANDS


@pytest.mark.django_db
def test_a_stricter_band_table_asks_to_confirm_the_zero_at_its_own_threshold(cast, essay):
    essay.rubric.holistic_scale.bands.filter(min_percent=0, max_percent=49).update(originality_min=50)
    version = hand_in(essay, cast.student)
    with pytest.raises(ValidationError) as refused:
        grade_of(
            version,
            grader=cast.instructor,
            scores=scores_for(essay.rubric, FULL_MARKS),
            originality_percent=Decimal(45),
        )
    assert refused.value.error_list[0].code == "confirm_zero" and "50%" in refused.value.messages[0]
