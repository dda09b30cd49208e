"""A file that takes seconds to make (a whole course's grade sheet, a department's, a task's feedback PDFs) is a
job: asked for in one request, made by a worker (or in the request when no queue is configured), fetched from its
own page once done, and deleted when it expires."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A job whose worker died is run again once; a second death fails it.
MAX_ATTEMPTS = 2


class Job(models.Model):
    class Kind(models.TextChoices):
        COURSE_PDF = "course_pdf", _("Grade sheet (PDF)")
        COURSE_XLSX = "course_xlsx", _("Gradebook (Excel)")
        DEPARTMENT_PDF = "department_pdf", _("Department grade sheets (PDF)")
        DEPARTMENT_XLSX = "department_xlsx", _("Department gradebooks (Excel)")
        FEEDBACK_ZIP = "feedback_zip", _("Feedback PDFs of a task (ZIP)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for its turn")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Could not be prepared")
        EXPIRED = "expired", _("Expired")

    class Failure(models.TextChoices):
        NONE = "", ""
        ERROR = "error", _("Something went wrong while the file was being prepared.")
        STORAGE = "storage", _("The file was prepared but could not be stored.")
        STOPPED = "stopped", _("The worker preparing the file stopped twice.")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    course = models.ForeignKey("coursework.Course", null=True, blank=True, on_delete=models.CASCADE)
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.CASCADE)
    task = models.ForeignKey("coursework.Task", null=True, blank=True, on_delete=models.CASCADE)
    group = models.CharField(max_length=50, blank=True)
    language = models.CharField(max_length=8)

    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    failure = models.CharField(max_length=10, choices=Failure.choices, blank=True, default="")
    # Set when the queue could not be reached and the file was made in the request instead.
    ran_in_request = models.BooleanField(default=False)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    file = models.FileField(max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(fields=["state", "heartbeat_at"]),
            models.Index(fields=["state", "expires_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def finished(self):
        return self.state in {self.State.DONE, self.State.FAILED, self.State.EXPIRED}

    @property
    def stalled(self):
        """Under way on paper, but silent for longer than a stall: its request was cut off, or its worker died (with
        a queue, beat gives it to a worker again within a minute). Its page says so instead of "being prepared"."""
        if self.finished or self.heartbeat_at is None:
            return False
        return timezone.now() - self.heartbeat_at > timedelta(seconds=settings.JOB_STALL_SECONDS)

    @property
    def shown_state(self):
        """The state as a page states it: a stalled job is shown as stopped."""
        return _("Stopped") if self.stalled else self.get_state_display()
