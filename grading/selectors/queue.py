"""A task's queue as the grader sees it: the class list (from portfolio) with each latest version's grade, and
each task's counts for the staff's pages."""

from dataclasses import dataclass

from django.db.models import Count, F, Q

from accounts.i18n import kazakh_sort_key
from accounts.models import User
from grading.models import Grade
from portfolio.models import Version
from portfolio.selectors import QUEUE_FILTERS, task_queue

# Who each status filter keeps: portfolio's, and the handed-in whose latest version has no grade yet.
_FILTERS = {
    **QUEUE_FILTERS,
    "ungraded": lambda row: row.latest_version_id is not None and row.latest_grade_id is None,
}


QUEUE_STATUSES = tuple(_FILTERS)

# What a queue row shows of its latest version's grade (as latest_grade_id, latest_grade_state, …).
GRADE_VALUES = ("pk", "state", "points", "percent", "has_unreleased_changes")


@dataclass
class GradingQueue:
    """A task's whole class as its queue shows it (``rows``), and how many of the task's latest handed-in versions
    are graded (``latest_grades(task).count()``: students who left the course count too)."""

    rows: list
    graded: int

    def filtered(self, *, group=None, status=None):
        """The rows of one academic group and one status (``QUEUE_STATUSES``); all of them without either."""
        keeps = _FILTERS.get(status)
        return [
            row for row in self.rows if (not group or row.academic_group == group) and (keeps is None or keeps(row))
        ]


def grading_queue(task):
    """The task's class list with the grade of each latest version and whether an earlier version was graded: three
    queries for any class. The grades are read apart, as plain values, rather than as six subqueries per row."""
    rows = task_queue(task=task)
    grades = Grade.objects.filter(submission__task=task).values_list(
        "submission_id", "version_id", *GRADE_VALUES, "version__is_latest"
    )
    graded_submissions, by_version, graded = set(), {}, 0
    for submission_id, version_id, *values, is_latest in grades:
        graded_submissions.add(submission_id)
        by_version[version_id] = values
        graded += is_latest
    for row in rows:
        grade_id, state, points, percent, changed = by_version.get(row.latest_version_id, (None,) * len(GRADE_VALUES))
        row.latest_grade_id, row.latest_grade_state = grade_id, state
        row.latest_grade_points, row.latest_grade_percent, row.latest_grade_changed = points, percent, changed
        row.has_earlier_grade = row.latest_submission_id in graded_submissions
    return GradingQueue(rows=rows, graded=graded)


def queue_rows(*, task, group=None, status=None):
    """The rows of ``grading_queue`` of one academic group and status."""
    return grading_queue(task).filtered(group=group, status=status)


def handed_in_in_queue_order(task):
    """The task's enrolled students who handed it in, in the queue's default order (by name, in the Kazakh alphabet),
    each with ``latest_submission_id`` and ``academic_group``: what the grading page's previous and next follow. One
    query of plain joins: the queue's other columns are not needed."""
    students = (
        User.objects.filter(
            enrollments__course_id=task.course_id, submissions__task=task, submissions__versions__is_latest=True
        )
        .annotate(latest_submission_id=F("submissions__id"), academic_group=F("enrollments__academic_group"))
        .only("username", "last_name", "first_name", "middle_name")
        .order_by("enrollments__academic_group", "last_name", "first_name")  # the queue's order where names tie
    )
    return sorted(students, key=lambda student: kazakh_sort_key(student.display_name))


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
