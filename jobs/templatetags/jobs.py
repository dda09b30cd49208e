"""The files a person asked for lately, where they asked for them (the gradebook, the department's page)."""

from django import template
from django.db.models import Q
from django.utils import timezone

from jobs.models import Job

register = template.Library()

SHOWN = 5


@register.inclusion_tag("jobs/includes/recent.html")
def recent_jobs(user, *, course=None, department=None):
    """The person's last files of the course (any group) or of the department, while they can still be fetched or
    are under way."""
    jobs = Job.objects.filter(requested_by=user).exclude(state=Job.State.EXPIRED)
    jobs = jobs.filter(course=course) if course is not None else jobs.filter(department=department, course=None)
    jobs = jobs.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    return {"jobs": list(jobs.order_by("-created_at")[:SHOWN])}
