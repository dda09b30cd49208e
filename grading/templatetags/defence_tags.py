"""Links from coursework's slot pages to the grading page, which coursework itself cannot know about."""

from django import template

from portfolio.models import Submission, Version

register = template.Library()


@register.simple_tag
def handed_in_work(task):
    """{student id: submission id} of the task's handed-in work: whose grading page an attendance list can open."""
    submitted = Submission.objects.filter(task=task, versions__state=Version.State.SUBMITTED).distinct()
    return dict(submitted.values_list("student_id", "pk"))


@register.filter
def submission_of(work, student_id):
    """The submission id of ``student_id`` in what ``handed_in_work`` returned, or None."""
    return work.get(student_id)
