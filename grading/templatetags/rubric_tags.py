from types import SimpleNamespace

from django import template

from grading.models import Rubric

register = template.Library()


@register.simple_tag
def task_rubric_choices(user, assignment):
    """For a task's queue page: the rubrics the person may attach, and the task's current one (one query)."""
    rubrics = list(Rubric.objects.usable_by(user))
    current = next((rubric for rubric in rubrics if rubric.pk == assignment.rubric_id), None)
    if current is None and assignment.rubric_id:
        current = assignment.rubric
    return SimpleNamespace(rubrics=rubrics, current=current)
