"""Workflows of handing in a portfolio: staging a draft, submitting it, extensions and cut-offs."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from coursework.models import Deliverable, Extension
from portfolio.counts import document_counts
from portfolio.locking import conflicts_refused, lock_draft
from portfolio.models import RepositoryRow, SubmissionFile, Version, WorkingCopy
from portfolio.previews.stored import upload_preview_store
from portfolio.repository.check import check_repository, repository_row_objects
from portfolio.signals import version_submitted
from portfolio.storing import storing
from portfolio.uploads import upload_sha256
from portfolio.validation import EXTENSIONS_BY_DELIVERABLE, check_total_size, check_upload


def deadline_for(*, task, student):
    """The due moment and cut-off that apply to this student, after any extension."""
    extension = Extension.objects.filter(task=task, student=student).first()
    return task.deadline_for(extension)


def require_open(*, task, student, now):
    """Refuse (code "closed") once ``task`` is closed to ``student``: a save or hand-in of work built in the portal."""
    if deadline_for(task=task, student=student).is_closed(now):
        raise ValidationError(_("Submissions for this task are closed."), code="closed")


def _refuse_if_closed(deadline, now):
    if deadline.is_closed(now):
        raise ValidationError(
            _("Submissions for this task closed on %(moment)s.")
            % {"moment": timezone.localtime(deadline.cutoff_at).strftime("%d.%m.%Y %H:%M")},
            code="closed",
        )


@dataclass(frozen=True)
class _Checked:
    """An upload that passed its checks: what the check found, and its pages and words when it is a text document
    (its slides and their titles when it is a presentation)."""

    upload: object
    info: object
    counts: object


def _check_uploads(task, uploads):
    """Check every upload, and count a text document's pages and words or a presentation's slides, before any
    transaction is opened: reading a long PDF's text takes seconds, which should not be spent holding the student's
    submission locked.

    Parsing is the costly part (up to the count's and the preview's time budgets, per file), so it comes last: the
    number of files, each file's kind and size, and their total size are refused first, with the messages ``_stage``
    gives, so one request can never cost more than the limit's number of files parsed."""
    _refuse_too_many_files(len(uploads))
    allowed = EXTENSIONS_BY_DELIVERABLE[task.deliverable]
    infos = [
        check_upload(upload, allowed_extensions=allowed, max_size=settings.PORTFOLIO_MAX_FILE_SIZE)
        for upload in uploads
    ]
    check_total_size([info.size for info in infos], max_total=settings.PORTFOLIO_MAX_SUBMISSION_SIZE)
    checked = []
    for upload, info in zip(uploads, infos, strict=True):
        counts = document_counts(upload, info.extension)
        upload_preview_store(upload=upload, extension=info.extension)  # kept by content, built once
        upload.seek(0)
        checked.append(_Checked(upload, info, counts))
    return checked


def _refuse_too_many_files(count):
    if count > settings.PORTFOLIO_MAX_FILES:
        raise ValidationError(
            _("A version can hold at most %(count)d files.") % {"count": settings.PORTFOLIO_MAX_FILES},
            code="too_many_files",
        )


def _require_statement(statement_accepted):
    if not statement_accepted:
        raise ValidationError(
            _("Confirm that the work is your own and that every real client in it is de-identified."),
            code="statement",
        )


def _locked(task, student):
    """``lock_draft``, with the submission knowing its task and student: the caller has them already, and the rows
    written next (a draft's files, named by ``stored_name`` after the task) read them from it."""
    submission, draft, latest = lock_draft(task=task, student=student)
    submission.task, submission.student = task, student
    return submission, draft, latest


def _draft(submission, draft, latest, staging, leave_out=None):
    """The submission's draft (``draft``, found under the lock), or a new one. A new draft is numbered after
    ``latest``, the latest version handed in: with no draft, it is the newest version (each is numbered after the
    one before when made, and handed in as the latest). It starts with copies of ``latest``'s files (all but
    ``leave_out``), each stored under a new name, so nothing done to the draft touches the version."""
    if draft is not None:
        return draft
    if latest is None:  # the first draft, or versions none of which is marked the latest: numbered after them all
        last = submission.versions.aggregate(last=Max("number"))["last"] or 0
        return Version.objects.create(submission=submission, number=last + 1)
    draft = Version.objects.create(submission=submission, number=latest.number + 1)
    # Only files the task still takes: a task whose kind changed (СӨЖ 3 once took any document, now a presentation)
    # does not carry the old ones into its next version.
    previous = SubmissionFile.objects.filter(
        version=latest,
        is_generated=False,
        extension__in=EXTENSIONS_BY_DELIVERABLE[submission.task.deliverable],
    )
    for item in previous.exclude(pk=getattr(leave_out, "pk", None)):
        copy = SubmissionFile(
            version=draft,
            original_name=item.original_name,
            extension=item.extension,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            carried_over=True,
            page_count=item.page_count,
            word_count=item.word_count,
            pages_estimated=item.pages_estimated,
            slide_titles=item.slide_titles,
        )
        with staging.open(item.file) as source:
            staging.store(copy, source)
    return draft


def _stage(draft, checked, staging):
    """Add checked uploads to the draft within the per-version limits; a name already in it is refused. Each text
    document keeps the pages and words counted when it was checked, a presentation its slides and their titles
    (``portfolio.counts``)."""
    existing = list(draft.files.order_by().values_list("original_name", "size"))  # in no order: no join
    _refuse_too_many_files(len(existing) + len(checked))
    check_total_size(
        [*(size for _name, size in existing), *(item.info.size for item in checked)],
        max_total=settings.PORTFOLIO_MAX_SUBMISSION_SIZE,
    )
    # Two files of one name in a version is nearly always an old copy left beside its replacement.
    names = {name.casefold() for name, _size in existing}
    for item in checked:
        if item.info.original_name.casefold() in names:
            raise ValidationError(
                _("A file named %(name)s is already in this version; remove it first if the new one replaces it.")
                % {"name": item.info.original_name},
                code="duplicate_name",
            )
        names.add(item.info.original_name.casefold())
    for item in checked:
        row = SubmissionFile(
            version=draft,
            original_name=item.info.original_name,
            extension=item.info.extension,
            content_type=item.info.content_type,
            size=item.info.size,
            sha256=upload_sha256(item.upload),
            page_count=item.counts.pages,
            word_count=item.counts.words,
            pages_estimated=item.counts.pages_estimated,
            slide_titles=list(item.counts.titles),
        )
        item.upload.seek(0)
        staging.store(row, item.upload)


def _contents(files):
    """What the student put in a version, given its ``files``: their names and hashes (not the documents the portal
    made)."""
    return sorted((item.original_name, item.sha256) for item in files if not item.is_generated)


@conflicts_refused
def draft_add_files(*, task, student, uploads, now=None):
    """Stage files in the student's draft of this task, creating the draft if needed.

    Rule: every file is checked (type by content, size, archive limits, a name not already in the draft)
    before anything is stored; then all files and their rows are written together. A new draft starts
    from copies of the latest submitted version's files. If anything fails, no row and no stored file is
    left behind. The draft is locked while its files are counted and added, so a hand-in at the same moment
    takes the draft as it was before or after, never half.
    """
    now = now or timezone.now()
    if not EXTENSIONS_BY_DELIVERABLE[task.deliverable]:
        _refuse_if_built_in_portal(task)
    _refuse_if_closed(deadline_for(task=task, student=student), now)
    if not uploads:
        raise ValidationError(_("Choose at least one file to upload."), code="no_files")
    checked = _check_uploads(task, uploads)
    with storing() as staging:
        submission, draft, latest = _locked(task, student)
        draft = _draft(submission, draft, latest, staging)
        if task.is_built_in_portal:
            _refuse_a_second_file(draft, checked)
        _stage(draft, checked, staging)
    return draft


def _refuse_a_second_file(draft, checked):
    """Work built in the portal takes one file of the student's beside it (СӨЖ 4's report, СӨЖ 3's presentation)."""
    if draft.files.filter(is_generated=False).count() + len(checked) > 1:
        raise ValidationError(
            _("This work takes one file of yours: remove the one that is here first to upload another."),
            code="one_file_only",
        )


@conflicts_refused
def draft_remove_file(*, submission_file, now=None):
    """Take a file out of the student's draft. Files of a submitted version are never removed.

    Before a draft exists, the hand-in panel shows the latest version's files as the start of the next one:
    removing one of them starts the draft from the others, and the version keeps its own file.

    Rule: the file is looked at again with the draft locked. One that was in the draft when the page asked but has
    been handed in or removed since (by another tab, at the same moment) is refused (code "gone"): a version keeps
    every file that was in the draft when it was handed in, and its stored file with it.
    """
    version = submission_file.version
    task, student = version.submission.task, version.submission.student
    if not version.is_draft:
        _refuse_if_closed(deadline_for(task=task, student=student), now or timezone.now())
    with storing() as staging:
        submission, draft, latest = _locked(task, student)
        if version.is_draft:
            if draft is None or not _remove(submission_file, draft):
                raise ValidationError(
                    _(
                        "This file is no longer in your draft: it was handed in or removed in the meantime. Reload "
                        "the page to see your work as it is now."
                    ),
                    code="gone",
                )
            return draft
        if draft is not None or latest is None or latest.pk != version.pk:
            raise ValidationError(_("Files of a submitted version cannot be removed."), code="submitted")
        return _draft(submission, draft, latest, staging, leave_out=submission_file)


def _remove(submission_file, draft):
    """Delete the file from ``draft`` if it is in it still: its row now, its stored file once the deletion has
    committed; whether it was. A storage refusing that deletion is logged, not the student's concern: the file is an
    orphan ``clean_uploads`` removes."""
    name = submission_file.file.name
    storage = submission_file.file.storage
    deleted, _by_model = draft.files.filter(pk=submission_file.pk).delete()
    if deleted:
        transaction.on_commit(lambda: storage.delete(name), robust=True)
    return bool(deleted)


@conflicts_refused
def draft_submit(*, task, student, statement_accepted, uploads=(), now=None):
    """Hand in the draft, with the files picked in the same step, as the student's newest version.

    Rule: all or nothing. The statement (own work; real clients de-identified) is ticked every time and every
    picked file is checked before anything is stored; the files are staged as ``draft_add_files`` stages them
    and the draft is submitted in one transaction, so if anything fails nothing is stored and no version is
    submitted. A version must hold a file and must differ from the one before. Past the due moment the version
    is accepted and flagged late with how late; past the cut-off (the student's own, if they have an
    extension) nothing is accepted.

    A service repository is checked row by row as it is handed in: the report is kept with the version, whatever
    the file holds, and the valid rows are stored with it all at once. Then ``version_submitted`` is sent, for every
    task, with the version this one replaces as latest. The draft is locked from the moment it is read until the
    version is frozen, so the version holds exactly the files the draft held then: a removal or an upload at the
    same moment waits, and then finds the draft handed in. The version comes back with its files read.
    """
    now = now or timezone.now()
    _refuse_if_built_in_portal(task)
    deadline = deadline_for(task=task, student=student)
    _refuse_if_closed(deadline, now)
    _require_statement(statement_accepted)
    checked = _check_uploads(task, uploads)
    with storing() as staging:
        submission, draft, previous = _locked(task, student)
        if checked:
            draft = _draft(submission, draft, previous, staging)
            _stage(draft, checked, staging)
        # Both versions' files in one query, read once for the comparison below, the repository's check and the
        # receipt the page shows.
        prefetch_related_objects([version for version in (draft, previous) if version is not None], "files")
        # With no draft, the new version would start from the previous one's files.
        contents = _contents(draft.files.all()) if draft else _contents(previous.files.all()) if previous else []
        if not contents:
            raise ValidationError(_("Choose at least one file to hand in."), code="empty_draft")
        if previous is not None and contents == _contents(previous.files.all()):
            raise ValidationError(
                _("This would hand in the same files as version %(number)d. Add or remove a file first.")
                % {"number": previous.number},
                code="unchanged",
            )
        _mark_submitted(draft, deadline, now)
        rows = _repository_rows(draft, now, staging) if task.deliverable == Deliverable.SERVICE_REPOSITORY else []
        draft.save()
        RepositoryRow.objects.bulk_create(rows)
        version_submitted.send(sender=Version, version=draft, replaced=previous)
        task.course.mark_results_changed()
    return draft


def _refuse_if_built_in_portal(task):
    if task.is_built_in_portal:
        raise ValidationError(_("This task is built and handed in on its own page, not as files."), code="built")


def _mark_submitted(version, deadline, now):
    """Fill in the hand-in moment, lateness and statement, and make ``version`` the latest (not yet saved)."""
    version.state = Version.State.SUBMITTED
    version.submitted_at = now
    version.due_at = deadline.due_at
    version.is_late = deadline.is_late(now)
    version.late_by = deadline.lateness(now) if version.is_late else None
    version.statement_accepted = True
    Version.objects.filter(submission=version.submission_id, is_latest=True).update(is_latest=False)
    version.is_latest = True


@conflicts_refused
def built_version_submit(*, task, student, statement_accepted, content, document, require_upload=False, now=None):
    """Hand in a deliverable built in the portal: ``content`` (its frozen data), the student's files staged in the
    draft (a report that goes with it), and ``document``, a callable giving the file the portal makes of the content
    as ``(name, bytes)`` for the version about to be numbered.

    Rule: the same as for files — closed after the cut-off, late after the due moment, the statement ticked every
    time, all or nothing — and a version must differ from the one before in its content or the student's files;
    with ``require_upload`` it must hold a file of the student's. The made document is kept as one more file of the
    version, marked as made by the portal (a later draft never copies it), so downloads and ZIPs carry it like any
    other; the student's files of the version before come along, as a new draft of files starts from them. The
    draft is locked as ``draft_submit`` locks it (after the working copy, which the building app locks first).
    """
    now = now or timezone.now()
    deadline = deadline_for(task=task, student=student)
    _refuse_if_closed(deadline, now)
    _require_statement(statement_accepted)
    with storing() as staging:
        submission, draft, previous = _locked(task, student)
        version = _draft(submission, draft, previous, staging)
        uploaded = _contents(version.files.all())
        if require_upload and not uploaded:
            raise ValidationError(_("Add the file this task asks for before handing in."), code="no_upload")
        if previous is not None and previous.content == content and _contents(previous.files.all()) == uploaded:
            raise ValidationError(
                _("Nothing has changed since version %(number)d.") % {"number": previous.number}, code="unchanged"
            )
        version.content = content
        _mark_submitted(version, deadline, now)
        version.save()
        name, data = document(version)
        extension = name.rsplit(".", 1)[-1].lower()
        row = SubmissionFile(
            version=version,
            original_name=name,
            extension=extension,
            content_type="application/pdf" if extension == "pdf" else "application/octet-stream",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            is_generated=True,
        )
        staging.store(row, ContentFile(data))
        version_submitted.send(sender=Version, version=version, replaced=previous)
        task.course.mark_results_changed()
    return version


# Working copies ----------------------------------------------------------------------------------------------------


@transaction.atomic
def working_copy_save(*, task, student, data, revision=None, now=None):
    """Keep ``data`` as the student's working copy; the saved copy, its revision counted.

    Rule: a page that says which ``revision`` it started from saves only over that one: if another tab or device
    saved something else since, the save is refused (code "stale") and nothing changes, rather than overwrite newer
    work; the same data again is no conflict. The building app checks ``data`` before it calls this.
    """
    now = now or timezone.now()
    copy, created = WorkingCopy.objects.get_or_create(
        task=task, student=student, defaults={"data": data, "revision": 1, "saved_at": now}
    )
    if created:
        if revision not in (None, 0):
            raise _stale()
        return copy
    saving = WorkingCopy.objects.filter(pk=copy.pk)
    if revision is not None:
        saving = saving.filter(revision=revision)
    if not saving.update(data=data, revision=F("revision") + 1, saved_at=now):
        copy.refresh_from_db()
        # Behind, but asking to keep what is kept already (the page's own save landed first): nothing to overwrite.
        if copy.data != data:
            raise _stale()
        return copy
    copy.refresh_from_db()
    return copy


def working_copy_lock(*, task, student):
    """The working copy, locked until the end of the transaction (a hand-in reads it so), or None."""
    return WorkingCopy.objects.select_for_update().filter(task=task, student=student).first()


def _stale():
    return ValidationError(
        _(
            "This work was saved from another tab or device after this page was opened. Reload the page to see the "
            "newer copy; what you typed here is kept in this browser."
        ),
        code="stale",
    )


_SPREADSHEETS = ("xlsx", "ods")


def _repository_rows(version, now, staging):
    """Check the version's repository file and keep the report on the version (not yet saved); its valid rows.

    The file checked is the spreadsheet the student added last (one the version took over from the one before
    only if it has no other); a file that cannot be read still makes a report, and gives no rows."""
    spreadsheets = [item for item in version.files.all() if item.extension in _SPREADSHEETS]
    if not spreadsheets:
        version.check_report = {}
        return []
    checked = max(spreadsheets, key=lambda item: (not item.carried_over, item.uploaded_at, item.pk))
    with staging.open(checked.file) as stream:
        result = check_repository(
            stream, name=checked.original_name, extension=checked.extension, today=timezone.localdate(now)
        )
    others = [item.original_name for item in spreadsheets if item != checked]
    if others:
        result.report["notes"].append(
            {"code": "other_files", "params": {"file": checked.original_name, "names": others}}
        )
    version.check_report = result.report
    return repository_row_objects(result.rows, version=version)


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
