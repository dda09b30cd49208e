"""The letter scale: the national default from its fixture, a department's own scale checked and saved, and
going back to the national one.

A row is a dict with ``letter``, ``min_percent``, ``max_percent``, ``gpa`` and ``traditional``.
"""

from decimal import Decimal, InvalidOperation
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Department
from coursework.services.courses import FIXTURES, seed_read
from grading.models import LetterGrade, Traditional
from grading.selectors.grades import forget_letters
from grading.templatetags.grading_numbers import figure

ROW_FIELDS = ("letter", "min_percent", "max_percent", "gpa", "traditional")
LETTER_MAX_LENGTH = LetterGrade._meta.get_field("letter").max_length
HUNDRED = Decimal(100)
MAX_GPA = Decimal(4)
CENT = Decimal("0.01")

SINGLE_F = "single_f"


def national_rows():
    """The national scale (order No. 152 of 20 April 2011), highest letter first, as the fixture states it."""
    grades = seed_read(FIXTURES / "national_scale.json")["grades"]
    return [
        {
            "letter": grade["letter"],
            "min_percent": Decimal(grade["min"]),
            "max_percent": Decimal(grade["max"]),
            "gpa": Decimal(grade["gpa"]),
            "traditional": grade["traditional"],
        }
        for grade in grades
    ]


def single_f_rows():
    """The national scale without FX: one F covers 0–49 (as some universities keep it)."""
    rows = [row for row in national_rows() if row["letter"] != "FX"]
    failing = next(row for row in rows if row["letter"] == "F")
    failing["min_percent"], failing["max_percent"] = Decimal(0), Decimal(49)
    return rows


PRESETS = {SINGLE_F: single_f_rows}


def rows_of(letters):
    """LetterGrade objects as rows, highest letter first."""
    ordered = sorted(letters, key=lambda grade: grade.min_percent, reverse=True)
    return [{field: getattr(grade, field) for field in ROW_FIELDS} for grade in ordered]


def _number(value):
    """A bound or GPA as a Decimal; None when missing or not a number (reported as missing)."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _normalized(row):
    return {
        "letter": str(row.get("letter") or "").strip(),
        "min_percent": _number(row.get("min_percent")),
        "max_percent": _number(row.get("max_percent")),
        "gpa": _number(row.get("gpa")),
        "traditional": row.get("traditional"),
    }


def _label(row, number):
    """How a message names a row: "B (80–84)", or "Row 3" when it has no letter or bounds yet."""
    letter, low, high = row["letter"], row["min_percent"], row["max_percent"]
    if letter and low is not None and high is not None:
        return f"{letter} ({figure(low)}–{figure(high)})"
    if letter:
        return letter
    return _("Row %(number)s") % {"number": number}


def _is_whole(value):
    return value == value.to_integral_value()


def _row_errors(row, label):
    errors = []
    letter = row["letter"]
    if not letter:
        errors.append(_("%(row)s: the letter is empty.") % {"row": label})
    elif len(letter) > LETTER_MAX_LENGTH:
        errors.append(
            _("%(row)s: a letter has at most %(length)s characters.") % {"row": label, "length": LETTER_MAX_LENGTH}
        )
    low, high = row["min_percent"], row["max_percent"]
    if low is None or high is None:
        errors.append(_("%(row)s: fill in both “from %%” and “to %%”.") % {"row": label})
    else:
        for value in (low, high):
            if not _is_whole(value):
                errors.append(
                    _("%(row)s: bounds are whole percentages; %(value)s is not.")
                    % {"row": label, "value": figure(value)}
                )
        if not (0 <= low <= HUNDRED and 0 <= high <= HUNDRED):
            errors.append(_("%(row)s: bounds must lie between 0 and 100.") % {"row": label})
        if low > high:
            errors.append(
                _("%(row)s: “from %%” (%(low)s) is above “to %%” (%(high)s).")
                % {"row": label, "low": figure(low), "high": figure(high)}
            )
    gpa = row["gpa"]
    if gpa is None:
        errors.append(_("%(row)s: fill in the GPA points.") % {"row": label})
    elif not 0 <= gpa <= MAX_GPA:
        errors.append(_("%(row)s: GPA points are from 0 to 4, not %(gpa)s.") % {"row": label, "gpa": figure(gpa)})
    elif gpa != gpa.quantize(CENT):
        errors.append(
            _("%(row)s: GPA points have at most two decimals, not %(gpa)s.") % {"row": label, "gpa": figure(gpa)}
        )
    if row["traditional"] not in Traditional.values:
        errors.append(_("%(row)s: choose the traditional grade.") % {"row": label})
    return errors


def _duplicate_errors(labelled):
    by_letter = {}
    for row, label in labelled:
        letter = row["letter"]
        if letter:
            by_letter.setdefault(letter.casefold(), []).append((letter, label))
    return [
        _("The letter “%(letter)s” is used more than once: %(rows)s.")
        % {"letter": same[0][0], "rows": ", ".join(label for _letter, label in same)}
        for same in by_letter.values()
        if len(same) > 1
    ]


def _coverage_errors(ordered):
    """Sorted (row, label) pairs: from 0 to 100, each row starting one above the end of what came before."""
    errors = []
    first_row, first_label = ordered[0]
    if first_row["min_percent"] != 0:
        errors.append(_("The lowest row, %(row)s, must start at 0.") % {"row": first_label})
    # The row reaching highest so far: an overlap with a wide row is found even when narrower rows sit between.
    reach_row, reach_label = first_row, first_label
    for row, label in ordered[1:]:
        end = reach_row["max_percent"]
        if row["min_percent"] <= end:
            errors.append(_("%(lower)s overlaps %(upper)s.") % {"lower": reach_label, "upper": label})
        elif row["min_percent"] == end + 2:
            errors.append(
                _("Gap between %(lower)s and %(upper)s: %(missing)s is not covered.")
                % {"lower": reach_label, "upper": label, "missing": figure(end + 1)}
            )
        elif row["min_percent"] > end + 2:
            errors.append(
                _("Gap between %(lower)s and %(upper)s: %(first)s–%(last)s are not covered.")
                % {
                    "lower": reach_label,
                    "upper": label,
                    "first": figure(end + 1),
                    "last": figure(row["min_percent"] - 1),
                }
            )
        if row["max_percent"] > end:
            reach_row, reach_label = row, label
    if reach_row["max_percent"] != HUNDRED:
        errors.append(_("The highest row, %(row)s, must end at 100.") % {"row": reach_label})
    return errors


def _gpa_errors(ordered):
    return [
        _(
            "GPA points must not fall as the percentages rise: "
            "%(upper)s has %(upper_gpa)s, below %(lower)s with %(lower_gpa)s."
        )
        % {
            "upper": upper_label,
            "upper_gpa": figure(upper["gpa"]),
            "lower": lower_label,
            "lower_gpa": figure(lower["gpa"]),
        }
        for (lower, lower_label), (upper, upper_label) in pairwise(ordered)
        if upper["gpa"] < lower["gpa"]
    ]


def validate_scale(rows):
    """What is wrong with a letter scale, as messages naming the rows concerned; empty when it is valid.

    Rule: every row has a letter (unique, case aside), whole-number bounds with 0 ≤ from ≤ to ≤ 100, GPA
    points from 0 to 4 and a traditional grade. Sorted by "from", the rows start at 0, end at 100, and each
    starts exactly one above the previous row's end: no gaps, no overlaps. GPA points never fall as the
    bounds rise. Rows are numbered from 1 in the order given, for rows that cannot be named by their letter.
    """
    if not rows:
        return [_("The scale has no rows. Fill in at least one, or use the national scale.")]
    rows = [_normalized(row) for row in rows]
    labelled = [(row, _label(row, number)) for number, row in enumerate(rows, start=1)]
    errors = []
    for row, label in labelled:
        errors += _row_errors(row, label)
    errors += _duplicate_errors(labelled)
    bounded = all(
        row["min_percent"] is not None
        and row["max_percent"] is not None
        and _is_whole(row["min_percent"])
        and _is_whole(row["max_percent"])
        and 0 <= row["min_percent"] <= row["max_percent"] <= HUNDRED
        for row in rows
    )
    # Gaps and order are only worth saying once every row's own bounds make sense.
    if bounded:
        ordered = sorted(labelled, key=lambda pair: (pair[0]["min_percent"], pair[0]["max_percent"]))
        errors += _coverage_errors(ordered)
        if all(row["gpa"] is not None for row in rows):
            errors += _gpa_errors(ordered)
    return errors


@transaction.atomic
def letter_scale_save(*, department, rows):
    """Replace a department's own letter scale with ``rows``; the national default is never touched here.

    Rule: the rows must pass validate_scale (a complete 0–100 scale without gaps or overlaps, unique
    letters, GPA points 0–4 that never fall as the bounds rise); otherwise ValidationError carries every
    message and nothing is saved. All or nothing: the old rows go and the new ones come in one transaction.
    """
    if department is None:
        raise ValueError("letter_scale_save needs a department; the national default is loaded from its fixture.")
    errors = validate_scale(rows)
    if errors:
        raise ValidationError(errors)
    # Two admins saving at once: the second waits for the first instead of colliding on the unique letters.
    Department.objects.select_for_update().get(pk=department.pk)
    LetterGrade.objects.filter(department=department).delete()
    forget_letters(department)
    return LetterGrade.objects.bulk_create(LetterGrade(department=department, **row) for row in map(_normalized, rows))


@transaction.atomic
def letter_scale_reset(*, department):
    """Delete a department's own letter scale, so that its grades follow the national default again.

    Returns how many rows were deleted (0 when the department already used the national scale).
    """
    if department is None:
        raise ValueError("letter_scale_reset needs a department; the national default is not deleted here.")
    deleted, _by_model = LetterGrade.objects.filter(department=department).delete()
    forget_letters(department)
    return deleted


@transaction.atomic
def letter_scale_ensure(*, department=None):
    """The national letter scale (order No. 152 of 20 April 2011), as the default or a department's copy."""
    if LetterGrade.objects.filter(department=department).exists():
        return list(LetterGrade.objects.filter(department=department))
    forget_letters(department)
    return LetterGrade.objects.bulk_create(LetterGrade(department=department, **row) for row in national_rows())
