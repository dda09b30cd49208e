"""What case plans do when a layer below them announces something."""

from django.dispatch import receiver

from caseplans.models import Vignette
from coursework.signals import course_copied


@receiver(course_copied, dispatch_uid="caseplans_copy_vignettes")
def copy_vignettes(sender, source, copy, **kwargs):
    """A course copied into a new term takes its case vignettes along (not who was given which)."""
    Vignette.objects.bulk_create(
        Vignette(
            course=copy,
            title=vignette.title,
            language=vignette.language,
            client_category=vignette.client_category,
            text=vignette.text,
            is_example=vignette.is_example,
            example_key=vignette.example_key,
            created_by=vignette.created_by,
        )
        for vignette in source.vignettes.all()
    )
