"""The student's page of the assessment toolkit (СӨЖ 3): the target category, the social-history criteria and the
instruments with their items (saved as they are typed), the blank forms to print, the presentation's upload, the
checks before hand-in and the hand-in.

The editor is one form whose fields ``toolkits.data.toolkit_from_form`` reads, so the page works without JavaScript:
"Save draft" posts it. The scripts (static/js/autosave.js and static/js/toolkit_builder.js) add, remove and reorder
rows and save as the student types; the save answers in JSON with the checklist and the coverage table, rendered
here. The presentation is one file staged in the student's draft version, uploaded and removed by forms of its own
(``portfolio.views.staged``, as СӨЖ 4's report).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from accounts.models import Role
from config.autosave import refused_answer, saved_answer, sent_revision, wants_json
from config.responses import private_download
from portfolio.access import staged_file_for_student
from portfolio.selectors import staged_files_of
from portfolio.views.built import HandInTexts, built_hand_in
from portfolio.views.staged import StagedFileTexts, staged_file_remove, staged_file_upload
from toolkits import services
from toolkits.access import toolkit_task_for_student
from toolkits.data import toolkit_from_form
from toolkits.documents import blank_forms_pdf
from toolkits.forms import PresentationForm
from toolkits.views.editor import EDITOR_FIELD, checklist, coverage_html, page_context

PRESENTATION_TEXTS = StagedFileTexts(
    occupied=gettext_lazy("Your presentation is already here: remove it first to upload another."),
    uploaded=gettext_lazy("Your presentation is uploaded: it goes with your next hand-in."),
    removed=gettext_lazy("The presentation was removed. Upload the one to hand in."),
)
HAND_IN_TEXTS = HandInTexts(
    refused=gettext_lazy("The toolkit was not handed in: put right everything listed under “Before you hand in”."),
    handed_in=gettext_lazy(
        'Version {number} of your assessment toolkit is handed in. <a href="{link}" class="alert-link">Download its '
        "PDF</a>"
    ),
    handed_in_late=gettext_lazy(
        'Version {number} of your assessment toolkit is handed in, late by {delay}. <a href="{link}" '
        'class="alert-link">Download its PDF</a>'
    ),
)

# The page ---------------------------------------------------------------------------------------------------------


@require_GET
@role_required(Role.STUDENT)
def toolkit_edit(request, course_pk, pk):
    task = toolkit_task_for_student(request.user, course_pk, pk)
    return _page(request, task)


def _page(request, task, *, data=None, errors=(), status=200):
    """The page holding ``data`` (or the saved working copy): see ``toolkits.views.editor.page_context``."""
    context = page_context(task=task, student=request.user, data=data, errors=errors, now=timezone.now())
    return render(request, "toolkits/toolkit_edit.html", context, status=status)


def _edit_url(task, anchor=""):
    url = reverse("toolkits:edit", args=[task.course_id, task.pk])
    return f"{url}#{anchor}" if anchor else url


@require_GET
@role_required(Role.STUDENT)
def forms_pdf(request, course_pk, pk):
    """The blank forms of the student's working copy as it is saved, to print and try out: one PDF marked as a draft,
    whatever the checks say. Before the first save it is the cover alone, which is what the student has built."""
    task = toolkit_task_for_student(request.user, course_pk, pk)
    data = services.toolkit_for(task=task, student=request.user)
    content = blank_forms_pdf(data=data, task=task, student=request.user)
    filename = _("Assessment toolkit — %(label)s — blank forms.pdf") % {"label": task.display_label}
    return private_download(HttpResponse(content, content_type="application/pdf"), filename=filename)


# Saving and handing in -------------------------------------------------------------------------------------------


@require_POST
@role_required(Role.STUDENT)
def toolkit_save(request, course_pk, pk):
    task = toolkit_task_for_student(request.user, course_pk, pk)
    try:
        copy = services.toolkit_save(
            task=task, student=request.user, values=request.POST, revision=sent_revision(request.POST)
        )
    except ValidationError as error:
        if wants_json(request):
            return refused_answer(error)
        # The page again with what the student wrote, so that nothing typed is lost to a refusal.
        return _page(request, task, data=toolkit_from_form(request.POST)[0], errors=error.messages, status=400)
    if wants_json(request):
        return saved_answer(
            copy,
            problems=checklist(copy.data, staged_files_of(task=task, student=request.user)),
            coverage_html=coverage_html(copy.data),
        )
    messages.success(request, _("Your draft is saved."))
    return redirect(_edit_url(task))


@require_POST
@role_required(Role.STUDENT)
def toolkit_submit(request, course_pk, pk):
    """Hand the toolkit in. Sent from the editor, it first saves what the page holds, whatever the autosave caught,
    unless another tab or device saved something else since the page was opened."""
    task = toolkit_task_for_student(request.user, course_pk, pk)
    if EDITOR_FIELD in request.POST:
        try:
            # From a page behind another tab's save, nothing is handed in: the student reloads and chooses.
            services.toolkit_save(
                task=task, student=request.user, values=request.POST, revision=sent_revision(request.POST)
            )
        except ValidationError as error:
            return _page(request, task, data=toolkit_from_form(request.POST)[0], errors=error.messages, status=400)
    return built_hand_in(
        request,
        task=task,
        submit=services.toolkit_submit,
        in_checklist=_in_checklist,
        texts=HAND_IN_TEXTS,
        back=_edit_url(task, "hand-in"),
    )


def _in_checklist(error):
    """Checks that failed (code "incomplete", the missing presentation among them) are the page's checklist, listed
    in full there: several point to it in one message; one says itself, as does any other refusal."""
    refusals = getattr(error, "error_list", [])
    return len(refusals) > 1 and all(item.code == "incomplete" for item in refusals)


# The presentation ------------------------------------------------------------------------------------------------


@require_POST
@role_required(Role.STUDENT)
def presentation_upload(request, course_pk, pk):
    """Stage the presentation in the draft: one a version (see ``portfolio.views.staged``)."""
    task = toolkit_task_for_student(request.user, course_pk, pk)
    form = PresentationForm(request.POST, request.FILES)
    staged_file_upload(request, task=task, form=form, field="presentation", texts=PRESENTATION_TEXTS)
    return redirect(_edit_url(task, "presentation"))


@require_POST
@role_required(Role.STUDENT)
def presentation_remove(request, course_pk, pk, file_pk):
    task = toolkit_task_for_student(request.user, course_pk, pk)
    presentation = staged_file_for_student(task=task, student=request.user, pk=file_pk)
    staged_file_remove(request, staged=presentation, texts=PRESENTATION_TEXTS)
    return redirect(_edit_url(task, "presentation"))
