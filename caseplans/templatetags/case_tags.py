"""What the page of a case plan task shows about cases: a student's own case and their plan, or the staff's way to
the cases."""

from django import template

from caseplans.access import case_for_student
from coursework.access import reviews, teaches
from coursework.models import Deliverable
from portfolio.selectors import working_copy_saved

register = template.Library()


@register.simple_tag(takes_context=True)
def case_panel(context):
    """For a student on a case plan task: the case given to them (or None) and their working copy (or None). For the
    course's instructors and its department's admin: the way to the cases pages, and whether they hand cases out.
    None for anyone else and any other task."""
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
            "plan": working_copy_saved(task=task, student=user),  # the panel says when it was saved
        }
    if teaches(user, task.course):
        return {"is_student": False, "hands_out": True}
    if reviews(user, task.course):  # the department's admin reads the cases pages
        return {"is_student": False, "hands_out": False}
    return None
