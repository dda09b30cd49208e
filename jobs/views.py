"""Asking for a long file, following it, fetching it. Starting is a POST that answers at once with the job's page;
the page shows progress (polling its status) and then the link."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from accounts.models import Role
from config.responses import stored_file_response
from coursework.access import course_for_staff, task_for_staff
from jobs.access import job_for_requester
from jobs.models import Job
from jobs.queue import job_start
from portfolio.storing import STORAGE_ERRORS

logger = logging.getLogger("portal.jobs")

COURSE_KINDS = {"pdf": Job.Kind.COURSE_PDF, "xlsx": Job.Kind.COURSE_XLSX}
DEPARTMENT_KINDS = {"pdf": Job.Kind.DEPARTMENT_PDF, "xlsx": Job.Kind.DEPARTMENT_XLSX}


def _kind(kinds, key):
    if key not in kinds:
        raise Http404
    return kinds[key]


@require_POST
@login_required
def course_export(request, course_pk, kind):
    """The course's gradebook (or one academic group's) as PDF or Excel, for the course's staff."""
    course = course_for_staff(request.user, course_pk)
    job_kind = _kind(COURSE_KINDS, kind)
    group = request.POST.get("group", "")
    if group and not course.enrollments.filter(academic_group=group).exists():
        messages.error(request, _("The course has no academic group “%(group)s”.") % {"group": group})
        return redirect("grading:gradebook", course.pk)
    job = job_start(kind=job_kind, user=request.user, language=translation.get_language(), course=course, group=group)
    return redirect("jobs:job", job.pk)


@require_POST
@role_required(Role.DEPARTMENT_ADMIN)
def department_export(request, kind):
    """Every course of the department's gradebook in one file, for its admin."""
    job_kind = _kind(DEPARTMENT_KINDS, kind)
    if request.user.department is None:
        raise Http404
    job = job_start(
        kind=job_kind, user=request.user, language=translation.get_language(), department=request.user.department
    )
    return redirect("jobs:job", job.pk)


@require_POST
@login_required
def feedback_export(request, course_pk, pk):
    """The feedback PDF of every graded hand-in of a task, in one ZIP, for the course's staff."""
    task = task_for_staff(request.user, course_pk, pk)
    job = job_start(kind=Job.Kind.FEEDBACK_ZIP, user=request.user, language=translation.get_language(), task=task)
    return redirect("jobs:job", job.pk)


def _subject(job):
    """What the file is of, and where the person came from (the page's way back and its "prepare again")."""
    if job.course_id:
        back = reverse("grading:gradebook", args=[job.course_id])
        again = reverse("jobs:course_export", args=[job.course_id, job.kind.removeprefix("course_")])
        title = f"{job.course.code} · {job.course.display_title}"
        return {"title": title, "group": job.group, "back": back, "again": again}
    if job.task_id:
        course = job.task.course
        back = reverse("grading:queue", args=[course.pk, job.task_id])
        again = reverse("jobs:feedback_export", args=[course.pk, job.task_id])
        return {"title": f"{course.code} · {job.task.label}", "back": back, "again": again}
    back = reverse("grading:department_home")
    again = reverse("jobs:department_export", args=[job.kind.removeprefix("department_")])
    return {"title": job.department.display_name, "back": back, "again": again}


@require_GET
@login_required
def job_detail(request, pk):
    job = job_for_requester(request.user, pk)
    return render(request, "jobs/job.html", {"job": job, "subject": _subject(job)})


@require_GET
@login_required
def job_status(request, pk):
    job = job_for_requester(request.user, pk)
    done = job.state == Job.State.DONE
    return JsonResponse(
        {
            "state": job.state,
            "label": job.get_state_display(),
            "done": job.steps_done,
            "total": job.steps_total,
            "download": reverse("jobs:download", args=[job.pk]) if done else None,
        },
        headers={"Cache-Control": "private, no-store"},
    )


@require_GET
@login_required
def job_download(request, pk):
    job = job_for_requester(request.user, pk)
    if job.state != Job.State.DONE or not job.file:
        raise Http404
    try:
        return stored_file_response(job.file, filename=job.filename, content_type=job.content_type)
    except STORAGE_ERRORS:
        # Gone from the storage (a restore without it, a race with its expiry): the page offers to prepare it again.
        logger.warning("job file not found in storage", extra={"job": job.pk})
        Job.objects.filter(pk=job.pk, state=Job.State.DONE).update(state=Job.State.EXPIRED, file="")
        return redirect("jobs:job", job.pk)
