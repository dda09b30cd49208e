import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
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
    # What the deliverable's own check found when the version was handed in (a service repository's row-by-row
    # report, for example): kept with the version, so the student and the instructor read the same report.
    check_report = models.JSONField(_("check report"), default=dict, blank=True, editable=False)
    # A deliverable built in the portal (a case plan, say) is frozen here when it is handed in: what the student
    # wrote and what it referred to, as it stood. Later edits make a new version; this one never changes.
    content = models.JSONField(_("content"), default=dict, blank=True, editable=False)

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
    # Made by the portal from the version's content (a plan's PDF, say), not uploaded: a new draft never copies it.
    is_generated = models.BooleanField(_("made by the portal"), default=False)
    # A text document's length as its own statistics give it (a PDF's pages; a docx's or odt's recorded counts), or
    # estimated from its words when the document records no page count (then ``pages_estimated``).
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    word_count = models.PositiveIntegerField(_("words"), null=True, blank=True)
    pages_estimated = models.BooleanField(_("page count estimated"), default=False)
    # A presentation's (pptx) slide titles in the order it shows them, "" for a slide without one; its slides are
    # ``page_count``. Empty for every other file.
    slide_titles = models.JSONField(_("slide titles"), default=list, blank=True)

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


class FilePreview(models.Model):
    """What the pages show of one file content without downloading it (a document's first paragraphs, a sheet's first
    rows), or why they show nothing: built once per content (SHA-256 and extension), when the file is uploaded, and
    kept whether it succeeded or not, so that no page ever parses a student's file again (one that ran out of time
    is built once more). Copies of a file (a new draft starts from copies of the version before) share it."""

    sha256 = models.CharField(_("SHA-256"), max_length=64)
    extension = models.CharField(pgettext_lazy("file name", "extension"), max_length=10)
    # "text", "table" or "none" (see portfolio.previews.Preview); ``data`` holds the paragraphs or rows shown.
    kind = models.CharField(_("kind of preview"), max_length=10)
    data = models.JSONField(_("preview"), default=dict, blank=True)
    # Why there is no preview (portfolio.previews.Reason), or "" when there is one.
    reason = models.CharField(_("reason for no preview"), max_length=30, blank=True)
    # How many times it was built: a preview that ran out of time (the server may only have been busy) is built once
    # more on a later visit (portfolio.previews.stored), never again after that.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)

    class Meta:
        verbose_name = _("file preview")
        verbose_name_plural = _("file previews")
        constraints = [
            models.UniqueConstraint(fields=["sha256", "extension"], name="file_preview_unique_content"),
        ]

    def __str__(self):
        return f"{self.sha256[:12]}.{self.extension}: {self.kind}"


class WorkingCopy(models.Model):
    """A student's work on a deliverable built in the portal (a case plan, a model comparison), saved as they type.

    ``data`` holds what the building app reads and checks; ``revision`` counts the saves, so a page can tell whether
    the copy it started from is still the newest. Handing in freezes a copy as a version's content.
    """

    task = models.ForeignKey(
        "coursework.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="working_copies"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="working_copies",
    )
    data = models.JSONField(_("working copy"), default=dict, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        ordering = ["task", "pk"]
        verbose_name = _("working copy")
        verbose_name_plural = _("working copies")
        constraints = [
            models.UniqueConstraint(fields=["task", "student"], name="working_copy_unique_student"),
        ]

    def __str__(self):
        return f"{self.task.label} — {self.student}"


class OrganisationType(models.TextChoices):
    STATE = "state", _("State body")
    NGO = "ngo", _("Non-governmental organisation")
    CHARITY = "charity", _("Charitable foundation")
    INTERNATIONAL = "international", _("International organisation")
    PRIVATE = "private", _("Private organisation")
    OTHER = "other", _("Other")


class ClientCategory(models.TextChoices):
    DOMESTIC_VIOLENCE = "domestic_violence", _("Victims of domestic violence")
    FAMILIES = "families", _("Families in a difficult life situation")
    DISABILITY = "disability", _("People with disabilities")
    UNEMPLOYED = "unemployed", _("Unemployed people")
    ELDERLY = "elderly", _("Elderly people")
    CHILDREN = "children", _("Children and youth")
    FORMER_PRISONERS = "former_prisoners", _("People released from prison")
    HOMELESS = "homeless", _("People without a fixed home")
    MIGRANTS = "migrants", _("Migrants")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    """Kazakhstan's 17 regions and its three cities of republican significance."""

    ASTANA = "astana", _("Astana (city)")
    ALMATY_CITY = "almaty_city", _("Almaty (city)")
    SHYMKENT = "shymkent", _("Shymkent (city)")
    ABAI = "abai", _("Abai Region")
    AKMOLA = "akmola", _("Akmola Region")
    AKTOBE = "aktobe", _("Aktobe Region")
    ALMATY = "almaty", _("Almaty Region")
    ATYRAU = "atyrau", _("Atyrau Region")
    EAST = "east", _("East Kazakhstan Region")
    JAMBYL = "jambyl", _("Jambyl Region")
    JETISU = "jetisu", _("Jetisu Region")
    KARAGANDA = "karaganda", _("Karaganda Region")
    KOSTANAY = "kostanay", _("Kostanay Region")
    KYZYLORDA = "kyzylorda", _("Kyzylorda Region")
    MANGYSTAU = "mangystau", _("Mangystau Region")
    NORTH = "north", _("North Kazakhstan Region")
    PAVLODAR = "pavlodar", _("Pavlodar Region")
    TURKISTAN = "turkistan", _("Turkistan Region")
    ULYTAU = "ulytau", _("Ulytau Region")
    WEST = "west", _("West Kazakhstan Region")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    PAID = "paid", _("Paid")
    PARTLY = "partly", _("Partly paid")


class RepositoryRow(models.Model):
    """A valid row of a handed-in service repository (СӨЖ 1): one service of one organisation, kept as data.

    The rows of a version are written all at once when it is handed in, and only the valid ones; the department's
    directory of social services is built from the rows of latest versions.
    """

    version = models.ForeignKey(Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("row of the sheet"))
    organisation = models.CharField(_("organisation"), max_length=300)
    organisation_type = models.CharField(_("organisation type"), max_length=20, choices=OrganisationType.choices)
    client_category = models.CharField(_("client category"), max_length=30, choices=ClientCategory.choices)
    services = models.TextField(_("services offered"))
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    city = models.CharField(_("city or settlement"), max_length=120)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True, help_text=_("Normalised: +7 XXX XXX XX XX."))
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    website = models.CharField(_("website"), max_length=300, blank=True)
    eligibility = models.TextField(_("who is eligible"), blank=True)
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, blank=True)
    hours = models.CharField(_("working hours"), max_length=200, blank=True)
    source = models.CharField(_("source of the information"), max_length=300, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)

    class Meta:
        ordering = ["version", "line"]
        verbose_name = _("repository row")
        verbose_name_plural = _("repository rows")
        constraints = [
            models.UniqueConstraint(fields=["version", "line"], name="repository_row_unique_line"),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.city})"
