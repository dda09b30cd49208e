"""Previews kept with the file content they show, so a page never parses a student's file.

A preview is built at upload, before the hand-in's transaction (``upload_preview_store``), within the preview's
work budget, and kept as a ``FilePreview`` row keyed by content: a file never changes once stored, copies of it share
the row, and an upload that fails afterwards leaves a row that is true of its content and serves the next upload of
the same file. A file stored before previews were kept gets its row on the first visit of a page showing it
(``stored_preview``), within the same budget, once: a failure is kept like a success.

Except for one that may go otherwise next time: the time a preview may take is measured on a server that may be busy
(every student uploading at the deadline), and a file may not be readable for a moment. Such a failure is built once
more, on a later visit (within RETRY_SECONDS, so that the page still answers within a second) or upload of the same
content, and whatever that gives is kept: at most MAX_ATTEMPTS builds, never one on every visit. A file past a count
of elements or rows would be so again, and is never rebuilt.

With a job queue (``CELERY_BROKER_URL``) nothing is built in a request: the upload leaves the preview to a worker
(``portfolio.tasks.preview_build``, sent once the file's row is committed), and a page that finds none yet says it is
being prepared and asks a worker again. Should the broker be unreachable, the page builds it as without a queue.
"""

from django.core.cache import cache
from django.db.models import F

from config.celery import queue_configured, queued
from portfolio.models import FilePreview
from portfolio.previews import PREVIEWED, Preview, Reason, build_preview
from portfolio.previews.base import RETRY_SECONDS, preview_budget
from portfolio.storing import STORAGE_ERRORS
from portfolio.uploads import upload_sha256

RETRIED = frozenset({Reason.TOO_SLOW, Reason.UNAVAILABLE})
MAX_ATTEMPTS = 2
# A preview asked of a worker is not asked again for this long (seconds).
ASKED_SECONDS = 60


def preview_store(*, fileobj, sha256, extension):
    """The kept preview of the content ``sha256`` (a file of ``extension``), built from ``fileobj`` if none is kept.

    Rule: one row per content, written whatever the outcome ("none" and its reason too); rebuilt only after a failure
    in ``RETRIED``, by one caller, up to MAX_ATTEMPTS builds in all; two uploads of the same content at once build it
    twice but keep one row. A PDF and kinds never previewed need no row."""
    extension = extension.lower()
    if extension not in PREVIEWED:
        return build_preview(fileobj, extension)
    return _kept(fileobj, sha256, extension, FilePreview.objects.filter(sha256=sha256, extension=extension).first())


def _kept(fileobj, sha256, extension, row, retry_budget=None):
    if row is None:
        fileobj.seek(0)
        preview = build_preview(fileobj, extension)
        row, _created = FilePreview.objects.get_or_create(sha256=sha256, extension=extension, defaults=_fields(preview))
        return _preview(row)
    if not _retried(row) or not _claimed(row):
        return _preview(row)
    fileobj.seek(0)
    preview = build_preview(fileobj, extension, budget=retry_budget)
    FilePreview.objects.filter(pk=row.pk).update(**_fields(preview))
    return preview


def _retried(row):
    """Whether the kept ``row`` is a failure to build once more. A file the storage could not read is tried again on
    each visit (a failed open is cheap, and the page says "at the moment"); a time-out at most MAX_ATTEMPTS times."""
    return row.reason == Reason.UNAVAILABLE or (row.reason in RETRIED and row.attempts < MAX_ATTEMPTS)


def _claimed(row):
    """Count one more attempt at ``row``, unless another visit did since it was read: a conditional update, so visits
    at the same moment build it once between them."""
    return FilePreview.objects.filter(pk=row.pk, attempts=row.attempts).update(attempts=F("attempts") + 1) == 1


def upload_preview_store(*, upload, extension):
    """Build and keep the preview of a checked upload (see ``preview_store``); leaves ``upload`` at its start.
    With a job queue a worker builds it once the file is stored (see the module's docstring)."""
    if extension.lower() not in PREVIEWED or queue_configured():
        return None
    try:
        return preview_store(fileobj=upload, sha256=upload_sha256(upload), extension=extension)
    finally:
        upload.seek(0)


def stored_preview(item):
    """The preview of a stored ``SubmissionFile``: the kept one (one query), else built and kept (see
    ``preview_store``). A file the storage cannot open gives "none" with its reason, not kept (the storage may come
    back), or the kept failure it was to replace."""
    extension = item.extension.lower()
    if extension not in PREVIEWED:
        return build_preview(None, item.extension)
    row = FilePreview.objects.filter(sha256=item.sha256, extension=extension).first()
    if row is not None and not _retried(row):
        return _preview(row)
    if row is None and (_asked_lately(item) or preview_queued(item)):
        return Preview("none", reason=Reason.PENDING)
    try:
        handle = item.file.open("rb")
    except STORAGE_ERRORS:
        return _preview(row) if row is not None else Preview("none", reason=Reason.UNAVAILABLE)
    with handle:
        return _kept(handle, item.sha256, extension, row, retry_budget=preview_budget(RETRY_SECONDS))


def preview_queued(item):
    """Ask a worker to build the preview of the stored ``item`` unless one is kept or it has none; False when there
    is no queue or it is unreachable. Asked once a minute at most: visits meanwhile do not queue it again."""
    from portfolio.tasks import preview_build  # an import cycle: the task builds with this module

    extension = item.extension.lower()
    if extension not in PREVIEWED or FilePreview.objects.filter(sha256=item.sha256, extension=extension).exists():
        return False
    if not queued(preview_build, item.pk):
        return False
    cache.set(_asked_key(item), True, ASKED_SECONDS)
    return True


def _asked_key(item):
    return f"preview-asked:{item.sha256}:{item.extension.lower()}"


def _asked_lately(item):
    return cache.get(_asked_key(item), False)


def file_preview_build(item):
    """Build and keep the preview of the stored ``item`` if none is kept (a worker's job, within the same budget)."""
    extension = item.extension.lower()
    if extension not in PREVIEWED or FilePreview.objects.filter(sha256=item.sha256, extension=extension).exists():
        return
    try:
        handle = item.file.open("rb")
    except STORAGE_ERRORS:
        # Kept as "cannot be opened at the moment", which every visit tries again in the request.
        unavailable = Preview("none", reason=Reason.UNAVAILABLE)
        FilePreview.objects.get_or_create(sha256=item.sha256, extension=extension, defaults=_fields(unavailable))
        return
    with handle:
        _kept(handle, item.sha256, extension, None)


def _fields(preview):
    data = {}
    if preview.paragraphs:
        data["paragraphs"] = list(preview.paragraphs)
    if preview.rows:
        data["rows"] = [list(row) for row in preview.rows]
    if preview.truncated:
        data["truncated"] = True
    if preview.sheet_name:
        data["sheet_name"] = preview.sheet_name
    return {"kind": preview.kind, "data": data, "reason": preview.reason}


def _preview(row):
    data = row.data or {}
    return Preview(
        row.kind,
        paragraphs=tuple(data.get("paragraphs", ())),
        rows=tuple(tuple(each) for each in data.get("rows", ())),
        truncated=bool(data.get("truncated")),
        sheet_name=data.get("sheet_name", ""),
        reason=row.reason,
    )
