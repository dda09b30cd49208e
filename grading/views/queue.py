"""A task's queue for its staff: who handed in, when, how late, the grade of each; the task's deadline and
students' extensions, set from the same page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from config.messages import report_errors
from coursework.access import task_for_grader, task_for_staff
from grading.selectors.queue import QUEUE_STATUSES, grading_queue
from portfolio import services
from portfolio.forms import DeadlineForm, ExtensionForm
from portfolio.selectors import QUEUE_SORTS, sort_queue


def _students(task):
    return User.objects.filter(enrollments__course_id=task.course_id).order_by("last_name", "first_name")


def _bootstrap(form):
    """The form with Bootstrap's class on each input, for the page's plain markup (grading_queue's ``form_fields``):
    crispy forms cost a sixth of the queue page's time for the same markup."""
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    return form


@require_GET
@login_required
def queue(request, course_pk, pk):
    task = task_for_staff(request.user, course_pk, pk)
    group = request.GET.get("group") or None
    status = request.GET.get("status") if request.GET.get("status") in QUEUE_STATUSES else None
    sort = request.GET.get("sort") if request.GET.get("sort") in QUEUE_SORTS else "name"
    # The whole class is read once: the counts come from it, and so does a filtered list.
    queue = grading_queue(task)
    rows = queue.filtered(group=group, status=status)
    counts = {
        "enrolled": len(queue.rows),
        "submitted": sum(1 for row in queue.rows if row.latest_version_id is not None),
        "late": sum(1 for row in queue.rows if row.latest_is_late),
        "graded": queue.graded,
    }
    counts["missing"] = counts["enrolled"] - counts["submitted"]
    context = {
        "course": task.course,
        "task": task,
        "rows": sort_queue(rows, sort),
        "groups": queue.groups(),
        "group": group,
        "status": status,
        "sort": sort,
        "counts": counts,
        "is_past_due": task.is_past_due(timezone.now()),
        "can_grade": request.user.can_grade,
        "deadline_form": _bootstrap(
            DeadlineForm(initial={"due_at_override": task.due_at_override, "cutoff_at": task.cutoff_at})
        ),
        # Its students are written out from the queue's rows (the template's student_options).
        "extension_form": _bootstrap(ExtensionForm(students=_students(task))),
        "students": queue.students_by_surname(),
        "extensions": task.extensions.select_related("student").order_by("student__last_name"),
    }
    return render(request, "grading/queue.html", context)


@require_POST
@login_required
def deadline_update(request, course_pk, pk):
    task = task_for_grader(request.user, course_pk, pk)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.task_set_deadline(task=task, **form.cleaned_data)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The task's deadline was saved."))
    else:
        report_errors(request, form)
    return redirect("grading:queue", task.course_id, task.pk)


@require_POST
@login_required
def extension_grant(request, course_pk, pk):
    task = task_for_grader(request.user, course_pk, pk)
    form = ExtensionForm(request.POST, students=_students(task))
    if not form.is_valid():
        report_errors(request, form)
        return redirect("grading:queue", task.course_id, task.pk)
    data = form.cleaned_data
    try:
        services.extension_grant(task=task, granted_by=request.user, **data)
    except ValidationError as error:
        report_errors(request, error)
    else:
        moment = timezone.localtime(data["due_at"]).strftime("%d.%m.%Y %H:%M")
        messages.success(
            request,
            _("%(student)s now has until %(moment)s.") % {"student": data["student"].display_name, "moment": moment},
        )
    return redirect("grading:queue", task.course_id, task.pk)
