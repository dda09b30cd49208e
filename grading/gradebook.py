"""The course gradebook: every student's standing, computed once for the page and every export.

Rules, stated once:
- A cell holds the grade of the student's latest submitted version. Only released grades count in
  totals; staff also see draft grades, marked and not counted.
- A task whose due moment has passed with nothing handed in is "missing" and counts 0; before its
  due moment it is simply empty (and also counts 0 in the total, which runs over every task).
- Total = the points of the tasks that have maximum points; percentage = total ÷ the sum of those
  maxima × 100 (62 for the seed course), rounded to 0.01.
- With the credit formula: ТК1 and ТК2 are the percentages of each rating period's tasks that are
  already due (or graded) — a period with none yet has no ТК;
  Р = w × ТК + (1 − w) × РК; РД = (Р1 + Р2) ÷ 2; admitted when РД reaches the threshold; final =
  admission weight × РД + exam weight × exam. The final (or, without the formula, the percentage)
  takes the letter whose lower bound it reaches. Before the exam the letter of the percentage over the
  tasks due so far is shown as provisional; a student not admitted to the exam has no letter.
"""

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.i18n import kazakh_sort_key
from coursework.models import Enrollment, Extension
from grading import scoring
from grading.models import ControlKind, ControlScore, CourseAssessment, Grade
from grading.services import letters_for
from portfolio.models import Version

TWO = Decimal("0.01")
ONE = Decimal("0.1")
BINS = 10  # the distribution chart: ten bins of ten percent


def _q2(value):
    return None if value is None else Decimal(value).quantize(TWO, ROUND_HALF_UP)


@dataclass
class Cell:
    points: Decimal | None = None
    percent: Decimal | None = None
    draft: bool = False
    late: bool = False
    missing: bool = False
    submitted: bool = False
    submission_id: int | None = None

    @property
    def counted_points(self):
        """What the cell adds to the total: released points, or 0."""
        return self.points if (self.points is not None and not self.draft) else Decimal(0)


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
    provisional: bool = False  # the letter of the current percentage, before there is a final grade

    @property
    def student(self):
        return self.enrollment.student

    @property
    def group(self):
        return self.enrollment.academic_group


@dataclass
class TaskStats:
    submitted: int = 0
    graded: int = 0
    mean: Decimal | None = None
    median: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    bins: list = field(default_factory=lambda: [0] * BINS)


@dataclass
class Gradebook:
    course: object
    assessment: CourseAssessment
    assignments: list
    rows: list
    stats: list
    groups: list
    max_total: Decimal
    letters: list
    page_count: int = 1
    page: int = 1
    student_count: int = 0


def assessment_for(course):
    assessment = getattr(course, "_assessment_cache", None)
    if assessment is None:
        assessment = CourseAssessment.objects.filter(course=course).first() or CourseAssessment(course=course)
    return assessment


def build_gradebook(course, *, include_drafts, group=None, student=None, sort="name", page=1, per_page=None, now=None):
    """The gradebook of a course, in a fixed number of queries whatever the size of the class.

    ``include_drafts``: staff see draft grades (marked, not counted). ``student``: one student's row only.
    ``per_page``: rows per page (None: all). Sorting is done on the whole class before paging.
    """
    now = now or timezone.now()
    assessment = assessment_for(course)
    assignments = list(course.assignments.select_related("course").order_by("position", "due_week", "pk"))
    for task in assignments:
        task.sort_key = f"task-{task.pk}"
    enrollments = Enrollment.objects.filter(course=course).select_related("student")
    if group:
        enrollments = enrollments.filter(academic_group=group)
    if student is not None:
        enrollments = enrollments.filter(student=student)
    enrollments = list(enrollments)
    groups = sorted(
        set(Enrollment.objects.filter(course=course).values_list("academic_group", flat=True)), key=kazakh_sort_key
    )
    student_ids = [enrollment.student_id for enrollment in enrollments]

    cells_by_key = _cells(course, student_ids, include_drafts)
    extensions = {
        (ext.assignment_id, ext.student_id): ext.due_at
        for ext in Extension.objects.filter(assignment__course=course, student_id__in=student_ids)
    }
    controls = {}
    for control in ControlScore.objects.filter(course=course, student_id__in=student_ids):
        controls.setdefault(control.student_id, {})[control.kind] = control.score
    letters = letters_for(course.department)
    max_total = sum((task.max_points for task in assignments if task.max_points is not None), Decimal(0))
    halves = [task.due_week <= assessment.first_half_last_week for task in assignments]

    rows = []
    for enrollment in enrollments:
        cells = []
        for task in assignments:
            cell = cells_by_key.get((task.pk, enrollment.student_id)) or Cell()
            due = extensions.get((task.pk, enrollment.student_id), task.due_at)
            if not cell.submitted and now > due:
                cell.missing = True
            cells.append(cell)
        row = Row(enrollment=enrollment, cells=cells, controls=controls.get(enrollment.student_id, {}))
        counted = [
            now > extensions.get((task.pk, enrollment.student_id), task.due_at) or cell.points is not None
            for task, cell in zip(assignments, cells, strict=True)
        ]
        _roll_up(row, assignments, halves, counted, max_total, assessment, letters)
        rows.append(row)

    rows = sort_rows(rows, sort, assignments)
    stats = _stats(assignments, rows)
    student_count = len(rows)
    page_count = 1
    if per_page:
        page_count = max(1, -(-len(rows) // per_page))
        page = min(max(1, page), page_count)
        rows = rows[(page - 1) * per_page : page * per_page]
    return Gradebook(
        course=course,
        assessment=assessment,
        assignments=assignments,
        rows=rows,
        stats=stats,
        groups=groups,
        max_total=max_total,
        letters=letters,
        page_count=page_count,
        page=page,
        student_count=student_count,
    )


def _cells(course, student_ids, include_drafts):
    """One query: each student's latest submitted version per task, with its grade."""
    newest = (
        Version.objects.filter(submission=OuterRef("submission"), state=Version.State.SUBMITTED)
        .order_by("-number")
        .values("pk")[:1]
    )
    rows = Version.objects.filter(
        submission__assignment__course=course,
        submission__student_id__in=student_ids,
        state=Version.State.SUBMITTED,
        pk=Subquery(newest),
    ).values_list(
        "submission__assignment_id",
        "submission__student_id",
        "submission_id",
        "is_late",
        "grade__points",
        "grade__percent",
        "grade__state",
    )
    cells = {}
    for task_id, student_id, submission_id, late, points, percent, state in rows:
        draft = state == Grade.State.DRAFT
        if draft and not include_drafts:
            points = percent = None
            draft = False
        cells[(task_id, student_id)] = Cell(
            points=points,
            percent=percent,
            draft=draft,
            late=late,
            submitted=True,
            submission_id=submission_id,
        )
    return cells


def _part_percent(cells, assignments, selected):
    points = Decimal(0)
    maximum = Decimal(0)
    for cell, task, chosen in zip(cells, assignments, selected, strict=True):
        if chosen and task.max_points is not None:
            points += cell.counted_points
            maximum += task.max_points
    return _q2(points * 100 / maximum) if maximum else None


def _roll_up(row, assignments, halves, counted, max_total, assessment, letters):
    row.total = sum(
        (cell.counted_points for cell, task in zip(row.cells, assignments, strict=True) if task.max_points is not None),
        Decimal(0),
    )
    row.percent = _q2(row.total * 100 / max_total) if max_total else None
    decisive = row.percent
    if assessment.uses_credit_formula:
        weight = assessment.current_weight
        row.tk1 = _part_percent(row.cells, assignments, [h and c for h, c in zip(halves, counted, strict=True)])
        row.tk2 = _part_percent(row.cells, assignments, [not h and c for h, c in zip(halves, counted, strict=True)])
        rk1 = row.controls.get(ControlKind.RK1)
        rk2 = row.controls.get(ControlKind.RK2)
        if row.tk1 is not None and rk1 is not None:
            row.r1 = _q2(weight * row.tk1 + (1 - weight) * rk1)
        if row.tk2 is not None and rk2 is not None:
            row.r2 = _q2(weight * row.tk2 + (1 - weight) * rk2)
        if row.r1 is not None and row.r2 is not None:
            row.rd = _q2((row.r1 + row.r2) / 2)
            row.admitted = row.rd >= assessment.admission_threshold
        exam = row.controls.get(ControlKind.EXAM)
        if row.rd is not None and exam is not None and row.admitted:
            row.final = _q2(assessment.admission_weight * row.rd + assessment.exam_weight * exam)
        decisive = row.final
        if decisive is None and row.admitted is not False:
            decisive, row.provisional = _part_percent(row.cells, assignments, counted), True
    row.letter = scoring.letter_for(letters, decisive)


def _stats(assignments, rows):
    stats = []
    for index, task in enumerate(assignments):
        item = TaskStats()
        values = []
        for row in rows:
            cell = row.cells[index]
            if cell.submitted:
                item.submitted += 1
            value = cell.points if task.max_points is not None else cell.percent
            if value is not None and not cell.draft:
                item.graded += 1
                values.append(value)
                share = cell.percent if cell.percent is not None else Decimal(0)
                item.bins[min(int(share // 10), BINS - 1)] += 1
        if values:
            item.mean = _q2(sum(values) / len(values))
            item.median = _q2(statistics.median(values))
            item.minimum = min(values)
            item.maximum = max(values)
        stats.append(item)
    return stats


SORTABLE = {"total", "percent", "final", "rd", "group"}


def sort_rows(rows, sort, assignments):
    """Sort by name (Kazakh alphabet), group, total, percent, РД, final, or a task's column ("task-<id>")."""
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    rows = sorted(rows, key=lambda row: kazakh_sort_key(row.student.full_name or row.student.username))
    if key == "group":
        return sorted(rows, key=lambda row: kazakh_sort_key(row.group), reverse=reverse)
    if key in SORTABLE:
        present = [row for row in rows if getattr(row, key) is not None]
        absent = [row for row in rows if getattr(row, key) is None]
        return sorted(present, key=lambda row: getattr(row, key), reverse=reverse) + absent
    if key.startswith("task-"):
        ids = [task.pk for task in assignments]
        try:
            index = ids.index(int(key[5:]))
        except ValueError:
            return rows
        present = [row for row in rows if row.cells[index].points is not None]
        absent = [row for row in rows if row.cells[index].points is None]
        return sorted(present, key=lambda row: row.cells[index].points, reverse=reverse) + absent
    return list(reversed(rows)) if reverse else rows
