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

import hashlib
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Avg, Count, Max, Min, Q
from django.utils import timezone

from accounts.i18n import kazakh_sort_key
from coursework.models import Course, Enrollment, Extension
from grading import scoring
from grading.models import ControlKind, ControlScore, CourseAssessment, Grade, GradebookLock
from grading.selectors.grades import letters_for
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
    grade_url: str = ""

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
    tasks: list
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


def active_lock(course, now=None):
    """The lock in force on a course at ``now``, if any."""
    now = now or timezone.now()
    for lock in GradebookLock.objects.filter(course=course, starts_at__lte=now).order_by("-starts_at"):
        if lock.is_active(now):
            return lock
    return None


NAME_SORTS = {"name", "-name", "group", "-group"}


def build_gradebook(course, *, include_drafts, group=None, student=None, sort="name", page=1, per_page=None, now=None):
    """The gradebook of a course, in a fixed number of queries whatever the size of the class.

    ``include_drafts``: staff see draft grades (marked, not counted). ``student``: one student's row only.
    ``per_page``: rows per page (None: all). Sorting is done on the whole class before paging. When the
    order needs no computed figure (name or group), only the page's students are read cell by cell, and
    each task's statistics come from the database's aggregates: a page of a 4,000-student course costs
    what a page of a 100-student one does.
    """
    now = now or timezone.now()
    assessment = assessment_for(course)
    tasks = list(course.tasks.select_related("course").order_by("position", "due_week", "pk"))
    for task in tasks:
        task.sort_key = f"task-{task.pk}"
        task.due_moment = task.due_at  # computed once, not once per cell
    enrollments = Enrollment.objects.filter(course=course)
    if group:
        enrollments = enrollments.filter(academic_group=group)
    if student is not None:
        enrollments = enrollments.filter(student=student)
    groups = sorted(
        set(Enrollment.objects.filter(course=course).values_list("academic_group", flat=True)), key=kazakh_sort_key
    )
    letters = letters_for(course.department)
    max_total = sum((task.max_points for task in tasks if task.max_points is not None), Decimal(0))

    paged_early = bool(per_page) and sort in NAME_SORTS and student is None
    if paged_early:
        # Order the roster from plain tuples, then load full rows for this page only.
        roster = list(
            enrollments.values_list(
                "pk",
                "academic_group",
                "student__last_name",
                "student__first_name",
                "student__middle_name",
                "student__username",
            )
        )
        student_count = len(roster)
        page_count = max(1, -(-student_count // per_page))
        page = min(max(1, page), page_count)
        ids = [entry[0] for entry in _sort_roster(roster, sort)[(page - 1) * per_page : page * per_page]]
        loaded = Enrollment.objects.select_related("student").in_bulk(ids)
        enrollments = [loaded[pk] for pk in ids]
    else:
        enrollments = list(enrollments.select_related("student"))
        student_count = len(enrollments)
        page_count = max(1, -(-student_count // per_page)) if per_page else 1
        page = min(max(1, page), page_count)
    rows = _rows(course, enrollments, tasks, assessment, letters, max_total, include_drafts, now)
    if paged_early:
        stats = _cached_stats(course, tasks, group)
    else:
        rows = sort_rows(rows, sort, tasks)
        stats = _stats(tasks, rows)
        if per_page:
            rows = rows[(page - 1) * per_page : page * per_page]
    return Gradebook(
        course=course,
        assessment=assessment,
        tasks=tasks,
        rows=rows,
        stats=stats,
        groups=groups,
        max_total=max_total,
        letters=letters,
        page_count=page_count,
        page=page,
        student_count=student_count,
    )


def _sort_roster(roster, sort):
    """(pk, group, last, first, middle, username) tuples in the same order as ``sort_rows`` gives."""

    def name(entry):
        return kazakh_sort_key(" ".join(part for part in entry[2:5] if part) or entry[5])

    by_name = sorted(roster, key=name)
    if sort.lstrip("-") == "group":
        return sorted(by_name, key=lambda entry: kazakh_sort_key(entry[1]), reverse=sort.startswith("-"))
    return list(reversed(by_name)) if sort.startswith("-") else by_name


def _rows(course, enrollments, tasks, assessment, letters, max_total, include_drafts, now):
    student_ids = [enrollment.student_id for enrollment in enrollments]
    cells_by_key = _cells(course, student_ids, include_drafts)
    extensions = {
        (task_id, student_id): due_at
        for task_id, student_id, due_at in Extension.objects.filter(
            task__course=course, student_id__in=student_ids
        ).values_list("task_id", "student_id", "due_at")
    }
    controls = {}
    for student_id, kind, score in ControlScore.objects.filter(course=course, student_id__in=student_ids).values_list(
        "student_id", "kind", "score"
    ):
        controls.setdefault(student_id, {})[kind] = score
    halves = [task.due_week <= assessment.first_half_last_week for task in tasks]
    rows = []
    for enrollment in enrollments:
        cells = []
        counted = []
        for task in tasks:
            cell = cells_by_key.get((task.pk, enrollment.student_id)) or Cell()
            past_due = now > (extensions.get((task.pk, enrollment.student_id)) or task.due_moment)
            if not cell.submitted and past_due:
                cell.missing = True
            cells.append(cell)
            counted.append(past_due or cell.points is not None)
        row = Row(enrollment=enrollment, cells=cells, controls=controls.get(enrollment.student_id, {}))
        _roll_up(row, tasks, halves, counted, max_total, assessment, letters)
        rows.append(row)
    return rows


def _cells(course, student_ids, include_drafts):
    """One query: each student's latest submitted version per task, with its grade."""
    rows = Version.objects.filter(
        is_latest=True,
        submission__task__course=course,
        submission__student_id__in=student_ids,
    ).values_list(
        "submission__task_id",
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


def _cached_stats(course, tasks, group):
    """The class statistics, kept in the cache until the course's results or roster change.

    The key carries the moment the results last changed (set by every hand-in, grade and score
    service) and the roster's size and newest enrolment, so no cached figure outlives the data.
    """
    roster = Enrollment.objects.filter(course=course).aggregate(n=Count("pk"), last=Max("pk"))
    changed = Course.objects.filter(pk=course.pk).values_list("results_changed_at", flat=True).first()
    task_key = ",".join(f"{task.pk}:{task.max_points}" for task in tasks)
    facts = f"{course.pk}|{group}|{changed}|{roster['n']}|{roster['last']}|{task_key}"
    key = "gradebook-stats:" + hashlib.sha256(facts.encode()).hexdigest()
    stats = cache.get(key)
    if stats is None:
        stats = _stats_from_database(course, tasks, group)
        cache.set(key, stats, timeout=60 * 60)
    return stats


def _stats_from_database(course, tasks, group):
    """The same statistics as ``_stats``, computed by the database over the whole class (or group)."""
    students = Enrollment.objects.filter(course=course)
    if group:
        students = students.filter(academic_group=group)
    students = students.values("student_id")
    latest = Version.objects.filter(
        is_latest=True, submission__task__course=course, submission__student_id__in=students
    )
    submitted = dict(
        latest.values("submission__task_id").annotate(n=Count("pk")).values_list("submission__task_id", "n")
    )
    released = Grade.objects.filter(
        version__is_latest=True,
        state=Grade.State.RELEASED,
        submission__task__course=course,
        submission__student_id__in=students,
    )
    bins = {
        f"bin{index}": Count(
            "pk", filter=Q(percent__gte=index * 10) & (Q(percent__lt=index * 10 + 10) if index < BINS - 1 else Q())
        )
        for index in range(BINS)
    }
    by_task = {
        row["submission__task_id"]: row
        for row in released.values("submission__task_id").annotate(
            n_points=Count("points"),
            n_percent=Count("percent"),
            mean_points=Avg("points"),
            min_points=Min("points"),
            max_points=Max("points"),
            mean_percent=Avg("percent"),
            min_percent=Min("percent"),
            max_percent=Max("percent"),
            below=Count("pk", filter=Q(percent__isnull=True)),
            **bins,
        )
    }
    stats = []
    for task in tasks:
        item = TaskStats(submitted=submitted.get(task.pk, 0))
        row = by_task.get(task.pk)
        field = "points" if task.max_points is not None else "percent"
        if row and row[f"n_{field}"]:
            item.graded = row[f"n_{field}"]
            item.mean = _q2(row[f"mean_{field}"])
            item.minimum = row[f"min_{field}"]
            item.maximum = row[f"max_{field}"]
            item.median = _median(released.filter(submission__task=task), field, item.graded)
            item.bins = [row[f"bin{index}"] for index in range(BINS)]
            item.bins[0] += row["below"]  # no percentage recorded: drawn in the lowest bin, as _stats does
        stats.append(item)
    return stats


def _median(grades, field, count):
    middle = list(
        grades.exclude(**{f"{field}__isnull": True})
        .order_by(field)
        .values_list(field, flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return _q2(sum(middle) / len(middle)) if middle else None


def _part_percent(cells, tasks, selected):
    points = Decimal(0)
    maximum = Decimal(0)
    for cell, task, chosen in zip(cells, tasks, selected, strict=True):
        if chosen and task.max_points is not None:
            points += cell.counted_points
            maximum += task.max_points
    return _q2(points * 100 / maximum) if maximum else None


def _roll_up(row, tasks, halves, counted, max_total, assessment, letters):
    row.total = sum(
        (cell.counted_points for cell, task in zip(row.cells, tasks, strict=True) if task.max_points is not None),
        Decimal(0),
    )
    row.percent = _q2(row.total * 100 / max_total) if max_total else None
    decisive = row.percent
    if assessment.uses_credit_formula:
        weight = assessment.current_weight
        row.tk1 = _part_percent(row.cells, tasks, [h and c for h, c in zip(halves, counted, strict=True)])
        row.tk2 = _part_percent(row.cells, tasks, [not h and c for h, c in zip(halves, counted, strict=True)])
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
            decisive, row.provisional = _part_percent(row.cells, tasks, counted), True
    row.letter = scoring.letter_for(letters, decisive)


def _stats(tasks, rows):
    stats = []
    for index, task in enumerate(tasks):
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


def sort_rows(rows, sort, tasks):
    """Sort by name (Kazakh alphabet), group, total, percent, РД, final, or a task's column ("task-<id>")."""
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    rows = sorted(rows, key=lambda row: kazakh_sort_key(row.student.display_name))
    if key == "group":
        return sorted(rows, key=lambda row: kazakh_sort_key(row.group), reverse=reverse)
    if key in SORTABLE:
        present = [row for row in rows if getattr(row, key) is not None]
        absent = [row for row in rows if getattr(row, key) is None]
        return sorted(present, key=lambda row: getattr(row, key), reverse=reverse) + absent
    if key.startswith("task-"):
        ids = [task.pk for task in tasks]
        try:
            index = ids.index(int(key[5:]))
        except ValueError:
            return rows
        present = [row for row in rows if row.cells[index].points is not None]
        absent = [row for row in rows if row.cells[index].points is None]
        return sorted(present, key=lambda row: row.cells[index].points, reverse=reverse) + absent
    return list(reversed(rows)) if reverse else rows
