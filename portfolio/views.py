from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from accounts.access import (
    course_for_user,
    file_for_viewer,
    role_required,
    submission_for_viewer,
    task_for_grader,
    task_for_staff,
    task_for_student,
)
from accounts.models import Role, User
from config.messages import report_errors
from coursework.models import Enrollment
from portfolio import services
from portfolio.forms import DeadlineForm, ExtensionForm, SubmitForm, UploadForm
from portfolio.models import SubmissionFile, Version
from portfolio.selectors import (
    QUEUE_SORTS,
    QUEUE_STATUSES,
    file_preview,
    selected_file,
    sort_queue,
    student_progress,
    task_queue,
)
from portfolio.zipstream import safe_arcname, zip_stream


def _task_url(task):
    return redirect("coursework:task_detail", task.course_id, task.pk)


# Student: staging and handing in ------------------------------------------------------------


@require_POST
@role_required(Role.STUDENT)
def draft_upload(request, course_pk, pk):
    task = task_for_student(request.user, course_pk, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose at least one file to upload."))
        return _task_url(task)
    try:
        services.draft_add_files(task=task, student=request.user, uploads=form.cleaned_data["files"])
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("Your files are staged in a draft. Submit the draft when it is complete."))
    return _task_url(task)


@require_POST
@role_required(Role.STUDENT)
def draft_file_remove(request, course_pk, pk, file_pk):
    task = task_for_student(request.user, course_pk, pk)
    submission_file = get_object_or_404(
        SubmissionFile.objects.select_related("version"),
        pk=file_pk,
        version__submission__task=task,
        version__submission__student=request.user,
    )
    try:
        services.draft_remove_file(submission_file=submission_file)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The file was removed from your draft."))
    return _task_url(task)


@require_POST
@role_required(Role.STUDENT)
def draft_submit(request, course_pk, pk):
    task = task_for_student(request.user, course_pk, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        report_errors(request, form)
        return _task_url(task)
    try:
        version = services.draft_submit(task=task, student=request.user, statement_accepted=True)
    except ValidationError as error:
        report_errors(request, error)
    else:
        if version.is_late:
            messages.warning(
                request,
                _("Version %(number)d was submitted after the due moment and is marked late.")
                % {"number": version.number},
            )
        else:
            messages.success(request, _("Version %(number)d was submitted.") % {"number": version.number})
    return _task_url(task)


@require_GET
@role_required(Role.STUDENT)
def student_portfolio(request, course_pk):
    course = course_for_user(request.user, course_pk)
    tasks = list(course.tasks.all())
    progress = student_progress(student=request.user, tasks=tasks)
    files = _files_by_version([p.latest for p in progress.values() if p.latest])
    rows = [(task, progress[task.pk], files.get(getattr(progress[task.pk].latest, "pk", None), [])) for task in tasks]
    return render(request, "portfolio/student_portfolio.html", {"course": course, "rows": rows})


@require_GET
@role_required(Role.STUDENT)
def student_portfolio_zip(request, course_pk):
    course = course_for_user(request.user, course_pk)
    latest = Version.objects.latest_submitted().filter(
        submission__student=request.user, submission__task__course=course
    )
    files = SubmissionFile.objects.filter(version__in=latest).select_related("version__submission__task")
    entries = [
        (safe_arcname(item.version.submission.task.label, item.original_name), item.file.open)
        for item in files.order_by("version__submission__task__position", "pk")
    ]
    name = f"{course.code} — {request.user.full_name or request.user.username}.zip"
    return _zip_response(entries, name)


# Staff: queue, submission page, deadlines -------------------------------------------------------


@require_GET
@login_required
def queue(request, course_pk, pk):
    task = task_for_staff(request.user, course_pk, pk)
    group = request.GET.get("group") or None
    status = request.GET.get("status") if request.GET.get("status") in QUEUE_STATUSES else None
    sort = request.GET.get("sort") if request.GET.get("sort") in QUEUE_SORTS else "name"
    rows = sort_queue(task_queue(task=task, group=group, status=status), sort)
    groups = (
        Enrollment.objects.filter(course_id=task.course_id)
        .order_by("academic_group")
        .values_list("academic_group", flat=True)
        .distinct()
    )
    everyone = task_queue(task=task)
    counts = {
        "enrolled": everyone.count(),
        "submitted": everyone.filter(latest_version_id__isnull=False).count(),
        "late": everyone.filter(latest_is_late=True).count(),
    }
    counts["missing"] = counts["enrolled"] - counts["submitted"]
    context = {
        "course": task.course,
        "task": task,
        "rows": rows,
        "groups": list(groups),
        "group": group,
        "status": status,
        "sort": sort,
        "counts": counts,
        "is_past_due": task.is_past_due(timezone.now()),
        "can_grade": request.user.is_superuser or request.user.role == Role.INSTRUCTOR,
        "deadline_form": DeadlineForm(initial={"due_at_override": task.due_at_override, "cutoff_at": task.cutoff_at}),
        "extension_form": ExtensionForm(students=_students(task)),
        "extensions": task.extensions.select_related("student").order_by("student__last_name"),
    }
    return render(request, "portfolio/queue.html", context)


@require_GET
@login_required
def queue_zip(request, course_pk, pk):
    """The latest submitted version of every student, streamed as one ZIP named by group and student."""
    task = task_for_staff(request.user, course_pk, pk)
    latest = Version.objects.latest_submitted().filter(submission__task=task)
    groups = dict(Enrollment.objects.filter(course_id=task.course_id).values_list("student_id", "academic_group"))
    files = (
        SubmissionFile.objects.filter(version__in=latest)
        .select_related("version__submission__student")
        .order_by("version__submission__student__last_name", "pk")
    )
    entries = []
    for item in files:
        student = item.version.submission.student
        folder = f"{student.full_name or student.username} — {task.label}"
        entries.append((safe_arcname(groups.get(student.pk, "—"), folder, item.original_name), item.file.open))
    return _zip_response(entries, f"{task.course.code} — {task.label}.zip")


@require_GET
@login_required
def submission_detail(request, pk):
    submission = submission_for_viewer(request.user, pk)
    is_owner = submission.student_id == request.user.pk
    versions = submission.versions.order_by("-number").prefetch_related("files")
    if not is_owner:
        versions = versions.filter(state=Version.State.SUBMITTED)
    versions = list(versions)
    if not versions:
        raise Http404
    selected = selected_file(versions, request.GET.get("file"))
    preview = file_preview(selected)
    enrollment = Enrollment.objects.filter(course_id=submission.task.course_id, student=submission.student).first()
    context = {
        "course": submission.task.course,
        "task": submission.task,
        "submission": submission,
        "versions": versions,
        "selected": selected,
        "preview": preview,
        "enrollment": enrollment,
        "is_owner": is_owner,
    }
    return render(request, "portfolio/submission_detail.html", context)


@require_GET
@login_required
@xframe_options_sameorigin
def file_download(request, pk):
    """Every file goes out here, after the access check: PDFs may open in the page, the rest download."""
    item = file_for_viewer(request.user, pk)
    inline = item.is_pdf and request.GET.get("inline") == "1"
    response = FileResponse(
        item.file.open("rb"), as_attachment=not inline, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def deadline_update(request, course_pk, pk):
    task = task_for_grader(request.user, course_pk, pk)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.task_set_deadline(task=task, **form.cleaned_data)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The task's deadline was saved."))
    else:
        report_errors(request, form)
    return redirect("portfolio:queue", task.course_id, task.pk)


@require_POST
@login_required
def extension_grant(request, course_pk, pk):
    task = task_for_grader(request.user, course_pk, pk)
    form = ExtensionForm(request.POST, students=_students(task))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.extension_grant(
                task=task,
                student=data["student"],
                due_at=data["due_at"],
                cutoff_at=data["cutoff_at"],
                reason=data["reason"],
                granted_by=request.user,
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(
                request,
                _("%(student)s now has until %(moment)s.")
                % {
                    "student": data["student"].full_name,
                    "moment": timezone.localtime(data["due_at"]).strftime("%d.%m.%Y %H:%M"),
                },
            )
    else:
        report_errors(request, form)
    return redirect("portfolio:queue", task.course_id, task.pk)


# Helpers --------------------------------------------------------------------------------------


def _students(task):
    return User.objects.filter(enrollments__course_id=task.course_id).order_by("last_name", "first_name")


def _files_by_version(versions):
    files = {}
    for item in SubmissionFile.objects.filter(version__in=versions):
        files.setdefault(item.version_id, []).append(item)
    return files


def _zip_response(entries, filename):
    response = StreamingHttpResponse(zip_stream(entries), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
