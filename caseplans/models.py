"""Case vignettes an instructor hands out, and who plans on which (СОӨЖ 2-3). The plan itself is the student's
working copy (``portfolio.WorkingCopy``) until it is handed in as a version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coursework.models import Course, Task
from portfolio.models import ClientCategory


class VignetteLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class Vignette(models.Model):
    """A client's situation, de-identified, written by an instructor for students to plan on."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="vignettes")
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language"), max_length=2, choices=VignetteLanguage.choices, default=VignetteLanguage.KAZAKH
    )
    client_category = models.CharField(_("client category"), max_length=30, choices=ClientCategory.choices)
    text = models.TextField(_("the client's situation"))
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("One of the portal's example cases, not written for this course.")
    )
    # Which of the portal's examples this is, so an example is not added twice even after its title is edited.
    example_key = models.CharField(_("example key"), max_length=40, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["course", "pk"]
        verbose_name = _("case vignette")
        verbose_name_plural = _("case vignettes")

    def __str__(self):
        return self.title


class CaseAssignment(models.Model):
    """The case one student plans on for one task. It can be changed until the student starts the plan."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="case_assignments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="case_assignments"
    )
    # An assigned vignette is kept: deleting it would take a student's case from under their plan.
    vignette = models.ForeignKey(Vignette, verbose_name=_("case"), on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now=True)
    is_automatic = models.BooleanField(_("assigned automatically"), default=False)

    class Meta:
        ordering = ["task", "pk"]
        verbose_name = _("case assignment")
        verbose_name_plural = _("case assignments")
        constraints = [
            models.UniqueConstraint(fields=["task", "student"], name="case_assignment_unique_student"),
        ]

    def __str__(self):
        return f"{self.task.label} — {self.student}: {self.vignette}"
