"""The instructor's case pages: the course's vignettes (written, edited, deleted, the examples added) and, for a case
plan task, who plans on which case (handed out to everyone waiting, or changed by hand until a student starts).

The course's instructors do everything; an admin of the course's department reads both pages; anyone else is
turned away (404 for another course's instructor, 403 for students).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Role
from caseplans import selectors, services
from caseplans.vignette_forms import CaseAssignForm, VignetteForm
from config.messages import report_errors
from coursework.access import course_for_instructor, course_for_staff, task_for_instructor, task_for_staff, teaches
from coursework.models import Deliverable

READERS = (Role.INSTRUCTOR, Role.DEPARTMENT_ADMIN)


def _case_task(task):
    """Only a case plan task has cases to hand out."""
    if task.deliverable != Deliverable.CASE_PLAN:
        raise Http404
    return task


def _assignments_url(task, group=""):
    url = reverse("caseplans:assignments", args=[task.course_id, task.pk])
    return f"{url}?{urlencode({'group': group})}" if group else url


# courses/<course>/cases/ -------------------------------------------------------------------------------------------


@require_GET
@role_required(*READERS)
def vignette_list(request, course_pk):
    course = course_for_staff(request.user, course_pk)
    context = {
        "course": course,
        "vignettes": selectors.vignettes_of(course),
        "tasks": selectors.case_plan_tasks(course),
        "can_edit": teaches(request.user, course),
    }
    return render(request, "caseplans/vignettes.html", context)


def _vignette_page(request, course, vignette):
    """The editor of a new or existing vignette; a save that finds personal data shows it and asks to confirm."""
    form = VignetteForm(request.POST if request.method == "POST" else None, instance=vignette)
    if form.is_bound and form.is_valid():
        try:
            services.vignette_save(course=course, by=request.user, vignette=vignette, **form.save_values())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The case “%(title)s” was saved.") % {"title": form.cleaned_data["title"]})
            return redirect("caseplans:vignettes", course.pk)
    context = {"course": course, "form": form, "is_new": vignette is None}
    return render(request, "caseplans/vignette_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@role_required(Role.INSTRUCTOR)
def vignette_create(request, course_pk):
    course = course_for_instructor(request.user, course_pk)
    return _vignette_page(request, course, None)


@require_http_methods(["GET", "POST"])
@role_required(Role.INSTRUCTOR)
def vignette_edit(request, course_pk, pk):
    course = course_for_instructor(request.user, course_pk)
    return _vignette_page(request, course, get_object_or_404(course.vignettes, pk=pk))


@require_POST
@role_required(Role.INSTRUCTOR)
def vignette_delete(request, course_pk, pk):
    course = course_for_instructor(request.user, course_pk)
    vignette = get_object_or_404(course.vignettes, pk=pk)
    try:
        services.vignette_delete(vignette=vignette)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The case “%(title)s” was deleted.") % {"title": vignette.title})
    return redirect("caseplans:vignettes", course.pk)


@require_POST
@role_required(Role.INSTRUCTOR)
def vignette_examples(request, course_pk):
    course = course_for_instructor(request.user, course_pk)
    added = services.vignette_examples_add(course=course, by=request.user)
    if added:
        text = ngettext("%(count)d example case was added.", "%(count)d example cases were added.", added)
        messages.success(request, text % {"count": added})
    else:
        messages.info(request, _("Every example case is in the course already: none was added."))
    return redirect("caseplans:vignettes", course.pk)


# courses/<course>/tasks/<task>/cases/ ------------------------------------------------------------------------------


@require_GET
@role_required(*READERS)
def assignments(request, course_pk, pk):
    task = _case_task(task_for_staff(request.user, course_pk, pk))
    data = selectors.assignments_for(task=task, group=request.GET.get("group", ""))
    context = {"course": task.course, "task": task, "data": data, "can_edit": teaches(request.user, task.course)}
    return render(request, "caseplans/assignments.html", context)


@require_POST
@role_required(Role.INSTRUCTOR)
def hand_out(request, course_pk, pk):
    task = _case_task(task_for_instructor(request.user, course_pk, pk))
    try:
        given = services.cases_hand_out(task=task, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        if given:
            text = ngettext("%(count)d student was given a case.", "%(count)d students were given a case.", given)
            messages.success(request, text % {"count": given})
        else:
            messages.info(request, _("Every student has a case already: nobody was waiting."))
    return redirect(_assignments_url(task, request.POST.get("group", "")))


@require_POST
@role_required(Role.INSTRUCTOR)
def assign(request, course_pk, pk):
    task = _case_task(task_for_instructor(request.user, course_pk, pk))
    form = CaseAssignForm(request.POST, course=task.course)
    if not form.is_valid():
        report_errors(request, form)
        return redirect(_assignments_url(task, request.POST.get("group", "")))
    student, vignette = form.cleaned_data["student"], form.cleaned_data["vignette"]
    try:
        services.case_assign(task=task, student=student, vignette=vignette, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        text = _("%(name)s now plans on “%(case)s”.") % {"name": student.display_name, "case": vignette.title}
        messages.success(request, text)
    return redirect(_assignments_url(task, request.POST.get("group", "")) + f"#student-{student.pk}")
