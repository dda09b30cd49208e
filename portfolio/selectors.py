"""Read-side questions about portfolios, answered in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from coursework.models import Deadline, Enrollment, Extension
from portfolio.models import Version


class Progress:
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SUBMITTED_LATE = "submitted_late"

    LABELS = {
        NOT_STARTED: _("Not started"),
        DRAFT: _("Draft"),
        SUBMITTED: _("Submitted"),
        SUBMITTED_LATE: _("Submitted late"),
    }


@dataclass
class TaskProgress:
    """Where one student stands on one task."""

    assignment: object
    deadline: Deadline
    latest: Version | None = None
    draft: Version | None = None
    versions: list = field(default_factory=list)

    @property
    def state(self):
        if self.latest is not None:
            return Progress.SUBMITTED_LATE if self.latest.is_late else Progress.SUBMITTED
        if self.draft is not None:
            return Progress.DRAFT
        return Progress.NOT_STARTED

    @property
    def state_label(self):
        return Progress.LABELS[self.state]

    @property
    def has_extension(self):
        return self.deadline.due_at != self.assignment.due_at


def student_progress(*, student, assignments):
    """Each task's progress for one student: three queries whatever the number of tasks."""
    assignments = list(assignments)
    ids = [assignment.pk for assignment in assignments]
    extensions = {
        extension.assignment_id: extension
        for extension in Extension.objects.filter(student=student, assignment_id__in=ids)
    }
    versions_by_task = {}
    for version in (
        Version.objects.filter(submission__student=student, submission__assignment_id__in=ids)
        .select_related("submission")
        .annotate(file_count=Count("files"))
        .order_by("number")
    ):
        versions_by_task.setdefault(version.submission.assignment_id, []).append(version)
    progress = {}
    for assignment in assignments:
        versions = versions_by_task.get(assignment.pk, [])
        submitted = [version for version in versions if not version.is_draft]
        drafts = [version for version in versions if version.is_draft]
        progress[assignment.pk] = TaskProgress(
            assignment=assignment,
            deadline=assignment.deadline_for(extensions.get(assignment.pk)),
            latest=submitted[-1] if submitted else None,
            draft=drafts[0] if drafts else None,
            versions=submitted,
        )
    return progress


QUEUE_SORTS = {
    "name": ("student__last_name", "student__first_name"),
    "-name": ("-student__last_name", "-student__first_name"),
    "group": ("academic_group", "student__last_name"),
    "-group": ("-academic_group", "student__last_name"),
    # Students who have not handed in sort last either way, on every database.
    "submitted": (F("latest_submitted_at").asc(nulls_last=True), "student__last_name"),
    "-submitted": (F("latest_submitted_at").desc(nulls_last=True), "student__last_name"),
    "versions": (F("version_count").asc(nulls_last=True), "student__last_name"),
    "-versions": (F("version_count").desc(nulls_last=True), "student__last_name"),
}
QUEUE_STATUSES = ("submitted", "late", "missing", "draft")


def task_queue(*, assignment, group=None, status=None, sort="name"):
    """The class list of a task with each student's latest submitted version: one query.

    Rows are enrolments annotated with the latest version's id, moment and lateness, the
    number of submitted versions and whether a draft is waiting.
    """
    submitted = Version.objects.filter(
        submission__assignment=assignment,
        submission__student=OuterRef("student"),
        state=Version.State.SUBMITTED,
    )
    latest = submitted.order_by("-number")
    rows = (
        Enrollment.objects.filter(course_id=assignment.course_id)
        .select_related("student")
        .annotate(
            latest_version_id=Subquery(latest.values("pk")[:1]),
            latest_submission_id=Subquery(latest.values("submission_id")[:1]),
            latest_submitted_at=Subquery(latest.values("submitted_at")[:1]),
            latest_is_late=Subquery(latest.values("is_late")[:1]),
            latest_late_by=Subquery(latest.values("late_by")[:1]),
            version_count=Subquery(submitted.order_by().values("submission").annotate(n=Count("pk")).values("n")[:1]),
            has_draft=Exists(
                Version.objects.filter(
                    submission__assignment=assignment,
                    submission__student=OuterRef("student"),
                    state=Version.State.DRAFT,
                )
            ),
        )
    )
    if group:
        rows = rows.filter(academic_group=group)
    if status == "submitted":
        rows = rows.filter(latest_version_id__isnull=False)
    elif status == "late":
        rows = rows.filter(latest_is_late=True)
    elif status == "missing":
        rows = rows.filter(latest_version_id__isnull=True)
    elif status == "draft":
        rows = rows.filter(Q(has_draft=True))
    return rows.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["name"]))
