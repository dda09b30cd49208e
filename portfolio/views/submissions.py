"""One student's work on one task: every version, its files, and a preview of the chosen file."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coursework.models import Enrollment
from portfolio.access import submission_for_viewer
from portfolio.contents import content_template_for
from portfolio.models import Version
from portfolio.selectors import file_preview, selected_file


@require_GET
@login_required
def submission_detail(request, pk):
    """The student sees their drafts too; staff see handed-in versions only."""
    submission = submission_for_viewer(request.user, pk)
    is_owner = submission.student_id == request.user.pk
    versions = submission.versions.order_by("-number").prefetch_related("files")
    if not is_owner:
        versions = versions.filter(state=Version.State.SUBMITTED)
    versions = list(versions)
    if not versions:
        raise Http404
    selected = selected_file(versions, request.GET.get("file"))
    context = {
        "course": submission.task.course,
        "task": submission.task,
        "submission": submission,
        "versions": versions,
        "selected": selected,
        "preview": file_preview(selected),
        "content_template": content_template_for(selected.version if selected else None),
        "enrollment": Enrollment.objects.filter(
            course_id=submission.task.course_id, student=submission.student
        ).first(),
        "is_owner": is_owner,
    }
    return render(request, "portfolio/submission_detail.html", context)
