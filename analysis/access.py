"""Access helpers of the analytical work (see ``accounts.access`` for the conventions)."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from coursework.access import task_for_student
from coursework.models import Deliverable
from portfolio.models import SubmissionFile, Version


def comparison_task_for_student(user, course_pk, pk):
    """A shown model comparison task of a course the student attends: the task they build their analysis for.

    403 for other roles (as ``task_for_student``), 404 for any other task.
    """
    task = task_for_student(user, course_pk, pk)
    if task.deliverable != Deliverable.MODEL_COMPARISON:
        raise Http404
    return task


def report_for_student(*, task, student, pk):
    """A report the student uploaded that the next hand-in of the task carries: a file of their draft, or of their
    latest version (which a new draft starts from). 404 for anything else: another student's file, another task's,
    an older version's, or the PDF the portal made."""
    return get_object_or_404(
        SubmissionFile.objects.select_related("version__submission").filter(
            Q(version__state=Version.State.DRAFT) | Q(version__is_latest=True),
            version__submission__task=task,
            version__submission__student=student,
            is_generated=False,
        ),
        pk=pk,
    )
