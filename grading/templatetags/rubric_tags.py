from types import SimpleNamespace

from django import template
from django.utils.translation import get_language

from accounts.i18n import DEFAULT_LANGUAGE
from grading.models import Rubric

register = template.Library()


@register.simple_tag
def task_rubric_choices(user, task):
    """For a task's queue page: the rubrics the person may attach, and the task's current one (one query)."""
    rubrics = list(Rubric.objects.usable_by(user))
    current = next((rubric for rubric in rubrics if rubric.pk == task.rubric_id), None)
    if current is None and task.rubric_id:
        current = task.rubric
    return SimpleNamespace(rubrics=rubrics, current=current)


@register.filter
def reader_language(titles, fallback=""):
    """A title kept in every language ({"kk": …, "ru": …, "en": …}, as grade history keeps them) in the reader's
    language; Kazakh when that one is empty, ``fallback`` for history written before titles were kept so."""
    titles = titles or {}
    return titles.get((get_language() or DEFAULT_LANGUAGE).split("-")[0]) or titles.get(DEFAULT_LANGUAGE) or fallback
