"""What the page of a case plan task shows about cases: a student's own case and their plan, or the staff's way to
the cases."""

from django import template

from caseplans.access import case_for_student
from caseplans.services import plan_for
from coursework.access import teaches
from coursework.models import Deliverable

register = template.Library()


@register.simple_tag(takes_context=True)
def case_panel(context):
    """For a student on a case plan task: the case given to them (or None) and their working copy (or None). For
    the course's instructors: that they may hand cases out. None for anyone else and any other task."""
    request, task = context.get("request"), context.get("task")
    if request is None or task is None or task.deliverable != Deliverable.CASE_PLAN:
        return None
    user = request.user
    if not user.is_authenticated:
        return None
    if user.is_student:
        return {
            "is_student": True,
            "assignment": case_for_student(task=task, student=user),
            "plan": plan_for(task=task, student=user),
        }
    if teaches(user, task.course):
        return {"is_student": False}
    return None
