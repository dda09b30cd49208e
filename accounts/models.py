from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.i18n import Translated


class Department(models.Model):
    """A university department: it owns courses, and its admins review them."""

    name = Translated(models.CharField, max_length=200)
    faculty = Translated(models.CharField, max_length=200, blank=True)
    university = Translated(models.CharField, max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["university", "name"], name="department_unique_name"),
        ]

    def __str__(self):
        return self.display_name


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    INSTRUCTOR = "instructor", _("Instructor")
    DEPARTMENT_ADMIN = "department_admin", _("Department admin")


class Language(models.TextChoices):
    # Each language is named in itself, as the language switcher names it.
    KAZAKH = "kk", "Қазақша"
    RUSSIAN = "ru", "Русский"
    ENGLISH = "en", "English"


class User(AbstractUser):
    """A person who signs in. The role decides which home page and which pages they reach."""

    middle_name = models.CharField(_("patronymic"), max_length=150, blank=True)
    student_number = models.CharField(
        _("student ID"),
        max_length=30,
        blank=True,
        help_text=_("The registrar's student ID; rosters are matched on it."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("The language of the e-mails the portal sends this person. Empty: Kazakh."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STUDENT)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["student_number"], condition=~models.Q(student_number=""), name="user_unique_student_number"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def full_name(self):
        """Surname, given name and patronymic, as Kazakh and Russian lists write them."""
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def display_name(self):
        """How the portal names a person everywhere: the full name, or the username when none is recorded."""
        return self.full_name or self.username

    @property
    def is_student(self):
        """Sees the portal as a student: their own courses, work and released grades (superusers never do)."""
        return self.role == Role.STUDENT and not self.is_superuser

    @property
    def is_instructor(self):
        return self.role == Role.INSTRUCTOR

    @property
    def is_department_admin(self):
        return self.role == Role.DEPARTMENT_ADMIN

    @property
    def can_grade(self):
        """Instructors grade, set deadlines and attach rubrics; superusers may stand in for them."""
        return self.is_superuser or self.is_instructor
