"""Grading's answers to what coursework reports (``coursework.signals``)."""

from django.dispatch import receiver

from coursework.signals import course_copied
from grading.models import CourseAssessment


@receiver(course_copied, dispatch_uid="grading_assessment_copy")
def assessment_copy(sender, *, source, copy, **kwargs):
    """A course copied into a new term keeps its way of turning points into the final grade (its credit formula,
    the last week of the first rating period, the weights and the admission threshold)."""
    assessment = CourseAssessment.objects.filter(course=source).first()
    if assessment is not None:
        assessment.pk = None
        assessment.course = copy
        assessment.save()
