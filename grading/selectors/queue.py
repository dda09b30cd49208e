"""A task's queue as the grader sees it: the class list (from portfolio) with each latest version's grade."""

from django.db.models import Exists, OuterRef, Subquery

from grading.models import Grade
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
        has_earlier_grade=Exists(Grade.objects.filter(submission__task=task, submission__student=OuterRef("student"))),
    )
    if status == "ungraded":
        rows = rows.filter(latest_version_id__isnull=False, latest_grade_id__isnull=True)
    return rows
