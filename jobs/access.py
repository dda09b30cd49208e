"""Who may see a job: the person who asked for it, while they may still read what it is made of."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from coursework.models import Course
from jobs.models import Job
from jobs.tasks import job_expire


def job_for_requester(user, pk):
    """The job, for its requester; 404 for anyone else, and for a requester who has since lost access to the course
    or department (a file of grades is read under the same rule as the gradebook). A file past its time is deleted
    first, so the job is seen as expired."""
    job = get_object_or_404(
        Job.objects.select_related("course", "department", "task__course", "requested_by"), pk=pk, requested_by=user
    )
    if not _still_allowed(user, job):
        raise Http404
    job_expire(job)
    return job


def _still_allowed(user, job):
    staffed = Course.objects.staffed_by(user)
    if job.course_id:
        return staffed.filter(pk=job.course_id).exists()
    if job.task_id:
        return staffed.filter(pk=job.task.course_id).exists()
    return user.is_superuser or (user.is_department_admin and user.department_id == job.department_id)
