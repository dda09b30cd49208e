"""Access helpers of case plans (see ``accounts.access`` for the conventions)."""

from django.http import Http404

from caseplans.models import CaseAssignment
from coursework.access import task_for_student
from coursework.models import Deliverable


def case_task_for_student(user, course_pk, pk):
    """A shown case plan task of a course the student attends: the task they build their plan for.

    403 for other roles (as ``task_for_student``), 404 for any other task.
    """
    task = task_for_student(user, course_pk, pk)
    if task.deliverable != Deliverable.CASE_PLAN:
        raise Http404
    return task


def case_for_student(*, task, student):
    """The case the student was given for the task, with its vignette; None before it is given.

    Only ever the student's own: nobody reads the case given to someone else through this.
    """
    return CaseAssignment.objects.filter(task=task, student=student).select_related("vignette").first()
