"""Access helpers of the assessment toolkit (see ``accounts.access`` for the conventions)."""

from django.http import Http404

from coursework.access import task_for_student
from coursework.models import Deliverable


def toolkit_task_for_student(user, course_pk, pk):
    """A shown assessment toolkit task of a course the student attends: the task they build their toolkit for.

    403 for other roles (as ``task_for_student``), 404 for any other task.
    """
    task = task_for_student(user, course_pk, pk)
    if task.deliverable != Deliverable.ASSESSMENT_TOOLKIT:
        raise Http404
    return task
