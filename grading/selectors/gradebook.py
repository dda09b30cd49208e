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
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q
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
COMPUTED_SORTS = ("total", "percent", "rd", "final")  # and each shown task's column, "task-<id>"
ROSTER_ORDER = ("academic_group", "student__last_name", "student__first_name", "pk")
CACHE_SECONDS = 60 * 60


def build_gradebook(course, *, include_drafts, group=None, student=None, sort="name", page=1, per_page=None, now=None):
    """The gradebook of a course, in a fixed number of queries whatever the size of the class.

    ``include_drafts``: staff see draft grades (marked, not counted). ``student``: one student's row only.
    ``per_page``: rows per page (None: all). Sorting is done on the whole class before paging. A paged book reads
    cell by cell only the page's students: the order of the class and each task's statistics come from the cache
    (``_class_order``), so a page of a 4,000-student course costs what a page of a 100-student one does.
    """
    now = now or timezone.now()
    assessment = assessment_for(course)
    tasks = list(course.tasks.shown().select_related("course").order_by("position", "due_week", "pk"))
    for task in tasks:
        task.sort_key = f"task-{task.pk}"
        task.due_moment = task.due_at  # computed once, not once per cell
    enrollments = Enrollment.objects.filter(course=course).order_by(*ROSTER_ORDER)
    if group:
        enrollments = enrollments.filter(academic_group=group)
    if student is not None:
        enrollments = enrollments.filter(student=student)
    groups = Enrollment.objects.groups_of(course.pk)
    sign_off = newest_sign_off(course)
    signed_scale = bool(sign_off and sign_off.letter_scale)
    letters = scale_from_snapshot(sign_off.letter_scale) if signed_scale else letters_for(course.department)
    book = Gradebook(
        course=course,
        assessment=assessment,
        tasks=tasks,
        rows=[],
        stats=[],
        groups=groups,
        max_total=sum((task.max_points for task in tasks if task.max_points is not None), Decimal(0)),
        letters=letters,
        sign_off=sign_off,
        signed_scale=signed_scale,
    )
    if per_page and student is None:
        _fill_page(book, enrollments, include_drafts, group, sort, page, per_page, now)
    else:
        rows = sort_rows(_rows(book, list(enrollments.select_related("student")), include_drafts, now), sort, tasks)
        book.stats = _stats(tasks, rows)
        book.student_count = len(rows)
        book.page_count = max(1, -(-len(rows) // per_page)) if per_page else 1
        book.page = min(max(1, page), book.page_count)
        book.rows = rows[(book.page - 1) * per_page : book.page * per_page] if per_page else rows
    return book


def _fill_page(book, enrollments, include_drafts, group, sort, page, per_page, now):
    """One page of the class in ``sort`` order: the order from the roster's plain tuples and the cached ranks,
    full rows for the page's students only (or, when the ranks had to be computed, from the class just built)."""
    roster = list(
        enrollments.values_list(
            "pk",
            "student_id",
            "academic_group",
            "student__last_name",
            "student__first_name",
            "student__middle_name",
            "student__username",
        )
    )
    book.student_count = len(roster)
    book.page_count = max(1, -(-len(roster) // per_page))
    book.page = min(max(1, page), book.page_count)
    order, book.stats, built = _class_order(book, roster, enrollments, include_drafts, group, sort, now)
    ids = order[(book.page - 1) * per_page : book.page * per_page]
    if built is None:
        loaded = Enrollment.objects.select_related("student").in_bulk(ids)
        book.rows = _rows(book, [loaded[pk] for pk in ids], include_drafts, now)
    else:
        book.rows = [built[pk] for pk in ids]


def _class_order(book, roster, enrollments, include_drafts, group, sort, now):
    """(enrolment pks of the whole class in ``sort`` order, the statistics, the rows built or None).

    Both come from the cache while nothing that could change them has changed (``_cache_key``). A computed sort
    keeps, per column, each student's rank by that column's figure; the order is made from the ranks and the
    names of now, so ties stay in name order as ``sort_rows`` keeps them. On a miss the class is built once and
    the ranks of every computed column are stored together, so the next column a reader sorts by is a hit too.
    """
    key = _cache_key(book, roster, include_drafts, group, now)
    column = _computed_column(sort, book.tasks)
    if column is None:
        stats = cache.get(f"{key}:stats")
        if stats is None:
            stats = _stats_from_database(book.course, book.tasks, group)
            cache.set(f"{key}:stats", stats, timeout=CACHE_SECONDS)
        return _roster_order(roster, sort, book.tasks), stats, None
    cached = cache.get_many([f"{key}:stats", f"{key}:{column}"])
    built = None
    if len(cached) < 2:
        rows = _rows(book, list(enrollments.select_related("student")), include_drafts, now)
        ranks = _ranks(rows, book.tasks)
        cached = {f"{key}:stats": _stats(book.tasks, rows), **{f"{key}:{name}": ranks[name] for name in ranks}}
        cache.set_many(cached, timeout=CACHE_SECONDS)
        built = {row.enrollment.pk: row for row in rows}
    by_name = [entry[0] for entry in _sort_roster(roster, "name")]
    return _ranked(by_name, cached[f"{key}:{column}"], sort.startswith("-")), cached[f"{key}:stats"], built


def _computed_column(sort, tasks):
    """The computed column ``sort`` orders by ("total", …, "task-<id>" of a shown task), or None."""
    column = sort.lstrip("-")
    if column in COMPUTED_SORTS or column in {task.sort_key for task in tasks}:
        return column
    return None


def _roster_order(roster, sort, tasks):
    """The pks in a sort that needs no figure: by name or group; an unknown task as ``sort_rows`` leaves it."""
    if sort.lstrip("-").startswith("task-"):
        sort = "name"
    return [entry[0] for entry in _sort_roster(roster, sort)]


def _ranks(rows, tasks):
    """Per computed column, {enrolment pk: rank of the row's figure among the class's}; no figure, no entry."""
    columns = {name: [getattr(row, name) for row in rows] for name in COMPUTED_SORTS}
    for index, task in enumerate(tasks):
        columns[task.sort_key] = [row.cells[index].value for row in rows]
    ranks = {}
    for name, values in columns.items():
        rank_of = {value: rank for rank, value in enumerate(sorted({v for v in values if v is not None}))}
        ranks[name] = {row.enrollment.pk: rank_of[v] for row, v in zip(rows, values, strict=True) if v is not None}
    return ranks


def _ranked(by_name, ranks, reverse):
    """The pks (in name order) ordered by rank, ties kept in name order, those without a figure last: the order
    ``sort_rows`` gives the same rows."""
    present = sorted((pk for pk in by_name if pk in ranks), key=ranks.__getitem__, reverse=reverse)
    return present + [pk for pk in by_name if pk not in ranks]


def _cache_key(book, roster, include_drafts, group, now):
    """The cache key of a class's order and statistics: it changes with everything either depends on.

    - results: ``results_changed_at``, set by every service that writes a hand-in, grade, release, control score,
      extension, due date or task (create, edit, maximum points, hide, show, delete);
    - the roster read for this request (enrolments, their students and groups), the group asked for, and whether
      draft grades are shown;
    - the shown tasks in their order, with their maximum points, due moments and rating periods, and the grading
      formula (an assessment is saved without marking the results);
    - time: a task's or extension's due moment passing turns empty cells "missing" and counts them in ТК, so the
      number of moments passed is part of the key; the extensions' count and newest change are too, for changes
      made outside the services (the admin).
    Names are not part of it: ties are ordered by the names of now (``_class_order``).
    """
    course = book.course
    changed = Course.objects.filter(pk=course.pk).values_list("results_changed_at", flat=True).first()
    extensions = Extension.objects.filter(task__course=course).aggregate(
        n=Count("pk"), passed=Count("pk", filter=Q(due_at__lt=now)), latest=Max("granted_at")
    )
    half = book.assessment.first_half_last_week
    tasks = [(t.pk, t.max_points, t.due_moment.isoformat(), t.in_first_period(half)) for t in book.tasks]
    formula = [getattr(book.assessment, f.attname) for f in CourseAssessment._meta.concrete_fields]
    facts = (
        course.pk,
        group,
        include_drafts,
        changed,
        [entry[:3] for entry in roster],
        tasks,
        sum(1 for task in book.tasks if task.due_moment < now),
        extensions,
        formula,
    )
    return "gradebook:" + hashlib.sha256(repr(facts).encode()).hexdigest()


def _sort_roster(roster, sort):
    """(pk, student id, group, last, first, middle, username) tuples in the same order as ``sort_rows`` gives."""

    def name(entry):
        return kazakh_sort_key(" ".join(part for part in entry[3:6] if part) or entry[6])

    by_name = sorted(roster, key=name)
    if sort.lstrip("-") == "group":
        return sorted(by_name, key=lambda entry: kazakh_sort_key(entry[2]), reverse=sort.startswith("-"))
    return list(reversed(by_name)) if sort.startswith("-") else by_name


def _rows(book, enrollments, include_drafts, now):
    course, tasks, assessment = book.course, book.tasks, book.assessment
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
        roll_up(row, tasks, halves, counted, book.max_total, assessment, book.letters)
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


def _stats_from_database(course, tasks, group):
    """The same statistics as ``_stats``, from one query over the whole class (or group): the latest hand-ins
    counted per task and released figure, a few thousand rows however many students, from which the counts,
    means, medians, extremes and bins of every task follow exactly as ``_stats`` computes them."""
    students = Enrollment.objects.filter(course=course)
    if group:
        students = students.filter(academic_group=group)
    counted = (
        Version.objects.filter(
            is_latest=True,
            submission__task_id__in=[task.pk for task in tasks],
            submission__student_id__in=students.values("student_id"),
        )
        .values_list("submission__task_id", "grade__state", "grade__released_points", "grade__released_percent")
        .annotate(count=Count("pk"))
        .order_by()
    )
    submitted, released = Counter(), {}
    for task_id, state, points, percent, count in counted:
        submitted[task_id] += count
        if state == Grade.State.RELEASED:
            released.setdefault(task_id, []).append((points, percent, count))
    stats = []
    for task in tasks:
        item = TaskStats(submitted=submitted[task.pk])
        # (the column's figure, the percentage, how many grades have both), as _stats reads each cell
        figures = [
            (points if task.max_points is not None else percent, percent, count)
            for points, percent, count in released.get(task.pk, [])
        ]
        figures = sorted((figure for figure in figures if figure[0] is not None), key=lambda figure: figure[0])
        if figures:
            item.graded = sum(count for _value, _percent, count in figures)
            item.mean = q2(sum(value * count for value, _percent, count in figures) / item.graded)
            item.median = q2(_median(figures, item.graded))
            item.minimum, item.maximum = figures[0][0], figures[-1][0]
            for _value, percent, count in figures:
                share = percent if percent is not None else Decimal(0)
                item.bins[min(int(share // 10), BINS - 1)] += count
        stats.append(item)
    return stats


def _median(figures, total):
    """The median of (value, percentage, count) rows sorted by value: the middle value, or the mean of the two."""
    middle = []
    seen = 0
    for value, _percent, count in figures:
        middle += [value] * (min(seen + count, total // 2 + 1) - max(seen, (total - 1) // 2))
        seen += count
        if seen > total // 2:
            break
    return sum(middle) / len(middle)


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
