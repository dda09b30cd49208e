"""A student's hand-in: staging files in a draft, taking one out, and handing in the draft, with any files picked
in the same form, as a version."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from config.messages import report_errors
from coursework.access import task_for_student
from portfolio import services
from portfolio.forms import SubmitForm, UploadForm
from portfolio.models import SubmissionFile
from portfolio.receipts import hand_in_message


def _task_page(task):
    return redirect("grading:task_detail", task.course_id, task.pk)


def _own_file(task, student, pk):
    """A file of the student's work on ``task`` (in the draft, or in a version handed in), 404 for anyone else's.
    Its version and submission are read with it, and the submission is given the task and student already found,
    so the service reads none of them again."""
    submission_file = get_object_or_404(
        SubmissionFile.objects.select_related("version__submission"),
        pk=pk,
        version__submission__task=task,
        version__submission__student=student,
    )
    submission = submission_file.version.submission
    submission.task, submission.student = task, student
    return submission_file


@require_POST
@role_required(Role.STUDENT)
def draft_upload(request, course_pk, pk):
    task = task_for_student(request.user, course_pk, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        report_errors(request, form)  # no file, or an empty one, named
        return _task_page(task)
    try:
        services.draft_add_files(task=task, student=request.user, uploads=form.cleaned_data["files"])
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("Your files are staged in a draft. Submit the draft when it is complete."))
    return _task_page(task)


@require_POST
@role_required(Role.STUDENT)
def draft_file_remove(request, course_pk, pk, file_pk):
    task = task_for_student(request.user, course_pk, pk)
    try:
        services.draft_remove_file(submission_file=_own_file(task, request.user, file_pk))
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The file was removed from your draft."))
    return _task_page(task)


@require_POST
@role_required(Role.STUDENT)
def draft_submit(request, course_pk, pk):
    """Hand in: the files picked in the hand-in form go into the draft and the draft is handed in, all or nothing."""
    task = task_for_student(request.user, course_pk, pk)
    form = SubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        report_errors(request, form)
        return _task_page(task)
    try:
        version = services.draft_submit(
            task=task, student=request.user, uploads=form.cleaned_data["files"], statement_accepted=True
        )
    except ValidationError as error:
        report_errors(request, error)
        return _task_page(task)
    level = messages.WARNING if version.is_late else messages.SUCCESS
    messages.add_message(request, level, hand_in_message(version, version.files.all()))
    return _task_page(task)
