"""The department's letter scale: see the scale in force, keep an own variant, or go back to the national one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Role
from grading.forms.letter_scale import cleaned_rows, scale_formset
from grading.models import LetterGrade
from grading.selectors.gradebook import courses_by_scale
from grading.services.letter_scale import (
    PRESETS,
    SINGLE_F,
    letter_scale_reset,
    letter_scale_save,
    national_rows,
    rows_of,
)

NATIONAL_SOURCE = gettext_lazy("Order No. 152 of the Ministry of Education and Science, 20 April 2011, as amended")
USE_NATIONAL = "use_national"


def _admin_department(user):
    """The department an admin keeps the scale of; an admin (or superuser) without one has no such page."""
    if user.department_id is None:
        raise Http404
    return user.department


def _use_national(request, department):
    if letter_scale_reset(department=department):
        messages.success(request, _("Your department's own scale was deleted: its grades use the national scale."))
    else:
        messages.info(request, _("Your department already uses the national scale."))
    return redirect("grading:letter_scale")


def _starting_rows(own, preset):
    """What the editor starts from: a preset asked for, else the department's own scale, else the national one."""
    if preset:
        return PRESETS[preset]()
    # Before the national rows are loaded, the fixture shows what letter_scale_ensure would load.
    return rows_of(own or LetterGrade.objects.filter(department__isnull=True)) or national_rows()


# department/letter-scale/ ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.DEPARTMENT_ADMIN)
def letter_scale(request):
    department = _admin_department(request.user)
    if request.method == "POST" and request.POST.get("action") == USE_NATIONAL:
        return _use_national(request, department)
    own = list(LetterGrade.objects.filter(department=department))
    errors, preset = [], None
    if request.method == "POST":
        formset = scale_formset(request.POST)
        if formset.is_valid():
            try:
                letter_scale_save(department=department, rows=cleaned_rows(formset))
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Your department's letter scale was saved. Grades now use it."))
                return redirect("grading:letter_scale")
    else:
        preset = request.GET.get("preset") if request.GET.get("preset") in PRESETS else None
        formset = scale_formset(rows=_starting_rows(own, preset))
    open_courses, signed_courses = courses_by_scale(department)
    context = {
        "department": department,
        "open_courses": open_courses,
        "signed_courses": signed_courses,
        "formset": formset,
        "errors": errors,
        "own": bool(own),
        "preset": preset,
        "single_f": SINGLE_F,
        "national_source": NATIONAL_SOURCE,
        "confirm_national": bool(own) and request.GET.get("confirm") == USE_NATIONAL,
        "use_national": USE_NATIONAL,
    }
    return render(request, "grading/letter_scale.html", context)
