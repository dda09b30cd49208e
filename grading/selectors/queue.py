"""A task's queue as the grader sees it: the class list (from portfolio) with each latest version's grade, and
each task's counts for the staff's pages."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from accounts.i18n import kazakh_sort_key
from coursework.models import Enrollment
from grading.models import Grade
from portfolio.models import Version
from portfolio.selectors import QUEUE_STATUSES as HAND_IN_STATUSES
from portfolio.selectors import task_queue

QUEUE_STATUSES = (*HAND_IN_STATUSES, "ungraded")


def queue_rows(*, task, group=None, status=None):
    """The task's class list with the grade of each latest version and whether an earlier version was graded."""
    rows = task_queue(task=task, group=group, status=status if status in HAND_IN_STATUSES else None)
    grade = Grade.objects.filter(version_id=OuterRef("latest_version_id"))
    rows = rows.annotate(
        latest_grade_id=Subquery(grade.values("pk")[:1]),
        latest_grade_state=Subquery(grade.values("state")[:1]),
        latest_grade_points=Subquery(grade.values("points")[:1]),
        latest_grade_percent=Subquery(grade.values("percent")[:1]),
        latest_grade_changed=Subquery(grade.values("has_unreleased_changes")[:1]),
        has_earlier_grade=Exists(Grade.objects.filter(submission__task=task, submission__student=OuterRef("student"))),
    )
    if status == "ungraded":
        rows = rows.filter(latest_version_id__isnull=False, latest_grade_id__isnull=True)
    return rows


def handed_in_in_queue_order(task):
    """The ids of the task's handed-in submissions in the queue's default order (by name, in the Kazakh alphabet):
    what the grading page's previous and next follow. One light query: the queue's other columns are not needed."""
    latest = Version.objects.filter(
        submission__task=task,
        submission__student=OuterRef("student"),
        state=Version.State.SUBMITTED,
        is_latest=True,
    )
    rows = (
        Enrollment.objects.filter(course_id=task.course_id)
        .annotate(latest_submission_id=Subquery(latest.values("submission_id")[:1]))
        .filter(latest_submission_id__isnull=False)
        .select_related("student")
        .only("student__username", "student__last_name", "student__first_name", "student__middle_name")
    )
    ordered = sorted(rows, key=lambda row: kazakh_sort_key(row.student.display_name))
    return [row.latest_submission_id for row in ordered]


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
