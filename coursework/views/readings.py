"""The course document's provenance and reading list, edited by the course's instructors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Role
from config.messages import report_errors
from coursework.access import course_for_instructor
from coursework.forms.readings import ProvenanceForm, reference_formset
from coursework.services.courses import reading_list_save

# courses/<course>/reading-list/ ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.INSTRUCTOR)
def reading_list(request, pk):
    course = course_for_instructor(request.user, pk)
    data = request.POST if request.method == "POST" else None
    provenance = ProvenanceForm(data, instance=course)
    formset = reference_formset(course, data)
    if data is not None and provenance.is_valid() and formset.is_valid():
        try:
            reading_list_save(
                course=course,
                provenance=provenance.cleaned_data,
                references=formset.save(commit=False),
                removed=formset.deleted_objects,
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The reading list and the document's details were saved."))
            return redirect("grading:course_detail", course.pk)
    context = {"course": course, "provenance": provenance, "formset": formset}
    return render(request, "coursework/readings/reading_list.html", context)
