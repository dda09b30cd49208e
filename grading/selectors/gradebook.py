"""The course gradebook: every student's standing, computed once for the page and every export.

Rules, stated once (the roll-up of one row is stated in ``grading.selectors.rollup``):
- Hidden tasks are left out: no column, no statistics, nothing in the totals (their hand-ins and grades are kept).
- A task whose due moment has passed with nothing handed in is "missing" and counts 0; before its due moment it
  is simply empty (and also counts 0 in the total, which runs over every task with maximum points).
- Letters come from the department's letter scale, except in a signed-off gradebook, which keeps the scale it
  was signed with. The rule: the newest sign-off of the course decides, whatever became of its lock since (an
  unlocked gradebook keeps its scale until it is signed off again, with the department's scale of that day).
  A sign-off recorded before sign-offs kept their scale (an empty snapshot) follows the department's scale.
"""

import hashlib
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q
from django.utils import timezone

from accounts.i18n import kazakh_sort_key
from coursework.models import Course, Enrollment, Extension
from grading.models import ControlScore, CourseAssessment, Grade, GradebookLock, LetterGrade, SignOff
from grading.selectors.grades import letters_for
from grading.selectors.rollup import Cell, Row, q2, roll_up
from portfolio.models import Version

BINS = 10  # the distribution chart: ten bins of ten percent
SCALE_FIELDS = ("letter", "min_percent", "max_percent", "gpa", "traditional")


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
    sign_off: SignOff | None = None  # the newest sign-off, with its signer
    signed_scale: bool = False  # the letters are the sign-off's snapshot, not the department's scale of today


def scale_snapshot(letters):
    """Letter grades as the JSON rows a sign-off keeps (numbers as strings, so nothing is lost to floats)."""
    return [{name: str(getattr(letter, name)) for name in SCALE_FIELDS} for letter in letters]


def scale_from_snapshot(rows):
    """A sign-off's JSON rows as unsaved letter grades, highest first: the same objects ``letters_for`` gives."""
    letters = [
        LetterGrade(
            letter=row["letter"],
            min_percent=Decimal(row["min_percent"]),
            max_percent=Decimal(row["max_percent"]),
            gpa=Decimal(row["gpa"]),
            traditional=row["traditional"],
        )
        for row in rows
    ]
    return sorted(letters, key=lambda letter: letter.min_percent, reverse=True)


def newest_sign_off(course):
    return SignOff.objects.filter(course=course).select_related("signed_by").order_by("-signed_at", "-pk").first()


def courses_by_scale(department):
    """The department's courses as (open, signed off): what a change of its letter scale reaches, and what keeps
    the scale it was signed with (any course with a sign-off, by the rule above)."""
    courses = Course.objects.of_department(department).annotate(
        signed=Exists(SignOff.objects.filter(course=OuterRef("pk")))
    )
    courses = sorted(courses, key=lambda course: (course.academic_year, course.code), reverse=True)
    return [course for course in courses if not course.signed], [course for course in courses if course.signed]


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
    tasks = list(course.tasks.shown().select_related("course").order_by("position", "due_week", "pk"))
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
    sign_off = newest_sign_off(course)
    signed_scale = bool(sign_off and sign_off.letter_scale)
    letters = scale_from_snapshot(sign_off.letter_scale) if signed_scale else letters_for(course.department)
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
        sign_off=sign_off,
        signed_scale=signed_scale,
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
    halves = [task.in_first_period(assessment.first_half_last_week) for task in tasks]
    rows = []
    for enrollment in enrollments:
        cells = []
        counted = []
        for task in tasks:
            cell = cells_by_key.get((task.pk, enrollment.student_id)) or Cell()
            past_due = now > (extensions.get((task.pk, enrollment.student_id)) or task.due_moment)
            if not cell.submitted and past_due:
                cell.missing = True
            cell.show(task)
            cells.append(cell)
            counted.append(past_due or cell.points is not None)
        row = Row(enrollment=enrollment, cells=cells, controls=controls.get(enrollment.student_id, {}))
        roll_up(row, tasks, halves, counted, max_total, assessment, letters)
        rows.append(row)
    return rows


def _cells(course, student_ids, include_drafts):
    """One query: each student's latest submitted version per task, with its grade."""
    rows = Version.objects.filter(
        is_latest=True,
        submission__task__course=course,
        submission__task__is_hidden=False,
        submission__student_id__in=student_ids,
    ).values_list(
        "submission__task_id",
        "submission__student_id",
        "submission_id",
        "is_late",
        "grade__points",
        "grade__percent",
        "grade__released_points",
        "grade__released_percent",
        "grade__state",
    )
    cells = {}
    for task_id, student_id, submission_id, late, points, percent, released_points, released_percent, state in rows:
        draft = state == Grade.State.DRAFT
        if state == Grade.State.RELEASED:
            # What counts is what the student was shown; a later unreleased change waits for the next release.
            points, percent = released_points, released_percent
        if draft and not include_drafts:
            points = percent = None
            draft = False
        cells[(task_id, student_id)] = Cell(
            points=points,
            percent=percent,
            draft=draft,
            released=state == Grade.State.RELEASED,
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
            "pk",
            filter=Q(released_percent__gte=index * 10)
            & (Q(released_percent__lt=index * 10 + 10) if index < BINS - 1 else Q()),
        )
        for index in range(BINS)
    }
    by_task = {
        row["submission__task_id"]: row
        for row in released.values("submission__task_id").annotate(
            n_points=Count("released_points"),
            n_percent=Count("released_percent"),
            mean_points=Avg("released_points"),
            min_points=Min("released_points"),
            max_points=Max("released_points"),
            mean_percent=Avg("released_percent"),
            min_percent=Min("released_percent"),
            max_percent=Max("released_percent"),
            below=Count("pk", filter=Q(released_percent__isnull=True)),
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
            item.mean = q2(row[f"mean_{field}"])
            item.minimum = row[f"min_{field}"]
            item.maximum = row[f"max_{field}"]
            item.median = _median(released.filter(submission__task=task), f"released_{field}", item.graded)
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
    return q2(sum(middle) / len(middle)) if middle else None


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
            item.mean = q2(sum(values) / len(values))
            item.median = q2(statistics.median(values))
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
        # The figure the column shows: points, or the percentage of a task without maximum points.
        present = [row for row in rows if row.cells[index].value is not None]
        absent = [row for row in rows if row.cells[index].value is None]
        return sorted(present, key=lambda row: row.cells[index].value, reverse=reverse) + absent
    return list(reversed(rows)) if reverse else rows
