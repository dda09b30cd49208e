"""Workflows of handing in a portfolio: staging a draft, submitting it, extensions and cut-offs."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coursework.models import Extension
from portfolio.models import Submission, SubmissionFile, Version
from portfolio.validation import EXTENSIONS_BY_DELIVERABLE, check_total_size, check_upload


def deadline_for(*, task, student):
    """The due moment and cut-off that apply to this student, after any extension."""
    extension = Extension.objects.filter(task=task, student=student).first()
    return task.deadline_for(extension)


def _sha256(uploaded):
    digest = getattr(uploaded, "sha256", "")
    if digest:
        return digest
    hasher = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        hasher.update(chunk)
    uploaded.seek(0)
    return hasher.hexdigest()


def _refuse_if_closed(deadline, now):
    if deadline.is_closed(now):
        raise ValidationError(
            _("Submissions for this task closed on %(moment)s.")
            % {"moment": timezone.localtime(deadline.cutoff_at).strftime("%d.%m.%Y %H:%M")},
            code="closed",
        )


def draft_add_files(*, task, student, uploads, now=None):
    """Stage files in the student's draft of this task, creating the draft if needed.

    Rule: every file is checked (type by content, size, archive limits) before anything is
    stored; then all files and their rows are written together. If anything fails, no row and
    no stored file is left behind.
    """
    now = now or timezone.now()
    _refuse_if_closed(deadline_for(task=task, student=student), now)
    if not uploads:
        raise ValidationError(_("Choose at least one file to upload."), code="no_files")
    allowed = EXTENSIONS_BY_DELIVERABLE[task.deliverable]
    checked = [
        (upload, check_upload(upload, allowed_extensions=allowed, max_size=settings.PORTFOLIO_MAX_FILE_SIZE))
        for upload in uploads
    ]
    stored = []
    try:
        with transaction.atomic():
            submission, _created = Submission.objects.get_or_create(task=task, student=student)
            # Serialise concurrent uploads of the same student for the same task.
            Submission.objects.select_for_update().filter(pk=submission.pk).first()
            draft = submission.versions.filter(state=Version.State.DRAFT).first()
            if draft is None:
                last = submission.versions.aggregate(last=Max("number"))["last"] or 0
                draft = Version.objects.create(submission=submission, number=last + 1)
            existing = list(draft.files.values_list("size", flat=True))
            if len(existing) + len(checked) > settings.PORTFOLIO_MAX_FILES:
                raise ValidationError(
                    _("A version can hold at most %(count)d files.") % {"count": settings.PORTFOLIO_MAX_FILES},
                    code="too_many_files",
                )
            check_total_size(
                [*existing, *(info.size for _upload, info in checked)],
                max_total=settings.PORTFOLIO_MAX_SUBMISSION_SIZE,
            )
            for upload, info in checked:
                row = SubmissionFile(
                    version=draft,
                    original_name=info.original_name,
                    extension=info.extension,
                    content_type=info.content_type,
                    size=info.size,
                    sha256=_sha256(upload),
                )
                upload.seek(0)
                row.file.save(f"upload.{info.extension}", upload, save=False)
                stored.append(row.file.name)
                row.save()
    except BaseException:
        for name in stored:
            SubmissionFile._meta.get_field("file").storage.delete(name)
        raise
    return draft


@transaction.atomic
def draft_remove_file(*, submission_file):
    """Take a file out of a draft. Files of submitted versions are never removed."""
    if not submission_file.version.is_draft:
        raise ValidationError(_("Files of a submitted version cannot be removed."), code="submitted")
    name = submission_file.file.name
    storage = submission_file.file.storage
    submission_file.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def draft_submit(*, task, student, statement_accepted, now=None):
    """Hand in the draft as the student's newest version.

    Rule: the student ticks the statement every time (own work; real clients de-identified).
    Past the due moment the version is accepted and flagged late with how late; past the
    cut-off (the student's own, if they have an extension) nothing is accepted.
    """
    now = now or timezone.now()
    deadline = deadline_for(task=task, student=student)
    _refuse_if_closed(deadline, now)
    if not statement_accepted:
        raise ValidationError(
            _("Confirm that the work is your own and that every real client in it is de-identified."),
            code="statement",
        )
    draft = (
        Version.objects.select_for_update()
        .filter(submission__task=task, submission__student=student, state=Version.State.DRAFT)
        .first()
    )
    if draft is None or not draft.files.exists():
        raise ValidationError(_("Upload at least one file before submitting."), code="empty_draft")
    draft.state = Version.State.SUBMITTED
    draft.submitted_at = now
    draft.due_at = deadline.due_at
    draft.is_late = deadline.is_late(now)
    draft.late_by = deadline.lateness(now) if draft.is_late else None
    draft.statement_accepted = True
    Version.objects.filter(submission_id=draft.submission_id, is_latest=True).update(is_latest=False)
    draft.is_latest = True
    draft.save()
    task.course.mark_results_changed()
    return draft


@transaction.atomic
def extension_grant(*, task, student, due_at, cutoff_at=None, reason="", granted_by):
    """Give one student their own due moment (and cut-off) for a task; granting again replaces it."""
    if not task.course.enrollments.filter(student=student).exists():
        raise ValidationError(_("This student is not enrolled in the course."), code="not_enrolled")
    if cutoff_at is not None and cutoff_at < due_at:
        raise ValidationError(_("The cut-off cannot come before the new due moment."), code="cutoff_before_due")
    extension, _created = Extension.objects.update_or_create(
        task=task,
        student=student,
        defaults={"due_at": due_at, "cutoff_at": cutoff_at, "reason": reason, "granted_by": granted_by},
    )
    task.course.mark_results_changed()
    return extension


@transaction.atomic
def task_set_deadline(*, task, due_at_override, cutoff_at):
    """Set a task's own due moment (or go back to the end of its week) and its cut-off."""
    task.due_at_override = due_at_override
    task.cutoff_at = cutoff_at
    task.full_clean()
    task.save(update_fields=["due_at_override", "cutoff_at"])
    task.course.mark_results_changed()
    return task
