"""A gradebook's statistics per task: how many handed in, and over the released grades the count, mean, median,
extremes and the distribution in tenths of the percentage scale — from the database for a page of a big class
(``class_statistics``), or from the sheet a whole class was built from (``sheet_statistics``), by one rule
(``task_statistics``). Drafts never count."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from coursework.models import Enrollment
from grading.models import Grade
from grading.selectors.rollup import q2
from portfolio.models import Version

BINS = 10  # the distribution chart: ten bins of ten percent


@dataclass
class TaskStats:
    submitted: int = 0
    graded: int = 0
    mean: Decimal | None = None
    median: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    bins: list = field(default_factory=lambda: [0] * BINS)


def class_statistics(course, tasks, group):
    """The same statistics as ``sheet_statistics``, from one query over the whole class (or group): the latest hand-ins
    counted per task and released figure, a few thousand rows however many students."""
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
    submitted, released = Counter(), Counter()
    for task_id, state, points, percent, count in counted:
        submitted[task_id] += count
        if state == Grade.State.RELEASED:
            released[task_id, points, percent] += count
    return task_statistics(tasks, submitted, released)


def sheet_statistics(tasks, sheet):
    """Each task's statistics over the sheet's students (``task_statistics``)."""
    cells = [(task_id, cell) for handed in sheet.handed.values() for task_id, cell in handed.items()]
    submitted = Counter(task_id for task_id, _cell in cells)
    released = Counter((task_id, cell[4], cell[5]) for task_id, cell in cells if cell[3])  # points, percent; released
    return task_statistics(tasks, submitted, released)


def task_statistics(tasks, submitted, released):
    """Each task's statistics: how many handed in, and over the released grades (drafts never count) of the
    column's figure — points, or the percentage of a task without maximum points — how many, their mean, median
    and extremes, and how many fall in each tenth of the percentage scale.

    ``submitted``: {task id: hand-ins}; ``released``: {(task id, points, percent): released grades with them}.
    """
    by_task = {}
    for (task_id, points, percent), count in released.items():
        by_task.setdefault(task_id, []).append((points, percent, count))
    stats = []
    for task in tasks:
        item = TaskStats(submitted=submitted[task.pk])
        # (the column's figure, the percentage, how many grades have both)
        figures = [
            (points if task.max_points is not None else percent, percent, count)
            for points, percent, count in by_task.get(task.pk, [])
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
