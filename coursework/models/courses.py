import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.i18n import Translated, kazakh_sort_key
from accounts.models import Role


class Term(models.TextChoices):
    AUTUMN = "autumn", _("Autumn term")
    SPRING = "spring", _("Spring term")
    SUMMER = "summer", _("Summer term")


class ReferenceStyle(models.TextChoices):
    # ГОСТ Р 7.0.5-2008 is how Kazakhstan's universities usually cite; APA (7th edition) where a department prefers it.
    GOST = "gost", _("ГОСТ Р 7.0.5-2008")
    APA = "apa", _("APA (7th edition)")


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


# An academic term of the credit system: fifteen weeks of teaching.
TERM_WEEKS = 15


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
    expected_points = models.DecimalField(
        _("expected task points"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("The total of task points the department expects; the task editor warns when the tasks differ."),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        editable=False,
    )
    reference_style = models.CharField(
        _("reference style"),
        max_length=10,
        choices=ReferenceStyle.choices,
        default=ReferenceStyle.GOST,
        help_text=_("How students' lists of references are formatted and sorted."),
    )
    # The course document's provenance, as its title page gives it.
    compiler = models.CharField(_("compiled by"), max_length=255, blank=True)
    department_protocol_number = models.CharField(_("department protocol number"), max_length=20, blank=True)
    department_protocol_date = models.DateField(_("department protocol date"), null=True, blank=True)
    faculty_protocol_number = models.CharField(_("faculty council protocol number"), max_length=20, blank=True)
    faculty_protocol_date = models.DateField(_("faculty council protocol date"), null=True, blank=True)
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
        years = re.fullmatch(r"(\d{4})-(\d{4})", self.academic_year or "")
        if years:  # a malformed year is answered by the field's own validator
            first, second = years.groups()
            if int(second) != int(first) + 1:
                raise ValidationError({"academic_year": _("The second year must follow the first, as in 2025-2026.")})

    def mark_results_changed(self):
        """Note that the course's results changed, so cached gradebook figures are computed again."""
        Course.objects.filter(pk=self.pk).update(results_changed_at=timezone.now())

    def week_end(self, week):
        """The last day (Sunday) of a week of this course's term."""
        return self.start_date + dt.timedelta(days=7 * week - 1)

    @property
    def end_date(self):
        """The last day of the term: the Sunday of its last week, or of the last task's week if that comes later."""
        last_task_week = max((task.due_week for task in self.tasks.all()), default=0)
        return self.week_end(max(TERM_WEEKS, last_task_week))


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
