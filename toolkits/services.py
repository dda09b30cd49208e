"""Workflows of СӨЖ 3's assessment toolkit: saving the criteria and instruments as they are typed, handing them in
with the presentation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coursework.models import Deliverable
from portfolio.selectors import staged_files_of, working_copy_for
from portfolio.services import (
    built_version_submit,
    require_open,
    working_copy_lock,
    working_copy_save,
)
from toolkits.data import normalised, toolkit_from_form, toolkit_problems
from toolkits.documents import toolkit_file_name, toolkit_pdf


def _require_toolkit_task(task):
    if task.deliverable != Deliverable.ASSESSMENT_TOOLKIT:
        raise ValidationError(_("This page is for the assessment toolkit task."), code="not_toolkit")


def toolkit_save(*, task, student, values, revision=None, now=None):
    """Save the student's working copy from the page's form values; the saved copy.

    Rule: until the task closes; what cannot be kept whole (a text over its limit, too many rows, a scale's range
    that is not one) is refused and nothing is saved; a page that started from an older revision than the newest
    saves nothing ("stale").
    """
    now = now or timezone.now()
    _require_toolkit_task(task)
    require_open(task=task, student=student, now=now)
    data, errors = toolkit_from_form(values)
    if errors:
        raise ValidationError([ValidationError(error, code="invalid") for error in errors])
    return working_copy_save(task=task, student=student, data=data, revision=revision, now=now)


def toolkit_for(*, task, student):
    """The student's working copy's data, whole, empty before their first save."""
    copy = working_copy_for(task=task, student=student)
    return normalised(copy.data if copy else {})


def toolkit_snapshot(data):
    """What a handed-in version keeps: the toolkit as it stood, every part present."""
    return {"kind": Deliverable.ASSESSMENT_TOOLKIT.value, "toolkit": normalised(data)}


@transaction.atomic
def toolkit_submit(*, task, student, statement_accepted, now=None):
    """Hand in the toolkit with the presentation the student uploaded, as one version whose PDF (the blank forms,
    the criteria and the scoring sheets) the portal makes.

    Rule: every check of ``toolkit_problems`` passes and the presentation is in the draft (each failing check, and
    the missing presentation, is its own message, code "incomplete"), and the version is handed in as any is
    (statement, lateness, cut-off, all or nothing, different from the one before). The working copy is locked while
    it is read and frozen.
    """
    now = now or timezone.now()
    _require_toolkit_task(task)
    require_open(task=task, student=student, now=now)
    copy = working_copy_lock(task=task, student=student)
    data = normalised(copy.data if copy else {})
    messages = [problem.message for problem in toolkit_problems(data)]
    if not staged_files_of(task=task, student=student):
        messages.append(_("Upload your presentation (pptx or pdf) before handing in."))
    if messages:
        raise ValidationError([ValidationError(message, code="incomplete") for message in messages])
    content = toolkit_snapshot(data)

    def document(version):
        return toolkit_file_name(task=task, version=version), toolkit_pdf(
            content=content, task=task, student=student, version=version
        )

    return built_version_submit(
        task=task,
        student=student,
        statement_accepted=statement_accepted,
        content=content,
        document=document,
        require_upload=True,
        now=now,
    )
