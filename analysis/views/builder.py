"""The student's page of the analytical work (СӨЖ 4): the comparison of models, the SWOT analysis and the references
(saved as they are typed), the analytical report's upload, the checks before hand-in and the hand-in.

The editor is one form whose fields ``analysis.data.analysis_from_form`` reads, so the page works without
JavaScript: "Save draft" posts it, and each list ends with a spare empty row. The scripts (static/js/autosave.js and
static/js/analysis_builder.js) add, remove and reorder rows and columns and save as the student types; the save
answers in JSON, with each reference formatted in the course's style — formatted here, by analysis.references,
never in the browser. The report is one file staged in the student's draft version, uploaded and removed by forms of
its own.
"""

import re
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from accounts.models import Role
from analysis import services
from analysis.access import comparison_task_for_student
from analysis.data import REFERENCE_FIELDS, analysis_from_form, analysis_problems, analysis_warnings
from analysis.forms import ReportForm
from analysis.references import format_reference_html
from analysis.views.editor import EDITOR_FIELD, checklist, has_content, page_context
from config.autosave import refused_answer, saved_answer, sent_revision, wants_json
from portfolio.access import staged_file_for_student
from portfolio.selectors import staged_files_of
from portfolio.views.built import HandInTexts, built_hand_in
from portfolio.views.staged import StagedFileTexts, staged_file_remove, staged_file_upload

_REFERENCE_FIELD = re.compile(r"^references-(?P<index>\d{1,4})-(?P<field>[a-z]+)$")
REPORT_TEXTS = StagedFileTexts(
    occupied=gettext_lazy("Your report is already here: remove it first to upload another."),
    uploaded=gettext_lazy("Your report is uploaded: it goes with your next hand-in."),
    removed=gettext_lazy("The report was removed. Upload the one to hand in."),
)
HAND_IN_TEXTS = HandInTexts(
    refused=gettext_lazy("The work was not handed in: put right everything listed under “Before you hand in”."),
    handed_in=gettext_lazy(
        'Version {number} of your analytical work is handed in. <a href="{link}" class="alert-link">Download its '
        "PDF</a>"
    ),
    handed_in_late=gettext_lazy(
        'Version {number} of your analytical work is handed in, late by {delay}. <a href="{link}" '
        'class="alert-link">Download its PDF</a>'
    ),
)

# The page ---------------------------------------------------------------------------------------------------------


@require_GET
@role_required(Role.STUDENT)
def analysis_edit(request, course_pk, pk):
    task = comparison_task_for_student(request.user, course_pk, pk)
    return _page(request, task)


def _page(request, task, *, data=None, errors=(), status=200):
    """The page holding ``data`` (or the saved working copy): see ``analysis.views.editor.page_context``."""
    context = page_context(task=task, student=request.user, data=data, errors=errors, now=timezone.now())
    return render(request, "analysis/analysis_edit.html", context, status=status)


def _edit_url(task, anchor=""):
    url = reverse("analysis:edit", args=[task.course_id, task.pk])
    return f"{url}#{anchor}" if anchor else url


# Saving and handing in -------------------------------------------------------------------------------------------


@require_POST
@role_required(Role.STUDENT)
def analysis_save(request, course_pk, pk):
    task = comparison_task_for_student(request.user, course_pk, pk)
    try:
        copy = services.analysis_save(
            task=task, student=request.user, values=request.POST, revision=sent_revision(request.POST)
        )
    except ValidationError as error:
        if wants_json(request):
            return refused_answer(error)
        # The page again with what the student wrote, so that nothing typed is lost to a refusal.
        return _page(request, task, data=analysis_from_form(request.POST)[0], errors=error.messages, status=400)
    if wants_json(request):
        return saved_answer(
            copy,
            problems=checklist(copy.data, staged_files_of(task=task, student=request.user)),
            warnings=analysis_warnings(copy.data),
            previews=_previews(request.POST, task.course.reference_style),
        )
    messages.success(request, _("Your draft is saved."))
    return redirect(_edit_url(task))


def _previews(values, style):
    """Each reference of the form, by the number of its fields, formatted in ``style`` ("" for an empty one)."""
    rows = {}
    for name, value in values.items():
        match = _REFERENCE_FIELD.match(name)
        if match and match["field"] in REFERENCE_FIELDS:
            rows.setdefault(str(int(match["index"])), {})[match["field"]] = value.strip()
    return {
        index: str(format_reference_html(entry, style=style)) if has_content(entry) else ""
        for index, entry in rows.items()
    }


@require_POST
@role_required(Role.STUDENT)
def analysis_submit(request, course_pk, pk):
    """Hand the work in. Sent from the editor, it first saves what the page holds, whatever the autosave caught,
    unless another tab or device saved something else since the page was opened."""
    task = comparison_task_for_student(request.user, course_pk, pk)
    if EDITOR_FIELD in request.POST:
        try:
            # From a page behind another tab's save, nothing is handed in: the student reloads and chooses.
            services.analysis_save(
                task=task, student=request.user, values=request.POST, revision=sent_revision(request.POST)
            )
        except ValidationError as error:
            return _page(request, task, data=analysis_from_form(request.POST)[0], errors=error.messages, status=400)
    return built_hand_in(
        request,
        task=task,
        submit=services.analysis_submit,
        in_checklist=partial(_in_checklist, task, request.user),
        texts=HAND_IN_TEXTS,
        back=_edit_url(task, "hand-in"),
    )


def _in_checklist(task, student, error):
    """The checks that failed are the page's checklist, listed in full there: one message points to it."""
    data = services.analysis_for(task=task, student=student)
    listed = {problem.message for problem in analysis_problems(data, today=timezone.localdate())}
    return bool(listed) and set(error.messages) <= listed


# The report ------------------------------------------------------------------------------------------------------


@require_POST
@role_required(Role.STUDENT)
def report_upload(request, course_pk, pk):
    """Stage the report in the draft: one a version (see ``portfolio.views.staged``)."""
    task = comparison_task_for_student(request.user, course_pk, pk)
    form = ReportForm(request.POST, request.FILES)
    staged_file_upload(request, task=task, form=form, field="report", texts=REPORT_TEXTS)
    return redirect(_edit_url(task, "report"))


@require_POST
@role_required(Role.STUDENT)
def report_remove(request, course_pk, pk, file_pk):
    task = comparison_task_for_student(request.user, course_pk, pk)
    report = staged_file_for_student(task=task, student=request.user, pk=file_pk)
    staged_file_remove(request, staged=report, texts=REPORT_TEXTS)
    return redirect(_edit_url(task, "report"))
