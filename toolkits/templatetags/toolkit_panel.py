"""What the page of an assessment toolkit task shows about the toolkit: a student's way to their own page, with how
far they are, or a short note for the staff."""

from django import template

from coursework.access import reviews, teaches
from coursework.models import Deliverable
from portfolio.selectors import working_copy_for

register = template.Library()


@register.simple_tag(takes_context=True)
def toolkit_panel(context):
    """For a student on an assessment toolkit task: their working copy (or None before their first save). For the
    course's instructors and its department's admin: a panel with a note. None for anyone else and any other task."""
    request, task = context.get("request"), context.get("task")
    if request is None or task is None or task.deliverable != Deliverable.ASSESSMENT_TOOLKIT:
        return None
    user = request.user
    if not user.is_authenticated:
        return None
    if user.is_student:
        return {"is_student": True, "saved": working_copy_for(task=task, student=user)}
    if teaches(user, task.course) or reviews(user, task.course):
        return {"is_student": False}
    return None
