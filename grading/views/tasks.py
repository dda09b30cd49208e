"""The task editor: a course's instructors add, edit, reorder, hide, show and delete its tasks.

Only the course's instructors (and superusers) reach it: 403 for other roles, 404 for another course's
instructor. It lives in grading because a change of a graded task's points is grading's to make.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Role
from config.messages import report_errors
from coursework.access import course_for_instructor
from coursework.models import Task
from coursework.services import tasks as services
from grading.forms.tasks import TaskForm, confirmation_value
from grading.selectors.gradebook import active_lock
from grading.selectors.tasks import can_delete, editor_tasks, recent_changes
from grading.services import tasks as graded_services

MOVES = {"up": -1, "down": 1}


def _task(user, course_pk, pk):
    """A task of a course the person teaches, hidden or not."""
    course = course_for_instructor(user, course_pk)
    return get_object_or_404(Task.objects.select_related("course__department", "rubric"), course=course, pk=pk)


def _form_page(request, form, course, task=None, change=None):
    context = {"course": course, "form": form, "edited": task, "change": change}
    if change is not None:
        context.update(locked=active_lock(course) is not None, confirmation=confirmation_value(change))
    return render(request, "grading/tasks/form.html", context)


@require_GET
@role_required(Role.INSTRUCTOR)
def task_editor(request, course_pk):
    course = course_for_instructor(request.user, course_pk)
    rows, summary = editor_tasks(course)
    context = {"course": course, "rows": rows, "summary": summary, "log": recent_changes(course)}
    return render(request, "grading/tasks/editor.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.INSTRUCTOR)
def task_create(request, course_pk):
    course = course_for_instructor(request.user, course_pk)
    form = TaskForm(request.POST or None, course=course, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(course=course, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(task)s was added to the course.") % {"task": task.display_label})
            return redirect("grading:task_editor", course.pk)
    return _form_page(request, form, course)


@require_http_methods(["GET", "POST"])
@role_required(Role.INSTRUCTOR)
def task_edit(request, course_pk, pk):
    task = _task(request.user, course_pk, pk)
    form = TaskForm(request.POST or None, instance=task, course=task.course, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            task = graded_services.task_edit(
                task=task, by=request.user, changes=form.changes(), confirmed_grades=form.confirmed_grades()
            )
        except graded_services.PointsChangeUnconfirmed as unconfirmed:
            return _form_page(request, form, task.course, task, unconfirmed.change)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(task)s was saved.") % {"task": task.display_label})
            return redirect("grading:task_editor", task.course_id)
    return _form_page(request, form, task.course, task)


@require_POST
@role_required(Role.INSTRUCTOR)
def task_move(request, course_pk, pk):
    task = _task(request.user, course_pk, pk)
    offset = MOVES.get(request.POST.get("direction"))
    if offset is not None:
        services.task_move(task=task, offset=offset)
    return redirect(f"{_editor_url(task)}#task-{task.pk}")


@require_POST
@role_required(Role.INSTRUCTOR)
def task_hide(request, course_pk, pk):
    task = services.task_hide(task=_task(request.user, course_pk, pk), by=request.user)
    messages.success(
        request,
        _("%(task)s is hidden: students no longer see it, and it is left out of the queues and the gradebook.")
        % {"task": task.display_label},
    )
    return redirect(_editor_url(task))


@require_POST
@role_required(Role.INSTRUCTOR)
def task_show(request, course_pk, pk):
    task = services.task_show(task=_task(request.user, course_pk, pk), by=request.user)
    messages.success(request, _("%(task)s is shown again.") % {"task": task.display_label})
    return redirect(_editor_url(task))


@require_http_methods(["GET", "POST"])
@role_required(Role.INSTRUCTOR)
def task_delete(request, course_pk, pk):
    task = _task(request.user, course_pk, pk)
    if request.method == "GET":
        context = {"course": task.course, "edited": task, "can_delete": can_delete(task)}
        return render(request, "grading/tasks/delete.html", context)
    label = task.display_label
    try:
        services.task_delete(task=task)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("%(task)s was deleted.") % {"task": label})
    return redirect("grading:task_editor", course_pk)


def _editor_url(task):
    return reverse("grading:task_editor", args=[task.course_id])
