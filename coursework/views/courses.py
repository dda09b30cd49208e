"""The department admin's course set-up: open a course run, change it, copy it into a new term."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Role
from coursework.access import course_for_reviewer
from coursework.forms.courses import CourseCopyForm, CourseForm
from coursework.selectors.courses import course_document, course_next_run
from coursework.services import courses as services


def _own_department(user):
    """The department a new course belongs to; an admin (or superuser) without one has no such page."""
    if user.department_id is None:
        raise Http404
    return user.department


def _add_errors(form, error):
    """Put a service's ValidationError next to the fields it names (on the form when it names none of them)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _saved(request, course, text):
    messages.success(request, text % {"code": course.code, "title": course.display_title})
    return redirect("grading:course_detail", course.pk)


def _copy_context(source):
    """What a copy takes from its source, for the copy page to show before anything is written."""
    return {
        "course": source,
        "tasks": list(source.tasks.shown().select_related("rubric")),
        "hidden_count": source.tasks.filter(is_hidden=True).count(),
        "instructors": list(source.instructors.all()),
        "document": course_document(source),
    }


# department/courses/new/ -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.DEPARTMENT_ADMIN)
def course_create(request):
    department = _own_department(request.user)
    form = CourseForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(
                department=department, instructors=form.cleaned_data["instructors"], **form.course_fields()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(request, course, _("The course %(code)s “%(title)s” was created."))
    return render(request, "coursework/courses/course_form.html", {"form": form, "department": department})


# courses/<course>/edit/ and copy/ ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.DEPARTMENT_ADMIN)
def course_edit(request, pk):
    course = course_for_reviewer(request.user, pk)
    # The form changes its own copy, so that the page's heading keeps naming the course as it is stored.
    form = CourseForm(request.POST or None, instance=copy.deepcopy(course), department=course.department)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.course_update(
                course=form.instance, instructors=form.cleaned_data["instructors"], **form.course_fields()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(request, changed, _("The course %(code)s “%(title)s” was saved."))
    return render(request, "coursework/courses/course_edit.html", {"form": form, "course": course})


@require_http_methods(["GET", "POST"])
@role_required(Role.DEPARTMENT_ADMIN)
def course_copy(request, pk):
    source = course_for_reviewer(request.user, pk)
    form = CourseCopyForm(request.POST or None, initial=course_next_run(source))
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_copy(source=source, copied_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(request, course, _("The course %(code)s “%(title)s” was copied into a new term."))
    return render(request, "coursework/courses/course_copy.html", {"form": form, **_copy_context(source)})
