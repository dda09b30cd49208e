from types import SimpleNamespace

from django import template

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
