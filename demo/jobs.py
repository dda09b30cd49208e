"""Files prepared in the background, in the demo: the instructor's grade sheet of the course and the department
admin's workbook of every course, each listed on its page with its link."""

from django.utils import translation

from accounts.i18n import DEFAULT_LANGUAGE
from jobs.models import Job
from jobs.queue import job_start


def demo_jobs(*, course, instructor, dept_admin):
    """Ask for the two files unless they were asked for already (and have not expired)."""
    wanted = [
        (instructor, {"kind": Job.Kind.COURSE_PDF, "course": course}),
        (dept_admin, {"kind": Job.Kind.DEPARTMENT_XLSX, "department": course.department}),
    ]
    with translation.override(DEFAULT_LANGUAGE):
        for user, subject in wanted:
            if not Job.objects.filter(requested_by=user, **subject).exclude(state=Job.State.EXPIRED).exists():
                job_start(user=user, language=DEFAULT_LANGUAGE, **subject)
