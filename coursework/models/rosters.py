from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coursework.models.courses import Course


class RosterImport(models.Model):
    """A roster file read and checked but written only when the department admin applies it.

    ``rows`` keeps every row of the file as read, with what applying it would do (new, enrolled already, error)
    and the reasons of each error, so the preview and the apply read the same plan.
    """

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="roster_imports"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(_("rows"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applied by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self):
        return f"{self.course.code}: {self.file_name}"
