"""A department's band rules: the ranges, originality thresholds and timeliness its rubric's holistic bands ask."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Role
from config.messages import report_errors
from grading.access import rubric_for_editor
from grading.forms.bands import BandRuleForm
from grading.services.rubrics import holistic_bands_save


@require_http_methods(["GET", "POST"])
@role_required(Role.INSTRUCTOR, Role.DEPARTMENT_ADMIN)
def rubric_bands(request, pk):
    rubric = rubric_for_editor(request.user, pk)
    if rubric.department_id is None or rubric.holistic_scale_id is None:
        raise Http404  # shared rubrics are copied, not edited; a rubric without bands has no rules to set
    forms = [BandRuleForm(request.POST or None, band=band) for band in rubric.holistic_scale.bands.all()]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        try:
            holistic_bands_save(rubric=rubric, rows={form.band.position: form.cleaned_data for form in forms})
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The band rules were saved. Grades saved from now on follow them."))
            return redirect("grading:rubric_detail", rubric.pk)
    return render(request, "grading/rubrics/bands.html", {"rubric": rubric, "forms": forms})
