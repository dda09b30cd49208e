"""Every file of students' work goes out here, after the access check: one file, a task's ZIP, a portfolio's ZIP,
each streamed from storage in chunks (a folder or a private bucket), never through an address of the file itself."""

import io
from functools import partial

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from accounts.access import role_required
from accounts.models import Role
from config.responses import open_stored, private_download, stored_file_response
from coursework.access import course_for_user, task_for_staff
from portfolio.access import file_for_viewer
from portfolio.models import SubmissionFile, Version
from portfolio.receipts import INDEX_NAME, queue_index
from portfolio.selectors import queue_download
from portfolio.zipstream import safe_arcname, zip_stream


@require_GET
@login_required
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF], "object-src": [SELF]})
def file_download(request, pk):
    """PDFs may open in the page (framed by the portal's own pages only); everything else downloads.

    The browser's PDF viewer may be an embedded plugin, which ``object-src 'none'`` would refuse: the file's own
    response allows the portal's origin (it is a PDF, not a page that could embed anything else)."""
    item = file_for_viewer(request.user, pk)
    inline = item.is_pdf and request.GET.get("inline") == "1"
    return stored_file_response(item.file, filename=item.original_name, content_type=item.content_type, inline=inline)


@require_GET
@login_required
def queue_zip(request, course_pk, pk):
    """The latest submitted version of every student, streamed as one ZIP named by group and student, with an
    index at its root: who handed in what, when, how late, when they accepted the statement."""
    task = task_for_staff(request.user, course_pk, pk)
    rows = queue_download(task)
    # Written now, while the request's language is active; it is one line per student.
    index = queue_index(rows)
    entries = [(INDEX_NAME, lambda: io.BytesIO(index))]
    for row in rows:
        folder = f"{row.student.display_name} — {task.label}"
        entries += [
            (safe_arcname(row.group, folder, item.original_name), partial(open_stored, item.file)) for item in row.files
        ]
    return _zip_response(entries, f"{task.course.code} — {task.label}.zip")


@require_GET
@role_required(Role.STUDENT)
def student_portfolio_zip(request, course_pk):
    course = course_for_user(request.user, course_pk)
    latest = Version.objects.latest_submitted().filter(
        submission__student=request.user, submission__task__course=course
    )
    files = SubmissionFile.objects.filter(version__in=latest).select_related("version__submission__task")
    entries = [
        (safe_arcname(item.version.submission.task.label, item.original_name), partial(open_stored, item.file))
        for item in files.order_by("version__submission__task__position", "pk")
    ]
    return _zip_response(entries, f"{course.code} — {request.user.display_name}.zip")


def _zip_response(entries, filename):
    return private_download(
        StreamingHttpResponse(zip_stream(entries), content_type="application/zip"), filename=filename
    )
