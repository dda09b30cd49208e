"""Read-side questions about grades."""

from grading import scoring
from grading.models import CriterionScore, HolisticBand, LetterGrade


def letters_for(department):
    """A department's own letter scale if it keeps one, else the national default."""
    own = list(LetterGrade.objects.filter(department=department)) if department else []
    return own or list(LetterGrade.objects.filter(department__isnull=True))


def grade_outcome(grade):
    """The holistic band and the national letter a grade's percentage falls in."""
    bands = []
    if grade.rubric_id and grade.rubric.holistic_scale_id:
        bands = list(HolisticBand.objects.filter(scale_id=grade.rubric.holistic_scale_id))
    letters = letters_for(grade.submission.task.course.department)
    return {"band": scoring.band_for(bands, grade.percent), "letter": scoring.letter_for(letters, grade.percent)}


def grade_scores(grade):
    """The grade's scores with their criterion and level, in the rubric's order."""
    return list(
        CriterionScore.objects.filter(grade=grade)
        .select_related("criterion", "level")
        .order_by("criterion__position", "criterion__pk")
    )
