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
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, TextField, When
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.i18n import kazakh_sort_key
from coursework.models import Course, Enrollment, Extension
from grading.models import ControlScore, CourseAssessment, Grade, GradebookLock, LetterGrade, SignOff
from grading.selectors.grades import letters_for
from grading.selectors.rollup import Cell, Row, Scheme, ratings, roll_up, shown
from grading.selectors.statistics import class_statistics, sheet_statistics
from portfolio.models import Version

SCALE_FIELDS = ("letter", "min_percent", "max_percent", "gpa", "traditional")


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
    scheme: Scheme
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
    scheme = Scheme.of(tasks, assessment)
    book = Gradebook(
        course=course,
        assessment=assessment,
        tasks=tasks,
        rows=[],
        stats=[],
        groups=groups,
        max_total=scheme.max_total,
        letters=letters,
        scheme=scheme,
        sign_off=sign_off,
        signed_scale=signed_scale,
    )
    if per_page and student is None:
        _fill_page(book, enrollments, include_drafts, group, sort, page, per_page, now)
    else:
        enrollments = list(enrollments.select_related("student"))
        sheet = _sheet(course, [enrollment.student_id for enrollment in enrollments], include_drafts)
        rows = sort_rows(_rows(book, enrollments, sheet, now), sort, tasks)
        book.stats = sheet_statistics(tasks, sheet)
        book.student_count = len(rows)
        book.page_count = max(1, -(-len(rows) // per_page)) if per_page else 1
        book.page = min(max(1, page), book.page_count)
        book.rows = rows[(book.page - 1) * per_page : book.page * per_page] if per_page else rows
    return book


def _fill_page(book, enrollments, include_drafts, group, sort, page, per_page, now):
    """One page of the class in ``sort`` order: the order from the roster's plain tuples and the cached ranks,
    full rows for the page's students only (from the class's sheet when the ranks had to be computed)."""
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
    students = enrollments.values("student_id")
    order, book.stats, sheet = _class_order(book, roster, students, include_drafts, group, sort, now)
    ids = order[(book.page - 1) * per_page : book.page * per_page]
    loaded = Enrollment.objects.select_related("student").in_bulk(ids)
    enrollments = [loaded[pk] for pk in ids]
    if sheet is None:
        sheet = _sheet(book.course, [enrollment.student_id for enrollment in enrollments], include_drafts)
    book.rows = _rows(book, enrollments, sheet, now)


def _class_order(book, roster, students, include_drafts, group, sort, now):
    """(enrolment pks of the whole class in ``sort`` order, the statistics, the class's sheet if it was read).

    Both come from the cache while nothing that could change them has changed (``_cache_key``). A computed sort
    keeps, per column, each student's rank by that column's figure; the order is made from the ranks and the
    names of now, so ties stay in name order as ``sort_rows`` keeps them. On a miss the class's sheet is read
    once, each student's figures are worked out from it without building rows (``_standings``), and the ranks of
    every computed column are stored together, so the next column a reader sorts by is a hit too.
    """
    key = _cache_key(book, roster, include_drafts, group, now)
    column = _computed_column(sort, book.tasks)
    if column is None:
        stats = cache.get(f"{key}:stats")
        if stats is None:
            stats = class_statistics(book.course, book.tasks, group)
            cache.set(f"{key}:stats", stats, timeout=CACHE_SECONDS)
        return _roster_order(roster, sort, book.tasks), stats, None
    cached = cache.get_many([f"{key}:stats", f"{key}:{column}"])
    sheet = None
    if len(cached) < 2:
        sheet = _sheet(book.course, students, include_drafts)
        ranks = _ranks(_standings(book, roster, sheet, now), book.tasks)
        cached = {
            f"{key}:stats": sheet_statistics(book.tasks, sheet),
            **{f"{key}:{name}": ranks[name] for name in ranks},
        }
        cache.set_many(cached, timeout=CACHE_SECONDS)
    by_name = [entry[0] for entry in _sort_roster(roster, "name")]
    return _ranked(by_name, cached[f"{key}:{column}"], sort.startswith("-")), cached[f"{key}:stats"], sheet


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


def _ranks(standings, tasks):
    """Per computed column, {enrolment pk: rank of the student's figure among the class's}; no figure, no entry.

    ``standings``: {enrolment pk: figures in the order of ``COMPUTED_SORTS`` and then of ``tasks``}."""
    pks = list(standings)
    names = [*COMPUTED_SORTS, *(task.sort_key for task in tasks)]
    columns = list(zip(*standings.values(), strict=True)) or [()] * len(names)
    ranks = {}
    for name, values in zip(names, columns, strict=True):
        rank_of = {value: rank for rank, value in enumerate(sorted({v for v in values if v is not None}))}
        ranks[name] = {pk: rank_of[v] for pk, v in zip(pks, values, strict=True) if v is not None}
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


@dataclass
class Sheet:
    """What the rows of some students are made from, read in three queries whatever their number.

    ``handed``: {student id: {task id: their latest hand-in as (submission id, late, draft, released, points,
    percent)}}, with the points and percentage that count (``_hand_ins``); ``extensions``: {student id: {task id:
    due moment}}; ``controls``: {student id: {control kind: score}}.
    """

    handed: dict
    extensions: dict
    controls: dict


def _sheet(course, student_ids, include_drafts):
    """The sheet of the students ``student_ids`` lists (or, for a whole class, selects: a subquery, cheaper to
    send than thousands of ids)."""
    handed, extensions, controls = {}, {}, {}
    points_of, percent_of = (_Figures(Grade._meta.get_field(name)) for name in ("points", "percent"))
    for task_id, student_id, submission_id, late, state, points, percent in _hand_ins(
        course, student_ids, include_drafts
    ):
        draft = include_drafts and state == Grade.State.DRAFT
        released = state == Grade.State.RELEASED
        cell = (submission_id, late, draft, released, points_of[points], percent_of[percent])
        handed.setdefault(student_id, {})[task_id] = cell
    for task_id, student_id, due_at in Extension.objects.filter(
        task__course=course, student_id__in=student_ids
    ).values_list("task_id", "student_id", "due_at"):
        extensions.setdefault(student_id, {})[task_id] = due_at
    for student_id, kind, score in ControlScore.objects.filter(course=course, student_id__in=student_ids).values_list(
        "student_id", "kind", "score"
    ):
        controls.setdefault(student_id, {})[kind] = score
    return Sheet(handed=handed, extensions=extensions, controls=controls)


def _hand_ins(course, student_ids, include_drafts):
    """One query: each student's latest submitted version per shown task, as (task id, student id, submission id,
    late, grade state, points, percent), the points and percentage as they count (``_counted``) and as text.

    Text, because a class repeats a few hundred figures tens of thousands of times: ``_Figures`` makes each
    distinct one a Decimal once, where reading numerics makes one per cell (and Django's expression makes it
    again): at 4,000 × 20 on PostgreSQL the query took 550 ms so, 300 ms as text."""
    return (
        Version.objects.filter(
            is_latest=True,
            submission__task__course=course,
            submission__task__is_hidden=False,
            submission__student_id__in=student_ids,
        )
        .values_list(
            "submission__task_id",
            "submission__student_id",
            "submission_id",
            "is_late",
            "grade__state",
            Cast(_counted("points", include_drafts), TextField()),
            Cast(_counted("percent", include_drafts), TextField()),
        )
        .order_by()  # the model's ordering would sort a whole class's hand-ins for nothing
    )


def _counted(name, include_drafts):
    """A grade's ``name`` (points or percent) as the gradebook counts it: what the student was shown, the released
    figure (a later unreleased change waits for the next release); a draft's own figure for staff only, none for
    students. Chosen by the database, so only one of the two figures is read."""
    shown_figures = [When(grade__state=Grade.State.RELEASED, then=F(f"grade__released_{name}"))]
    if include_drafts:
        shown_figures.append(When(grade__state=Grade.State.DRAFT, then=F(f"grade__{name}")))
    return Case(*shown_figures, default=None, output_field=Grade._meta.get_field(name))


class _Figures(dict):
    """{a figure read as text: its Decimal}, each made once, to the decimal places of its field: what Django's own
    reading of the field gives (SQLite writes 80.00 as "80")."""

    def __init__(self, field):
        super().__init__()
        self.step = Decimal(1).scaleb(-field.decimal_places)

    def __missing__(self, text):
        figure = self[text] = None if text is None else Decimal(text).quantize(self.step)
        return figure


def _passed(tasks, passed, extended, now):
    """Per task, whether its due moment has passed for a student: the class's ``passed``, unless the student has
    extensions (``extended``: {task id: due moment})."""
    if not extended:
        return passed
    return [now > (extended.get(task.pk) or task.due_moment) for task in tasks]


def _rows(book, enrollments, sheet, now):
    """The full rows of ``enrollments`` (cells, ratings, letter) from a sheet that holds their students."""
    tasks = book.tasks
    class_passed = [now > task.due_moment for task in tasks]
    rows = []
    for enrollment in enrollments:
        handed = sheet.handed.get(enrollment.student_id, {})
        cells, counted = [], []
        extended = sheet.extensions.get(enrollment.student_id)
        for task, passed in zip(tasks, _passed(tasks, class_passed, extended, now), strict=True):
            found = handed.get(task.pk)
            if found is None:
                cell = Cell(missing=passed)
            else:
                submission_id, late, draft, released, points, percent = found
                cell = Cell(
                    points=points,
                    percent=percent,
                    draft=draft,
                    released=released,
                    late=late,
                    submitted=True,
                    submission_id=submission_id,
                )
            cell.show(task)
            cells.append(cell)
            counted.append(passed or cell.points is not None)
        row = Row(enrollment=enrollment, cells=cells, controls=sheet.controls.get(enrollment.student_id, {}))
        roll_up(row, book.scheme, counted, book.letters)
        rows.append(row)
    return rows


def _standings(book, roster, sheet, now):
    """{enrolment pk: (total, percent, rd, final, and each task's figure as its column shows it)} of the roster's
    students: what ``_rows`` gives their rows (the same ``ratings`` and ``shown``), without building the rows,
    their cells and letters. The order of a whole class needs only these."""
    tasks = book.tasks
    class_passed = [now > task.due_moment for task in tasks]
    keys = [(task.pk, task.max_points) for task in tasks]
    no_controls = {}
    standings = {}
    for pk, student_id, *_names in roster:
        handed = sheet.handed.get(student_id, {})
        earned, counted, values = [], [], []
        extended = sheet.extensions.get(student_id)
        for (task_id, max_points), passed in zip(keys, _passed(tasks, class_passed, extended, now), strict=True):
            found = handed.get(task_id)
            if found is None:
                earned.append(None)
                counted.append(passed)
                values.append(None)
            else:
                _submission_id, _late, _draft, released, points, percent = found
                earned.append(points if released else None)
                counted.append(passed or points is not None)
                values.append(shown(points, percent, max_points)[0])
        figures = ratings(book.scheme, earned, counted, sheet.controls.get(student_id, no_controls))
        standings[pk] = (figures.total, figures.percent, figures.rd, figures.final, *values)
    return standings


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
