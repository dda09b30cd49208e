"""Grading's answers to what coursework reports (``coursework.signals``), and to a rubric's rows changing."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from coursework.signals import course_copied
from grading.models import CourseAssessment, Criterion, Level, Rubric


@receiver(course_copied, dispatch_uid="grading_assessment_copy")
def assessment_copy(sender, *, source, copy, **kwargs):
    """A course copied into a new term keeps its way of turning points into the final grade (its credit formula,
    the last week of the first rating period, the weights and the admission threshold)."""
    assessment = CourseAssessment.objects.filter(course=source).first()
    if assessment is not None:
        assessment.pk = None
        assessment.course = copy
        assessment.save()


@receiver([post_save, post_delete], sender=Criterion, dispatch_uid="grading_criterion_touches_rubric")
def criterion_changed(sender, instance, **kwargs):
    """A criterion saved or deleted outside ``rubric_save`` (the admin) is a new state of its rubric: its
    ``updated_at`` moves on, so the pages that read the rubric by it (``grading.selectors.rubrics``) read it again."""
    Rubric.objects.filter(pk=instance.rubric_id).update(updated_at=timezone.now())


@receiver([post_save, post_delete], sender=Level, dispatch_uid="grading_level_touches_rubric")
def level_changed(sender, instance, **kwargs):
    """As ``criterion_changed``, for a level: the rubric of its criterion moves on."""
    Rubric.objects.filter(criteria=instance.criterion_id).update(updated_at=timezone.now())
