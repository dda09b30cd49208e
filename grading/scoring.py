"""The arithmetic of grading, stated once.

Rules (the course document's numbers are kept, and these rules make them usable):
- A criterion's points are a percentage inside the chosen level's range.
- An edge value belongs to the higher level: with "good" 15–20 and "excellent" 20–25, 20 is excellent.
- The rubric sum is scaled to the task's maximum points: points = max × sum ÷ rubric maximum, rounded
  half up to 0.1. The rubric maximum is the sum of each criterion's highest level ceiling (125 for the
  seed's five criteria of 25%). The percentage is sum ÷ rubric maximum × 100, rounded to 0.01.
- A percentage earns the highest letter (or holistic band) whose lower bound it reaches, nothing rounded
  up; exactly 0 falls in a band that is exactly 0 when the scale has one.
- The holistic band offered is the lowest that the percentage, the originality and the timeliness allow: a band
  whose originality threshold the work does not reach, or that asks for work on time when it was late, gives
  way to the next band down (the thresholds are the band table's data). Originality below every threshold
  leads to the band of 0. The offered band caps the percentage at its upper bound.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")
HUNDRED = Decimal(100)


def criterion_maximum(levels):
    return max((level.max_percent for level in levels), default=Decimal(0))


def rubric_maximum(criteria_levels):
    """``criteria_levels``: one list of levels per criterion."""
    return sum((criterion_maximum(levels) for levels in criteria_levels), Decimal(0))


def level_for(levels, points):
    """The level whose range holds ``points``; on a shared edge, the higher one. None if outside every range."""
    for level in sorted(levels, key=lambda level: (level.max_percent, level.min_percent), reverse=True):
        if level.min_percent <= points <= level.max_percent:
            return level
    return None


def task_points(*, rubric_sum, rubric_max, max_points):
    if max_points is None or not rubric_max:
        return None
    return (Decimal(max_points) * Decimal(rubric_sum) / Decimal(rubric_max)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def share_of(max_points, percent):
    """``percent`` of the task's maximum points, rounded half up to 0.1."""
    if max_points is None or percent is None:
        return None
    return (Decimal(max_points) * Decimal(percent) / HUNDRED).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def percentage(*, part, whole):
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO_DECIMALS, ROUND_HALF_UP)


def band_for(bands, percent):
    """The holistic band (or any banded row with min_percent/max_percent) that ``percent`` falls in."""
    if percent is None:
        return None
    percent = Decimal(percent)
    if percent == 0:
        for band in bands:
            if band.min_percent == band.max_percent == 0:
                return band
    reached = [band for band in bands if band.min_percent <= percent and band.max_percent > 0]
    return max(reached, key=lambda band: band.min_percent, default=None)


def letter_for(letters, percent):
    if percent is None:
        return None
    reached = [letter for letter in letters if letter.min_percent <= Decimal(percent)]
    return max(reached, key=lambda letter: letter.min_percent, default=None)


def rubric_inconsistencies(criteria_levels):
    """What an editor of the rubric should know about it: maxima that do not add up to 100, shared edges,
    gaps and overlaps between levels. Returns (code, detail) pairs."""
    problems = []
    maximum = rubric_maximum(criteria_levels)
    if criteria_levels and maximum != HUNDRED:
        problems.append(("maximum", maximum))
    for index, levels in enumerate(criteria_levels):
        ordered = sorted(levels, key=lambda level: level.min_percent)
        for lower, upper in pairwise(ordered):
            if lower.max_percent == upper.min_percent:
                problems.append(("shared_edge", (index, upper.min_percent)))
            elif lower.max_percent > upper.min_percent:
                problems.append(("overlap", (index, upper.min_percent, lower.max_percent)))
            else:
                problems.append(("gap", (index, lower.max_percent, upper.min_percent)))
    return problems


ON_TIME = "on_time"  # grading.models.Timeliness.ON_TIME: the band asks for work handed in on time


@dataclass(frozen=True)
class Lowering:
    """Why a band was passed over: ``originality`` (with the threshold it asks) or ``late``."""

    band: object
    condition: str
    threshold: Decimal | None = None


def band_allows(band, *, originality, late):
    """Whether ``band``'s conditions hold; the reason it does not, else None. Unknown originality passes."""
    if band.originality_min is not None and originality is not None and Decimal(originality) < band.originality_min:
        return Lowering(band, "originality", band.originality_min)
    if band.timeliness == ON_TIME and late:
        return Lowering(band, "late")
    return None


def offered_band(bands, percent, *, originality=None, late=False):
    """The band the work is offered and the bands passed over on the way down (see the module's rules).

    Returns (band, [Lowering, …]); (None, []) when the percentage falls in no band.
    """
    earned = band_for(bands, percent)
    if earned is None:
        return None, []
    lower_first = sorted(bands, key=lambda band: (band.min_percent, band.max_percent))
    lowerings = []
    for band in reversed([band for band in lower_first if band.min_percent <= earned.min_percent]):
        reason = band_allows(band, originality=originality, late=late)
        if reason is None:
            return band, lowerings
        lowerings.append(reason)
    return lower_first[0], lowerings


# Work graded without holistic bands gets 0 below this originality, as the course document's table states.
ZERO_BELOW_WITHOUT_BANDS = Decimal(40)


def originality_zero_below(bands):
    """The originality under which work gets 0: the lowest threshold among the bands above 0 (the band table's
    data; 40% in the course document), or ZERO_BELOW_WITHOUT_BANDS without bands."""
    thresholds = [band.originality_min for band in bands if band.max_percent > 0 and band.originality_min is not None]
    return min(thresholds, default=ZERO_BELOW_WITHOUT_BANDS)


def capped_percent(percent, band):
    """The percentage a band allows: never above its upper bound."""
    if percent is None or band is None:
        return percent
    return min(Decimal(percent), band.max_percent)
