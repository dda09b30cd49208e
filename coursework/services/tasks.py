"""Workflows that write a course's task table: add, edit, reorder, hide and show, delete.

A change that touches grades (the maximum points of a graded task) is grading's to make:
``grading.services.tasks.task_edit`` checks and records it, and calls ``task_update`` inside its transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from coursework.models import Booking, Task, TaskChange

# What the task editor sets; the course, the position and the hidden flag have workflows of their own.
EDITABLE_FIELDS = (
    "label",
    "kind",
    "deliverable",
    "title",
    "title_ru",
    "title_en",
    "description",
    "description_ru",
    "description_en",
    "portfolio",
    "portfolio_ru",
    "portfolio_en",
    "pages_min",
    "pages_max",
    "due_week",
    "due_at_override",
    "cutoff_at",
    "max_points",
    "rating_period",
    "rubric",
)


def _editable(fields):
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not a field of the task editor: {', '.join(sorted(unknown))}")
    return fields


def _check_label(course, label, exclude_pk=None):
    taken = Task.objects.filter(course=course, label=label).exclude(pk=exclude_pk).exists()
    if taken:
        raise ValidationError(
            {"label": _("This course already has a task labelled “%(label)s”.") % {"label": label}}, code="unique"
        )


@transaction.atomic
def task_create(*, course, **fields):
    """Add a task at the end of the course's table.

    Rules: the label is unique within the course (a message on the label otherwise); the task's own rules
    (``Task.clean``: no cut-off before the due moment) hold; nothing is written when any of them fails.
    """
    _check_label(course, fields.get("label", ""))
    last = Task.objects.filter(course=course).aggregate(last=Max("position"))["last"] or 0
    task = Task(course=course, position=last + 1, **_editable(fields))
    task.full_clean()
    task.save()
    course.mark_results_changed()
    return task


@transaction.atomic
def task_update(*, task, **fields):
    """Change a task's terms as the editor gives them.

    Rules: as ``task_create``. It changes nothing it is not given. It knows nothing of grades: the editor
    changes a graded task's maximum points through ``grading.services.tasks.task_edit``.
    """
    _editable(fields)
    if "label" in fields:
        _check_label(task.course, fields["label"], exclude_pk=task.pk)
    for name, value in fields.items():
        setattr(task, name, value)
    task.full_clean()
    task.save(update_fields=list(fields) or None)
    task.course.mark_results_changed()
    return task


@transaction.atomic
def task_move(*, task, offset):
    """Move a task ``offset`` places up (negative) or down (positive) in its course's table.

    Rule: every task of the course, hidden ones too, gets a position 1, 2, 3 … in the table's order, so that
    moving past the first or the last place keeps it there and equal positions never stay ambiguous.
    """
    tasks = list(
        Task.objects.select_for_update().filter(course_id=task.course_id).order_by("position", "due_week", "pk")
    )
    index = next(index for index, each in enumerate(tasks) if each.pk == task.pk)
    target = min(max(index + offset, 0), len(tasks) - 1)
    tasks.insert(target, tasks.pop(index))
    changed = []
    for position, each in enumerate(tasks, start=1):
        if each.position != position:
            each.position = position
            changed.append(each)
    Task.objects.bulk_update(changed, ["position"])
    return tasks[target]


def _set_hidden(task, by, hidden, kind):
    task = Task.objects.select_for_update().select_related("course").get(pk=task.pk)
    if task.is_hidden == hidden:
        return task
    task.is_hidden = hidden
    task.save(update_fields=["is_hidden"])
    TaskChange.objects.create(task=task, kind=kind, changed_by=by)
    task.course.mark_results_changed()
    return task


@transaction.atomic
def task_hide(*, task, by):
    """Take a task out of the course: off the students' schedule, the queues and the gradebook, its work kept.

    Rules: the hand-ins, grades and slots stay as they are, and showing the task again brings everything back;
    the change is recorded (TaskChange ``hidden``); hiding a hidden task changes nothing.
    """
    return _set_hidden(task, by, True, TaskChange.Kind.HIDDEN)


@transaction.atomic
def task_show(*, task, by):
    """Bring a hidden task back into the course, recorded as TaskChange ``shown`` (see ``task_hide``)."""
    return _set_hidden(task, by, False, TaskChange.Kind.SHOWN)


@transaction.atomic
def task_delete(*, task):
    """Delete a task that nobody has worked on.

    Rules: a task with any hand-in or draft or a student's chosen institution (the database protects them), any
    booked consultation or defence seat, or any extension granted cannot be deleted: it can be hidden instead
    (ValidationError, code ``in_use``). The rest of the table keeps its order.
    """
    in_use = ValidationError(
        _(
            "Students have work or bookings for %(task)s, so it cannot be deleted. Hide it instead: it leaves the "
            "schedule, the queues and the gradebook, and nothing handed in is lost."
        )
        % {"task": task.display_label},
        code="in_use",
    )
    if Booking.objects.filter(slot__task=task).exists() or task.extensions.exists():
        raise in_use
    course = task.course
    try:
        task.delete()
    except ProtectedError as error:
        raise in_use from error
    course.mark_results_changed()
