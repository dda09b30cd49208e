"""A task's queue as the grader sees it: the class list with each student's latest version and its grade, and
each task's counts for the staff's pages."""

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from accounts.i18n import kazakh_sort_key
from accounts.models import User
from coursework.models import Enrollment
from grading.models import Grade
from portfolio.models import Version
from portfolio.selectors import QUEUE_FILTERS, hand_in_summary

# Who each status filter keeps: portfolio's, and the handed-in whose latest version has no grade yet.
_FILTERS = {
    **QUEUE_FILTERS,
    "ungraded": lambda row: row.latest_version_id is not None and row.latest_grade_id is None,
}


QUEUE_STATUSES = tuple(_FILTERS)

# What a queue row shows of its latest version's grade (as latest_grade_id, latest_grade_state, …).
GRADE_VALUES = ("pk", "state", "points", "percent", "has_unreleased_changes")


class QueueStudent:
    """A student as the queue and the grading page name them, read as plain values: building a ``User`` for each of
    a class of 300 cost more than the rest of the row. The name follows ``User.display_name``'s own rule."""

    __slots__ = ("display_name", "first_name", "last_name", "middle_name", "pk", "username")

    full_name = User.full_name

    def __init__(self, pk, username, last_name, first_name, middle_name):
        self.pk, self.username = pk, username
        self.last_name, self.first_name, self.middle_name = last_name, first_name, middle_name
        self.display_name = User.display_name.fget(self)


# What a queue row reads of its student, in QueueStudent's order.
STUDENT_VALUES = ("username", "last_name", "first_name", "middle_name")


class QueueRow:
    """A student of the task's course in its queue: their enrolment's group, their latest handed-in version (the
    ``latest_*`` values, None without one), how many versions they handed in (None without any), whether a draft
    waits, and the grade of the latest version (``latest_grade_*``, None without one). ``surname_order``: the row's
    place when the class is put in the database's order of surnames and first names."""

    __slots__ = (
        "academic_group",
        "has_draft",
        "has_earlier_grade",
        "latest_grade_changed",
        "latest_grade_id",
        "latest_grade_percent",
        "latest_grade_points",
        "latest_grade_state",
        "latest_is_late",
        "latest_late_by",
        "latest_submission_id",
        "latest_submitted_at",
        "latest_version_id",
        "student",
        "student_id",
        "surname_order",
        "version_count",
    )


@dataclass
class GradingQueue:
    """A task's whole class as its queue shows it (``rows``), and how many of the task's latest handed-in versions
    are graded (``latest_grades(task).count()``: students who left the course count too)."""

    rows: list
    graded: int

    def groups(self):
        """The academic groups of the class, in Kazakh alphabetical order (``Enrollment.objects.groups_of``)."""
        return sorted({row.academic_group for row in self.rows}, key=kazakh_sort_key)

    def students_by_surname(self):
        """The class in the database's order of surnames and first names (a select's options)."""
        return [row.student for row in sorted(self.rows, key=lambda row: row.surname_order)]

    def filtered(self, *, group=None, status=None):
        """The rows of one academic group and one status (``QUEUE_STATUSES``); all of them without either."""
        keeps = _FILTERS.get(status)
        return [
            row for row in self.rows if (not group or row.academic_group == group) and (keeps is None or keeps(row))
        ]


def grading_queue(task):
    """The task's class list (``QueueRow``, in the enrolments' order) with each student's latest version, the grade
    of each latest version and whether an earlier version was graded: three queries for any class. Everything is
    read as plain values and matched here: subqueries per row, or a model per row, cost more than the rows."""
    surnames = Window(RowNumber(), order_by=[F("student__last_name").asc(), F("student__first_name").asc()])
    enrollments = (
        Enrollment.objects.filter(course_id=task.course_id)
        .annotate(surname_order=surnames)
        .values_list("student_id", "academic_group", "surname_order", *(f"student__{name}" for name in STUDENT_VALUES))
    )
    grades = Grade.objects.filter(submission__task=task).values_list(
        "submission_id", "version_id", *GRADE_VALUES, "version__is_latest"
    )
    latest, counts, drafts = hand_in_summary(task)
    graded_submissions, by_version, graded = set(), {}, 0
    for submission_id, version_id, *values, is_latest in grades:
        graded_submissions.add(submission_id)
        by_version[version_id] = values
        graded += is_latest
    no_version, no_grade = (None,) * 5, (None,) * len(GRADE_VALUES)
    rows = []
    for student_id, academic_group, surname_order, *names in enrollments:
        row = QueueRow()
        row.student, row.student_id, row.academic_group = QueueStudent(student_id, *names), student_id, academic_group
        row.surname_order = surname_order
        version_id, submission_id, submitted_at, is_late, late_by = latest.get(student_id, no_version)
        row.latest_version_id, row.latest_submission_id = version_id, submission_id
        row.latest_submitted_at, row.latest_is_late, row.latest_late_by = submitted_at, is_late, late_by
        row.version_count = counts.get(student_id)
        row.has_draft = student_id in drafts
        grade_id, state, points, percent, changed = by_version.get(version_id, no_grade)
        row.latest_grade_id, row.latest_grade_state = grade_id, state
        row.latest_grade_points, row.latest_grade_percent, row.latest_grade_changed = points, percent, changed
        row.has_earlier_grade = submission_id in graded_submissions
        rows.append(row)
    return GradingQueue(rows=rows, graded=graded)


def queue_rows(*, task, group=None, status=None):
    """The rows of ``grading_queue`` of one academic group and status."""
    return grading_queue(task).filtered(group=group, status=status)


def handed_in_in_queue_order(task):
    """The task's enrolled students who handed it in, in the queue's default order (by name, in the Kazakh alphabet),
    as ``HandedIn`` rows: what the grading page's previous and next follow. One query of plain joins and values: the
    queue's other columns are not needed."""
    rows = (
        User.objects.filter(
            enrollments__course_id=task.course_id, submissions__task=task, submissions__versions__is_latest=True
        )
        .order_by("enrollments__academic_group", "last_name", "first_name")  # the queue's order where names tie
        .values_list("submissions__id", "enrollments__academic_group", "pk", *STUDENT_VALUES)
    )
    students = [HandedIn(submission_id, group, QueueStudent(*student)) for submission_id, group, *student in rows]
    return sorted(students, key=lambda row: kazakh_sort_key(row.student.display_name))


class HandedIn(NamedTuple):
    """A student who handed the task in, as the grading page's previous and next follow them."""

    submission_id: int
    academic_group: str
    student: QueueStudent


@dataclass
class TaskCounts:
    """Where a task's hand-ins stand, for its staff: handed in, graded (any grade), released, late."""

    handed_in: int = 0
    graded: int = 0
    released: int = 0
    late: int = 0

    @property
    def to_grade(self):
        return self.handed_in - self.graded


def task_counts(tasks):
    """{task id: TaskCounts} over each student's latest handed-in version: one query for any number of tasks."""
    rows = (
        Version.objects.latest_submitted()
        .filter(submission__task__in=tasks)
        .values("submission__task_id")
        .annotate(
            handed_in=Count("pk"),
            late=Count("pk", filter=Q(is_late=True)),
            graded=Count("grade"),
            released=Count("grade", filter=Q(grade__state=Grade.State.RELEASED)),
        )
    )
    counts = {task.pk: TaskCounts() for task in tasks}
    for row in rows:
        task_id = row.pop("submission__task_id")
        counts[task_id] = TaskCounts(**row)
    return counts
