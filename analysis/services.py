"""Workflows of СӨЖ 4's analytical work: saving the comparison, SWOT and references as they are typed, handing
them in with the report."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.data import analysis_from_form, analysis_problems, normalised
from analysis.documents import analysis_file_name, analysis_pdf
from analysis.references import formatted_references
from coursework.models import Deliverable
from portfolio.selectors import working_copy_for
from portfolio.services import (
    built_version_submit,
    require_open,
    working_copy_lock,
    working_copy_save,
)


def _require_comparison_task(task):
    if task.deliverable != Deliverable.MODEL_COMPARISON:
        raise ValidationError(_("This page is for the model comparison task."), code="not_comparison")


def analysis_save(*, task, student, values, revision=None, now=None):
    """Save the student's working copy from the page's form values; the saved copy.

    Rule: until the task closes; what cannot be kept whole (a text over its limit, too many rows) is refused and
    nothing is saved; a page that started from an older revision than the newest saves nothing ("stale").
    """
    now = now or timezone.now()
    _require_comparison_task(task)
    require_open(task=task, student=student, now=now)
    data, errors = analysis_from_form(values)
    if errors:
        raise ValidationError(errors, code="too_long")
    return working_copy_save(task=task, student=student, data=data, revision=revision, now=now)


def analysis_for(*, task, student):
    """The student's working copy's data, whole, empty before their first save."""
    copy = working_copy_for(task=task, student=student)
    return normalised(copy.data if copy else {})


def analysis_snapshot(*, course, data):
    """What a handed-in version keeps: the parts as they stood, and the references formatted and sorted in the
    course's style, so the printed list never changes after hand-in."""
    data = normalised(data)
    return {
        "kind": Deliverable.MODEL_COMPARISON,
        "analysis": data,
        "reference_style": course.reference_style,
        "references_formatted": formatted_references(data["references"], style=course.reference_style),
    }


@transaction.atomic
def analysis_submit(*, task, student, statement_accepted, now=None):
    """Hand in the comparison, the SWOT and the references with the report the student uploaded, as one version
    whose PDF the portal makes.

    Rule: every check of ``analysis_problems`` passes (each failing check is a message), the report is in the draft,
    and the version is handed in as any is (statement, lateness, cut-off, all or nothing, different from the one
    before). The working copy is locked while it is read and frozen.
    """
    now = now or timezone.now()
    _require_comparison_task(task)
    require_open(task=task, student=student, now=now)
    copy = working_copy_lock(task=task, student=student)
    data = normalised(copy.data if copy else {})
    problems = analysis_problems(data, today=timezone.localdate(now))
    if problems:
        raise ValidationError([problem.message for problem in problems], code="incomplete")
    content = analysis_snapshot(course=task.course, data=data)

    def document(version):
        return analysis_file_name(task=task, version=version), analysis_pdf(
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
