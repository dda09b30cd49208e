"""Read-side questions about portfolios, answered in a fixed number of queries."""

from dataclasses import dataclass, field
from operator import itemgetter

from django.utils.translation import gettext_lazy as _

from accounts.i18n import kazakh_sort_key
from coursework.models import Deadline, Enrollment, Extension
from portfolio.models import SubmissionFile, Version, WorkingCopy
from portfolio.previews.stored import stored_preview
from portfolio.validation import EXTENSIONS_BY_DELIVERABLE


class Progress:
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SUBMITTED_LATE = "submitted_late"
    GRADED = "graded"

    LABELS = {
        NOT_STARTED: _("Not started"),
        DRAFT: _("Draft"),
        SUBMITTED: _("Submitted"),
        SUBMITTED_LATE: _("Submitted late"),
        GRADED: _("Graded"),
    }


@dataclass
class TaskProgress:
    """Where one student stands on one task."""

    task: object
    deadline: Deadline
    latest: Version | None = None
    draft: Version | None = None
    versions: list = field(default_factory=list)
    grade: object = None  # the newest released grade of any version; grading.selectors.progress fills it in
    # Work built in the portal: whether the student has saved it at least once (begun, though nothing is staged).
    has_working_copy: bool = False

    @property
    def state(self):
        if self.grade is not None and self.latest is not None and self.grade.version_id == self.latest.pk:
            return Progress.GRADED
        if self.latest is not None:
            return Progress.SUBMITTED_LATE if self.latest.is_late else Progress.SUBMITTED
        if self.draft is not None or self.has_working_copy:
            return Progress.DRAFT
        return Progress.NOT_STARTED

    @property
    def state_label(self):
        return Progress.LABELS[self.state]

    @property
    def has_extension(self):
        return self.deadline.due_at != self.task.due_at


def student_progress(*, student, tasks, defer=(), related=()):
    """Each task's progress for one student (hand-ins only, no grades): two queries whatever the number of tasks, and
    a third when some are built in the portal (whose working copies mean the work has begun).

    ``defer`` names the versions' fields the caller does not read (their stored ``content``, their ``check_report``):
    a schedule shows neither, and loading big JSON it does not show costs the database and Python alike. ``related``
    names the versions' one-to-one relations that an app above reads with them (grading's ``grade``), joined in the
    same query; ``defer`` may name their fields too (``grade__feedback``)."""
    tasks = list(tasks)
    ids = [task.pk for task in tasks]
    built = [task.pk for task in tasks if task.is_built_in_portal]
    begun = set(
        WorkingCopy.objects.filter(student=student, task_id__in=built).order_by().values_list("task_id", flat=True)
        if built
        else ()
    )
    extensions = {
        extension.task_id: extension
        for extension in Extension.objects.filter(student=student, task_id__in=ids).only("task", "due_at", "cutoff_at")
    }
    versions_by_task = {}
    for version in (
        Version.objects.filter(submission__student=student, submission__task_id__in=ids)
        .select_related("submission", *related)
        .defer(*defer)
        .order_by("number")
    ):
        versions_by_task.setdefault(version.submission.task_id, []).append(version)
    progress = {}
    for task in tasks:
        versions = versions_by_task.get(task.pk, [])
        for version in versions:
            version.submission.task = task  # reached from a version (a grade's course) without a query
        submitted = [version for version in versions if not version.is_draft]
        drafts = [version for version in versions if version.is_draft]
        progress[task.pk] = TaskProgress(
            task=task,
            deadline=task.deadline_for(extensions.get(task.pk)),
            latest=submitted[-1] if submitted else None,
            draft=drafts[0] if drafts else None,
            versions=submitted,
            has_working_copy=task.pk in begun,
        )
    return progress


def _name_key(row):
    return kazakh_sort_key(row.student.display_name)


# Each sort: the key of a row and whether it is reversed. Rows are first put in Kazakh
# alphabetical order by name, so ties keep that order; rows without a value go last.
QUEUE_SORTS = {
    "name": (_name_key, False),
    "-name": (_name_key, True),
    "group": (lambda row: kazakh_sort_key(row.academic_group), False),
    "-group": (lambda row: kazakh_sort_key(row.academic_group), True),
    "submitted": (lambda row: row.latest_submitted_at, False),
    "-submitted": (lambda row: row.latest_submitted_at, True),
    "versions": (lambda row: row.version_count, False),
    "-versions": (lambda row: row.version_count, True),
}


def sort_queue(rows, sort):
    """Sort queue rows in Python: Kazakh alphabetical order is not something every database can do."""
    key, reverse = QUEUE_SORTS.get(sort, QUEUE_SORTS["name"])
    by_name = sorted(((_name_key(row), row) for row in rows), key=itemgetter(0))  # each key worked out once per row
    keyed = by_name if key is _name_key else [(key(row), row) for _name, row in by_name]
    present = [pair for pair in keyed if pair[0] is not None]
    missing = [row for value, row in keyed if value is None]
    return [row for _value, row in sorted(present, key=itemgetter(0), reverse=reverse)] + missing


# Who each status filter of the queue keeps.
QUEUE_FILTERS = {
    "submitted": lambda row: row.latest_version_id is not None,
    "late": lambda row: bool(row.latest_is_late),
    "missing": lambda row: row.latest_version_id is None,
    "draft": lambda row: row.has_draft,
}
QUEUE_STATUSES = tuple(QUEUE_FILTERS)


def hand_in_summary(task):
    """Each student's hand-ins of ``task``, read as plain values in one query: {student id: (latest version's pk,
    submission's pk, submitted_at, is_late, late_by)}, {student id: versions handed in}, and the students with a
    draft."""
    versions = Version.objects.filter(submission__task=task).values_list(
        "submission__student_id", "submission_id", "pk", "state", "is_latest", "submitted_at", "is_late", "late_by"
    )
    latest, counts, drafts = {}, {}, set()
    for student_id, submission_id, pk, state, is_latest, submitted_at, is_late, late_by in versions:
        if state == Version.State.DRAFT:
            drafts.add(student_id)
            continue
        counts[student_id] = counts.get(student_id, 0) + 1
        if is_latest:
            latest[student_id] = (pk, submission_id, submitted_at, is_late, late_by)
    return latest, counts, drafts


def selected_file(versions, wanted):
    """The file asked for by id among the versions' files, else, for a deliverable built in the portal, the document
    the portal made; else the first file the first version added (its copies of the version before were seen then),
    else its first file."""
    for version in versions:
        for item in version.files.all():
            if wanted and str(item.pk) == wanted:
                return item
    first = list(versions[0].files.all()) if versions else []
    if versions and versions[0].content:
        # A deliverable built in the portal opens on the document the portal made of it, as its page shows it.
        made = [item for item in first if item.is_generated]
        if made:
            return made[0]
    added = [item for item in first if not item.carried_over]
    return (added or first or [None])[0]


@dataclass
class QueueDownloadRow:
    """A student in a task's ZIP: their group, the latest submitted version (None if nothing) and its files."""

    group: str
    student: object
    version: Version | None = None
    files: list = field(default_factory=list)


def queue_download(task):
    """Every student of the task's course, and anyone else who handed it in, with their latest submitted version
    and its files, in group and then Kazakh name order: two queries."""
    rows = {
        enrollment.student_id: QueueDownloadRow(enrollment.academic_group, enrollment.student)
        for enrollment in Enrollment.objects.filter(course_id=task.course_id).select_related("student")
    }
    files = SubmissionFile.objects.filter(version__submission__task=task, version__is_latest=True).select_related(
        "version__submission__student"
    )
    for item in files:
        student = item.version.submission.student
        row = rows.setdefault(student.pk, QueueDownloadRow("—", student))
        row.version = item.version
        row.files.append(item)
    return sorted(rows.values(), key=lambda row: (kazakh_sort_key(row.group), _name_key(row)))


def file_preview(item):
    """The in-page preview of a stored file, as kept for its content when it was uploaded (one query; none for a PDF):
    the grading and submission pages never parse a student's file. A file stored before previews were kept has its
    preview built within the preview's work budget on the first visit, and kept, whether it could be read or not."""
    if item is None:
        return None
    return stored_preview(item)


def working_copy_for(*, task, student):
    """The student's working copy of a deliverable built in the portal, or None before their first save."""
    return WorkingCopy.objects.filter(task=task, student=student).first()


def working_copy_saved(*, task, student):
    """The student's working copy without its data (when they began and last saved it), or None before their first
    save: what a task page says of the work, without loading the work itself."""
    return WorkingCopy.objects.filter(task=task, student=student).defer("data").order_by().first()


def staged_files(progress):
    """The files of the student's own that their next hand-in of work built in the portal carries (СӨЖ 4's report,
    СӨЖ 3's presentation): their draft's, or, before a draft starts, the latest version's (a new draft starts from
    them) — only those the task still takes (СӨЖ 3 took any document before it was built in the portal)."""
    version = progress.draft or progress.latest
    if version is None:
        return []
    allowed = EXTENSIONS_BY_DELIVERABLE[progress.task.deliverable]
    return list(version.files.filter(is_generated=False, extension__in=allowed))


def versions_with_pdf(progress):
    """The versions of work built in the portal handed in, the newest first, each with the PDF the portal made of it
    (one query)."""
    if not progress.versions:
        return []
    documents = {
        item.version_id: item
        for item in SubmissionFile.objects.filter(version__in=progress.versions, is_generated=True)
    }
    return [{"version": version, "pdf": documents.get(version.pk)} for version in reversed(progress.versions)]


def staged_files_of(*, task, student):
    """The student's files that their next hand-in of ``task`` carries (see ``staged_files``)."""
    return staged_files(student_progress(student=student, tasks=[task])[task.pk])
