import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.i18n import Translated
from coursework.models.courses import Course

# A task is due at the end of its week: Sunday, 23:59 in the university's time zone.
DUE_TIME = dt.time(23, 59)


# The course document's abbreviations, translated with the context "task kind abbreviation": Russian readers
# know them as СРС and СРСП.
ABBREVIATIONS = (
    ("СОӨЖ", pgettext_lazy("task kind abbreviation", "СОӨЖ")),  # the longer one first: both start with С
    ("СӨЖ", pgettext_lazy("task kind abbreviation", "СӨЖ")),
)


class Kind(models.TextChoices):
    # The abbreviations are the course document's own and read the same in every language.
    SOZH = "sozh", "СӨЖ"
    SOOZH = "soozh", "СОӨЖ"


class Deliverable(models.TextChoices):
    ESSAY = "essay", _("Essay")
    SERVICE_REPOSITORY = "service_repository", _("Service repository")
    CASE_PLAN = "case_plan", _("Case plan")
    MODEL_COMPARISON = "model_comparison", _("Model comparison and SWOT")
    INSTITUTION_REPORT = "institution_report", _("Institution report")
    ASSESSMENT_TOOLKIT = "assessment_toolkit", _("Assessment toolkit")
    PRESENTATION = "presentation", _("Presentation")


# Deliverables the student builds in the portal's own pages rather than uploading: handing one in freezes what was
# built as a version (with its generated document), and the file hand-in does not apply.
BUILT_IN_PORTAL = frozenset({Deliverable.CASE_PLAN, Deliverable.MODEL_COMPARISON, Deliverable.ASSESSMENT_TOOLKIT})


class RatingPeriod(models.IntegerChoices):
    # The credit system's current-control periods, named as gradebooks name them.
    FIRST = 1, "ТК1"
    SECOND = 2, "ТК2"


class TaskQuerySet(models.QuerySet):
    def shown(self):
        """Tasks that take part in the course: on the schedule, in the queue and in the gradebook."""
        return self.filter(is_hidden=False)

    def for_schedule(self):
        """Tasks as a schedule lists them: without their description and portfolio requirements (in any language),
        which it does not show, and in the course's order without joining the course (one course's tasks, or tasks
        prefetched per course)."""
        texts = [f"{name}{suffix}" for name in ("description", "portfolio") for suffix in Translated.SUFFIXES]
        return self.defer(*texts).order_by("position", "due_week", "pk")


@dataclass(frozen=True)
class Deadline:
    due_at: dt.datetime
    cutoff_at: dt.datetime | None

    def is_late(self, moment):
        return moment > self.due_at

    def lateness(self, moment):
        """How late a hand-in at ``moment`` is; zero when on time."""
        return max(moment - self.due_at, dt.timedelta(0))

    def is_closed(self, moment):
        return self.cutoff_at is not None and moment > self.cutoff_at


class Status(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    DUE_SOON = "due_soon", _("Due soon")
    PAST_DUE = "past_due", _("Past due")


class Task(models.Model):
    """A row of the course's task table: what to hand in, by which week, for how many points."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=20, help_text=_("Kept exactly as the course document writes it."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    deliverable = models.CharField(_("deliverable"), max_length=30, choices=Deliverable.choices)
    title = Translated(models.CharField, max_length=500)
    description = Translated(models.TextField)
    portfolio = Translated(models.TextField, blank=True)
    due_week = models.PositiveSmallIntegerField(_("due week"), validators=[MinValueValidator(1)])
    due_at_override = models.DateTimeField(
        _("due moment override"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the end of the due week (Sunday, 23:59)."),
    )
    cutoff_at = models.DateTimeField(
        _("submissions close"),
        null=True,
        blank=True,
        help_text=_("After this moment nobody can submit. Leave empty to accept late work at any time."),
    )
    rubric = models.ForeignKey(
        "grading.Rubric",
        verbose_name=_("rubric"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Empty: graded as a percentage, counted outside the points total."),
    )
    rating_period = models.PositiveSmallIntegerField(
        _("counts in"),
        choices=RatingPeriod.choices,
        null=True,
        blank=True,
        help_text=_("Empty: by the due week and the course's last week of the first rating period."),
    )
    pages_min = models.PositiveSmallIntegerField(
        _("pages, at least"),
        null=True,
        blank=True,
        help_text=_("The length the task asks of its text document, if it says; shown beside each document handed in."),
    )
    pages_max = models.PositiveSmallIntegerField(_("pages, at most"), null=True, blank=True)
    is_hidden = models.BooleanField(
        _("hidden"),
        default=False,
        help_text=_("A hidden task leaves the schedule, the queues and the gradebook; its hand-ins are kept."),
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["course", "position", "due_week", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["course", "label"], name="task_unique_label"),
            models.CheckConstraint(condition=Q(due_week__gte=1), name="task_due_week_positive"),
            models.CheckConstraint(
                condition=Q(max_points__isnull=True) | Q(max_points__gte=0),
                name="task_max_points_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(pages_min__isnull=True) | Q(pages_max__isnull=True) | Q(pages_min__lte=F("pages_max")),
                name="task_pages_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.label}. {self.display_title}"

    @property
    def display_label(self):
        """The label as the document writes it, its abbreviation in the reader's language (СРСП 2-3 in Russian)."""
        for written, translated in ABBREVIATIONS:
            if self.label.startswith(written):
                return f"{translated}{self.label[len(written) :]}"
        return self.label

    @property
    def is_built_in_portal(self):
        return self.deliverable in BUILT_IN_PORTAL

    def in_first_period(self, first_half_last_week):
        """Whether the task counts in ТК1: as chosen, or else by its due week."""
        if self.rating_period is not None:
            return self.rating_period == RatingPeriod.FIRST
        return self.due_week <= first_half_last_week

    def clean(self):
        if self.cutoff_at and self.course_id and self.cutoff_at < self.due_at:
            raise ValidationError({"cutoff_at": _("Submissions cannot close before the task is due.")})
        if self.pages_min is not None and self.pages_max is not None and self.pages_min > self.pages_max:
            raise ValidationError({"pages_max": _("The most pages cannot be fewer than the least.")})

    @property
    def default_due_at(self):
        """The end of the due week: Sunday 23:59 in the university's time zone."""
        day = self.course.week_end(self.due_week)
        return timezone.make_aware(dt.datetime.combine(day, DUE_TIME), timezone.get_default_timezone())

    @property
    def due_at(self):
        return self.due_at_override or self.default_due_at

    @property
    def is_due_overridden(self):
        return self.due_at_override is not None

    def is_past_due(self, now):
        return now > self.due_at

    def deadline_for(self, extension=None):
        """The due moment and cut-off that apply to one student, after any extension they were granted."""
        if extension is not None:
            return Deadline(due_at=extension.due_at, cutoff_at=extension.cutoff_at)
        return Deadline(due_at=self.due_at, cutoff_at=self.cutoff_at)

    def status(self, now):
        if self.is_past_due(now):
            return Status.PAST_DUE
        if self.due_at - now <= dt.timedelta(days=settings.DUE_SOON_DAYS):
            return Status.DUE_SOON
        return Status.UPCOMING


class Extension(models.Model):
    """One student's own due moment (and cut-off) for one task, granted by an instructor."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="extensions")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="extensions"
    )
    due_at = models.DateTimeField(_("new due moment"))
    cutoff_at = models.DateTimeField(_("new cut-off"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(fields=["task", "student"], name="extension_unique_student"),
            models.CheckConstraint(
                condition=Q(cutoff_at__isnull=True) | Q(cutoff_at__gte=models.F("due_at")),
                name="extension_cutoff_after_due",
            ),
        ]

    def __str__(self):
        return f"{self.task.label} — {self.student}"


class TaskChange(models.Model):
    """A change to a task's terms that touches work already handed in or graded, kept for the record."""

    class Kind(models.TextChoices):
        MAX_POINTS = "max_points", _("Maximum points changed")
        HIDDEN = "hidden", _("Task hidden")
        SHOWN = "shown", _("Task shown again")
        RUBRIC = "rubric", _("Rubric changed")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    old_value = models.CharField(_("before"), max_length=255, blank=True)
    new_value = models.CharField(_("after"), max_length=255, blank=True)
    affected_grades = models.PositiveIntegerField(_("grades affected"), default=0)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("task change")
        verbose_name_plural = _("task changes")

    def __str__(self):
        return f"{self.task.label}: {self.get_kind_display()}"
