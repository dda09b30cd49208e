"""One student's row of the gradebook: the cells, and how they roll up into totals, ratings and a letter.

Rules, stated once (``grading.selectors.gradebook`` builds the rows and applies them):
- A cell holds the grade of the student's latest handed-in version. Only released grades count; staff also
  see draft grades, marked and not counted. A cell is *waiting* while its work is handed in and has no released
  grade (not graded yet, or graded as a draft).
- A task with maximum points shows points; a task without them (max_points None) shows the grade's
  percentage. Only tasks with maximum points count in the total, in ТК and so in the letter.
- Total = the released points of the tasks with maximum points; percentage = total ÷ the sum of those maxima
  × 100, rounded to 0.01.
- With the credit formula: ТК1 and ТК2 are the percentages of each rating period's tasks that are already due
  (or graded) — a period with none yet has no ТК. A task belongs to the period its instructor chose, else to
  the one its due week falls in (``Task.in_first_period``). Р = w × ТК + (1 − w) × РК; РД = (Р1 + Р2) ÷ 2;
  admitted when РД reaches the threshold; final = admission weight × РД + exam weight × exam.
- The letter: of the final grade with the credit formula, of the percentage without it. Before the final
  grade exists the letter is provisional, taken from everything that counts so far: the mean over the rating
  periods that have begun of the period's Р, or of its ТК alone while its РК is not entered yet (a РК entered
  before any task of its period is due counts alone). A student not admitted to the exam has no letter.
- No letter at all, provisional or final, while any of the student's handed-in work is waiting: a letter
  that ignores work not graded yet would be wrong the moment it is graded.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coursework.models import Enrollment
from grading import scoring
from grading.models import ControlKind

TWO = Decimal("0.01")
ZERO = Decimal(0)

# The credit formula's columns. Kazakh and Russian readers keep the course document's ТК, РК, Р, РД; English
# readers get English abbreviations, the Kazakh ones beside them in the legend and the columns' titles.
LABELS = {
    "tk1": pgettext_lazy("credit formula", "CA1"),
    "rk1": pgettext_lazy("credit formula", "MT1"),
    "r1": pgettext_lazy("credit formula", "R1"),
    "tk2": pgettext_lazy("credit formula", "CA2"),
    "rk2": pgettext_lazy("credit formula", "MT2"),
    "r2": pgettext_lazy("credit formula", "R2"),
    "rd": pgettext_lazy("credit formula", "AR"),
    "exam": _("Exam"),
}
TITLES = {
    "tk1": _("Current assessment, rating period 1 (ТК1)"),
    "rk1": _("Midterm control 1 (РК1)"),
    "r1": _("Rating of period 1 (Р1)"),
    "tk2": _("Current assessment, rating period 2 (ТК2)"),
    "rk2": _("Midterm control 2 (РК2)"),
    "r2": _("Rating of period 2 (Р2)"),
    "rd": _("Admission rating (РД)"),
    "exam": _("Exam"),
}


def control_labels():
    """(kind, label) of the scores an instructor enters: РК1, РК2 and the exam, in the reader's language."""
    return [(kind, LABELS[kind]) for kind in ControlKind.values]


def q2(value):
    return None if value is None else Decimal(value).quantize(TWO, ROUND_HALF_UP)


@dataclass
class Cell:
    points: Decimal | None = None
    percent: Decimal | None = None
    draft: bool = False
    released: bool = False
    late: bool = False
    missing: bool = False
    submitted: bool = False
    submission_id: int | None = None
    value: Decimal | None = None  # what the column shows: see ``show``
    in_percent: bool = False  # ``value`` is a percentage, not points
    url: str = ""  # the page a reader of the gradebook opens from this cell

    def show(self, task):
        """Set the figure the column shows (``shown``)."""
        self.value, self.in_percent = shown(self.points, self.percent, task.max_points)

    @property
    def waiting(self):
        """Handed in, and no released grade yet (a draft waits too)."""
        return self.submitted and not self.released


@dataclass
class Row:
    enrollment: Enrollment
    cells: list
    total: Decimal = Decimal(0)
    percent: Decimal | None = None
    controls: dict = field(default_factory=dict)
    tk1: Decimal | None = None
    tk2: Decimal | None = None
    r1: Decimal | None = None
    r2: Decimal | None = None
    rd: Decimal | None = None
    admitted: bool | None = None
    final: Decimal | None = None
    letter: object = None
    provisional: bool = False  # the letter of what counts so far, before there is a final grade
    waiting: int = 0  # handed-in works with no released grade: while there are any, no letter

    @property
    def student(self):
        return self.enrollment.student

    @property
    def group(self):
        return self.enrollment.academic_group


def _so_far(row, weight):
    """The provisional figure: the mean of each begun period's Р, or of its ТК (or РК) alone while the other is
    missing; None before anything counts."""
    parts = []
    periods = ((row.tk1, row.controls.get(ControlKind.RK1)), (row.tk2, row.controls.get(ControlKind.RK2)))
    for current, control in periods:
        if current is not None and control is not None:
            parts.append(weight * current + (1 - weight) * control)
        elif current is not None or control is not None:
            parts.append(current if current is not None else control)
    return q2(sum(parts) / len(parts)) if parts else None


@dataclass(frozen=True)
class Scheme:
    """What a class's rows roll up by, worked out once per class rather than once per row: per task its maximum
    points (None: outside the total and ТК) and whether it belongs to the first rating period
    (``Task.in_first_period``), the sum of the maxima, and the grading formula."""

    maxima: tuple
    halves: tuple
    max_total: Decimal
    assessment: object

    @classmethod
    def of(cls, tasks, assessment):
        maxima = tuple(task.max_points for task in tasks)
        return cls(
            maxima=maxima,
            halves=tuple(task.in_first_period(assessment.first_half_last_week) for task in tasks),
            max_total=sum((maximum for maximum in maxima if maximum is not None), Decimal(0)),
            assessment=assessment,
        )


class Ratings(NamedTuple):
    total: Decimal
    percent: Decimal | None
    tk1: Decimal | None
    tk2: Decimal | None
    r1: Decimal | None
    r2: Decimal | None
    rd: Decimal | None
    admitted: bool | None
    final: Decimal | None


def shown(points, percent, max_points):
    """(the figure a task's column shows, whether it is a percentage): points for a task with maximum points,
    else the percentage; the percentage too when a grade has no points."""
    if percent is not None and (max_points is None or points is None):
        return percent, True
    return points, False


def ratings(scheme, earned, counted, controls):
    """One student's total, percentage and credit-formula ratings (see the module's rules): the only place they
    are computed, for a full row (``roll_up``) and for the order of a whole class alike.

    ``earned``: per task, the released points (None: nothing released, or no points); ``counted``: per task,
    whether it is due (or graded) and so counts in its period's ТК; ``controls``: {kind: score}.
    """
    total = points1 = maximum1 = points2 = maximum2 = ZERO  # the total, and ТК1's and ТК2's sums
    for points, maximum, first, due in zip(earned, scheme.maxima, scheme.halves, counted, strict=True):
        if maximum is None:
            continue
        points = ZERO if points is None else points
        total += points
        if due and first:
            points1 += points
            maximum1 += maximum
        elif due:
            points2 += points
            maximum2 += maximum
    percent = q2(total * 100 / scheme.max_total) if scheme.max_total else None
    assessment = scheme.assessment
    if not assessment.uses_credit_formula:
        return Ratings(total, percent, None, None, None, None, None, None, None)
    weight = assessment.current_weight
    tk1 = q2(points1 * 100 / maximum1) if maximum1 else None
    tk2 = q2(points2 * 100 / maximum2) if maximum2 else None
    rk1, rk2, exam = (controls.get(kind) for kind in (ControlKind.RK1, ControlKind.RK2, ControlKind.EXAM))
    r1 = q2(weight * tk1 + (1 - weight) * rk1) if tk1 is not None and rk1 is not None else None
    r2 = q2(weight * tk2 + (1 - weight) * rk2) if tk2 is not None and rk2 is not None else None
    rd = admitted = final = None
    if r1 is not None and r2 is not None:
        rd = q2((r1 + r2) / 2)
        admitted = rd >= assessment.admission_threshold
    if rd is not None and exam is not None and admitted:
        final = q2(assessment.admission_weight * rd + assessment.exam_weight * exam)
    return Ratings(total, percent, tk1, tk2, r1, r2, rd, admitted, final)


def roll_up(row, scheme, counted, letters):
    """Fill in a row's total, percentage, ratings and letter from its cells and controls (see the module's rules).

    ``counted``: per task, whether it is due (or graded) and so counts in its period's ТК.
    """
    earned = [cell.points if cell.released else None for cell in row.cells]
    figures = ratings(scheme, earned, counted, row.controls)
    row.total, row.percent, row.tk1, row.tk2, row.r1, row.r2, row.rd, row.admitted, row.final = figures
    row.waiting = sum(1 for cell in row.cells if cell.waiting)
    decisive = row.percent
    if scheme.assessment.uses_credit_formula:
        decisive = row.final
        if decisive is None and row.admitted is not False:
            decisive = _so_far(row, scheme.assessment.current_weight)
            row.provisional = decisive is not None
    if row.waiting:
        row.provisional = False
        return
    row.letter = scoring.letter_for(letters, decisive)
