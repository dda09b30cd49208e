from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coursework.models.courses import Course


class ReferenceGroup(models.TextChoices):
    # The course document's own grouping of its reading list.
    LITERATURE = "literature", _("Literature")
    DATABASES = "databases", _("Professional scholarly databases")
    INTERNET = "internet", _("Internet resources")


class Reference(models.Model):
    """An entry of the course's reading list, written as the course document writes it (in its own language)."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    group = models.CharField(
        _("group"), max_length=20, choices=ReferenceGroup.choices, default=ReferenceGroup.LITERATURE
    )
    text = models.TextField(_("reference"), blank=True)
    url = models.CharField(
        _("address"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A web address (http or https), if the entry is found online."),
    )

    class Meta:
        ordering = ["course", "position", "pk"]
        verbose_name = _("reading list entry")
        verbose_name_plural = _("reading list")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text="", url=""), name="reference_has_text_or_url"),
        ]

    def __str__(self):
        return self.text or self.url
