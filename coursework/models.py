import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.i18n import Translated, kazakh_sort_key
from accounts.models import Role

# A task is due at the end of its week: Sunday, 23:59 in the university's time zone.
DUE_TIME = dt.time(23, 59)


class Term(models.TextChoices):
    AUTUMN = "autumn", _("Autumn term")
    SPRING = "spring", _("Spring term")
    SUMMER = "summer", _("Summer term")


class CourseQuerySet(models.QuerySet):
    def taught_by(self, user):
        return self.filter(instructors=user)

    def attended_by(self, user):
        return self.filter(enrollments__student=user)

    def of_department(self, department):
        return self.filter(department=department)

    def with_enrollment_count(self):
        enrolled = Enrollment.objects.filter(course=OuterRef("pk")).values("course").annotate(n=Count("pk")).values("n")
        return self.annotate(enrollment_count=Coalesce(Subquery(enrolled), 0))

    def with_task_count(self):
        tasks = Task.objects.filter(course=OuterRef("pk")).values("course").annotate(n=Count("pk")).values("n")
        return self.annotate(task_count=Coalesce(Subquery(tasks), 0))

    def staffed_by(self, user):
        """Courses whose students' work the person may read: taught, or overseen by their department."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.is_department_admin:
            return self.filter(department_id=user.department_id) if user.department_id else self.none()
        if user.is_instructor:
            return self.taught_by(user)
        return self.none()

    def visible_to(self, user):
        """Courses a person may open: their own as student or instructor, their department's as admin."""
        if not user.is_authenticated:
            return self.none()
        if user.is_student:
            return self.attended_by(user)
        return self.staffed_by(user)


class Course(models.Model):
    """One run of a course in a term: its schedule starts on the Monday of week 1."""

    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="courses"
    )
    code = models.CharField(_("code"), max_length=40)
    title = Translated(models.CharField, max_length=255)
    programme = Translated(models.CharField, max_length=255, blank=True)
    academic_year = models.CharField(
        _("academic year"),
        max_length=9,
        help_text=_("For example 2025-2026."),
        validators=[RegexValidator(r"^\d{4}-\d{4}$", _("Write the academic year as 2025-2026."))],
    )
    term = models.CharField(_("term"), max_length=10, choices=Term.choices)
    start_date = models.DateField(_("start date"), help_text=_("The Monday of week 1."))
    results_changed_at = models.DateTimeField(
        _("results last changed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set whenever a hand-in, grade or score of the course changes; cached figures follow it."),
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        related_name="taught_courses",
        blank=True,
        limit_choices_to={"role": Role.INSTRUCTOR},
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-academic_year", "term", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["code", "academic_year", "term"], name="course_unique_run"),
        ]

    def __str__(self):
        return f"{self.code} {self.display_title} ({self.academic_year})"

    def clean(self):
        if self.start_date and self.start_date.isoweekday() != 1:
            raise ValidationError({"start_date": _("The term must start on a Monday (the first day of week 1).")})
        if self.academic_year and "-" in self.academic_year:
            first, second = self.academic_year.split("-")
            if int(second) != int(first) + 1:
                raise ValidationError({"academic_year": _("The second year must follow the first, as in 2025-2026.")})

    def mark_results_changed(self):
        """Note that the course's results changed, so cached gradebook figures are computed again."""
        Course.objects.filter(pk=self.pk).update(results_changed_at=timezone.now())

    def week_end(self, week):
        """The last day (Sunday) of a week of this course's term."""
        return self.start_date + dt.timedelta(days=7 * week - 1)


class EnrollmentQuerySet(models.QuerySet):
    def groups_of(self, course_id):
        """The academic groups on a course's roster, in Kazakh alphabetical order."""
        groups = self.filter(course_id=course_id).values_list("academic_group", flat=True).distinct()
        return sorted(set(groups), key=kazakh_sort_key)


class Enrollment(models.Model):
    """A student on a course's roster, in an academic group such as СЖ-23-01."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="enrollments",
        limit_choices_to={"role": Role.STUDENT},
    )
    academic_group = models.CharField(_("academic group"), max_length=30)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["academic_group", "student__last_name", "student__first_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["course", "student"], name="enrollment_unique_student"),
        ]

    def __str__(self):
        return f"{self.student} — {self.course.code} ({self.academic_group})"


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
    )

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

    def clean(self):
        if self.cutoff_at and self.course_id and self.cutoff_at < self.due_at:
            raise ValidationError({"cutoff_at": _("Submissions cannot close before the task is due.")})

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
