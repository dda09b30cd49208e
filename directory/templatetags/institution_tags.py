"""What the page of an institution-report task shows a student about the institution of their report."""

from django import template
from django.utils import timezone

from coursework.models import Deliverable
from directory.forms import InstitutionAddForm
from directory.models import InstitutionReport
from directory.selectors import entries_found
from directory.text import search_words
from portfolio.services import deadline_for

register = template.Library()

FOUND_LIMIT = 10
QUERY_PARAM = "institution_q"


@register.simple_tag(takes_context=True)
def institution_panel(context):
    """For a student on an institution-report task: their choice, the entries their search finds (shown entries of
    the course's department, ten at most), whether they may still choose, and the form to add an organisation.
    None for anyone else."""
    request, task = context.get("request"), context.get("task")
    if request is None or task is None or task.deliverable != Deliverable.INSTITUTION_REPORT:
        return None
    user = request.user
    if not user.is_authenticated or not user.is_student:
        return None
    query = request.GET.get(QUERY_PARAM, "")[:200]
    found = []
    if search_words(query):
        found = list(
            entries_found(department_id=task.course.department_id, include_hidden=False, text=query)[:FOUND_LIMIT]
        )
    report = InstitutionReport.objects.filter(task=task, student=user).select_related("entry").first()
    deadline = deadline_for(task=task, student=user)
    return {
        "report": report,
        "query": query,
        "found": found,
        "searched": bool(search_words(query)),
        "is_open": not deadline.is_closed(timezone.now()),
        "cutoff_at": deadline.cutoff_at,
        "add_form": InstitutionAddForm(),
        "param": QUERY_PARAM,
    }
