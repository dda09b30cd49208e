"""The task editor's changes that reach grades: a graded task's maximum points, and its rubric."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coursework.models import Task, TaskChange
from coursework.services.tasks import task_update
from grading import scoring
from grading.models import Grade, GradeChange
from grading.selectors.gradebook import active_lock
from grading.selectors.tasks import PointsChange, points_change
from grading.services.grades import grade_snapshot
from grading.services.rubrics import rubric_change_record


class PointsChangeUnconfirmed(Exception):
    """The maximum points of a graded task would change and nobody confirmed what happens to its grades (or the
    grades changed since): ``change`` says what would happen now."""

    def __init__(self, change: PointsChange):
        super().__init__("points change not confirmed")
        self.change = change


def _value(value):
    return "" if value is None else str(value)


@transaction.atomic
def task_edit(*, task, by, changes, confirmed_grades=None):
    """Save an edit of a task from the task editor.

    Rules for the maximum points of a task that has grades (of any version, draft or released):
    - Nothing changes silently: unless ``confirmed_grades`` is the number of grades the task has now, nothing is
      written and PointsChangeUnconfirmed says what would happen (grades saved since are then shown too).
    - Refused while the course's results are locked (ValidationError, code ``locked``).
    - Each grade keeps its percentage; its points become that percentage of the new maximum
      (``scoring.share_of``: rounded half up to 0.1, as a grade's points are), and the same for the points its
      student was shown when it is released. Without a new maximum the task is graded as a percentage and
      the points are cleared. Each grade's history records the change (a ``saved`` row, before and after), its
      lock version moves on (a grading page left open must reload), and the task's log records the old and new
      maximum and the number of grades (TaskChange ``max_points``). The course's results are marked changed.
    A change of rubric is recorded (TaskChange ``rubric``, with the number of grades, which keep the rubric they
    were given with). All of it, and the rest of the edit (``coursework.services.tasks.task_update``), is
    written together or not at all.
    """
    current = Task.objects.select_for_update().select_related("course").get(pk=task.pk)
    old_max, old_rubric = current.max_points, current.rubric_id
    grades = list(Grade.objects.select_for_update().filter(submission__task=current).order_by("pk"))
    new_max = changes.get("max_points", old_max)
    rescale = bool(grades) and new_max != old_max
    if rescale:
        if active_lock(current.course) is not None:
            raise ValidationError(
                _(
                    "The results of this course are locked, so the maximum points of a graded task cannot change "
                    "now. Ask the department to unlock the gradebook first."
                ),
                code="locked",
            )
        if confirmed_grades != len(grades):
            raise PointsChangeUnconfirmed(points_change(current, new_max))
    task = task_update(task=current, **changes)
    if rescale:
        _rescale(grades, new_max, by)
    if old_max != task.max_points:
        TaskChange.objects.create(
            task=task,
            kind=TaskChange.Kind.MAX_POINTS,
            old_value=_value(old_max),
            new_value=_value(task.max_points),
            affected_grades=len(grades),
            changed_by=by,
        )
    rubric_change_record(task=task, previous=old_rubric, by=by, graded=len(grades))
    return task


def _rescale(grades, new_max, by):
    """Each grade's points (and released points) from its stored percentage, with a line in its history."""
    history = []
    now = timezone.now()
    for grade in grades:
        before = grade_snapshot(grade)
        grade.points = _points(new_max, grade.percent, grade.points)
        grade.lock_version += 1
        grade.updated_at = now
        if grade.is_released:
            grade.released_points = _points(new_max, grade.released_percent, grade.released_points)
            if grade.released_values is not None:
                grade.released_values = {**grade.released_values, "points": _str(grade.released_points)}
        history.append(
            GradeChange(
                grade=grade,
                action=GradeChange.Action.SAVED,
                changed_by=by,
                before=before,
                after={**before, "points": _str(grade.points)},
            )
        )
    Grade.objects.bulk_update(grades, ["points", "released_points", "released_values", "lock_version", "updated_at"])
    GradeChange.objects.bulk_create(history)


def _points(new_max, percent, points):
    """The points a percentage is worth under the new maximum. A grade with no percentage (given for a
    maximum of 0) keeps its points, unless the task is now graded as a percentage."""
    if new_max is None:
        return None
    if percent is None:
        return points
    return scoring.share_of(new_max, percent)


def _str(value):
    return None if value is None else str(value)
