import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Submission(models.Model):
    """A student's portfolio for one task: every version they staged or handed in."""

    task = models.ForeignKey(
        "coursework.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="submissions"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="submissions"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["task", "student"], name="submission_unique_student"),
        ]

    def __str__(self):
        return f"{self.task.label} — {self.student}"


class VersionQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(state=Version.State.SUBMITTED)

    def latest_submitted(self):
        """The newest submitted version of each submission: the one to grade (kept by the ``is_latest`` flag)."""
        return self.filter(is_latest=True)


class Version(models.Model):
    """One hand-in of a portfolio. A draft is staged by the student; submitting freezes it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at submission"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    late_by = models.DurationField(_("late by"), null=True, blank=True)
    statement_accepted = models.BooleanField(_("statement accepted"), default=False)
    # Kept by draft_submit: the newest submitted version of its submission. Lists and the gradebook
    # filter on it instead of looking for the highest number row by row.
    is_latest = models.BooleanField(_("latest submitted version"), default=False, editable=False)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="version_unique_number"),
            # At most one draft per portfolio: the student's staging area.
            models.UniqueConstraint(fields=["submission"], condition=Q(state="draft"), name="version_one_draft"),
            models.CheckConstraint(
                condition=Q(state="draft") | (Q(submitted_at__isnull=False) & Q(statement_accepted=True)),
                name="version_submitted_has_moment_and_statement",
            ),
            models.UniqueConstraint(fields=["submission"], condition=Q(is_latest=True), name="version_one_latest"),
            models.CheckConstraint(
                condition=Q(is_latest=False) | Q(state="submitted"), name="version_latest_is_submitted"
            ),
        ]

    def __str__(self):
        return f"{self.submission} v{self.number}"

    @property
    def is_draft(self):
        return self.state == self.State.DRAFT


def stored_name(instance, filename):
    """Stored names are generated; the student's own name is kept only as metadata."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    task = instance.version.submission.task
    return f"portfolio/{task.course_id}/{task.pk}/{uuid.uuid4().hex}.{extension}"


class SubmissionFile(models.Model):
    """A file of a version, stored privately under a generated name."""

    version = models.ForeignKey(Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=stored_name, max_length=255)
    original_name = models.CharField(_("original name"), max_length=200)
    extension = models.CharField(pgettext_lazy("file name", "extension"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # A new draft starts from copies of the previous version's files; this tells them from the files the
    # student added, so the grading page opens on what is new.
    carried_over = models.BooleanField(_("carried over from the previous version"), default=False)

    class Meta:
        ordering = ["version", "uploaded_at", "pk"]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self):
        return self.original_name

    @property
    def is_pdf(self):
        return self.extension == "pdf"

    @property
    def short_sha256(self):
        """The first 12 hex characters of the SHA-256: enough to tell two files apart on a receipt."""
        return self.sha256[:12]
