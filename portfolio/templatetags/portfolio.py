from django import template
from django.utils.translation import ngettext

from coursework.access import reviews, teaches
from portfolio.contents import content_template_for
from portfolio.previews import word_count
from portfolio.selectors import working_copy_saved

register = template.Library()


@register.filter
def content_template(version):
    """The template its building app registered for the version's content (portfolio.contents), or None."""
    return content_template_for(version)


@register.filter
def duration_words(delta):
    """How late, in words: "2 days 3 hours" ("2 күн 3 сағат"); minutes only under an hour."""
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 60 * 24)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if not days and (minutes or not parts):
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})
    return " ".join(parts)


@register.filter
def word_total(preview):
    return word_count(preview) if preview else 0


@register.simple_tag(takes_context=True)
def built_panel(context, deliverable):
    """What the page of a task whose ``deliverable`` is built in the portal shows about the work: for a student, their
    working copy (or None before their first save); for the course's instructors and its department's admin, a panel
    with a note. None for anyone else and any other task."""
    request, task = context.get("request"), context.get("task")
    if request is None or task is None or task.deliverable != deliverable:
        return None
    user = request.user
    if not user.is_authenticated:
        return None
    if user.is_student:
        return {"is_student": True, "saved": working_copy_saved(task=task, student=user)}
    if teaches(user, task.course) or reviews(user, task.course):
        return {"is_student": False}
    return None
