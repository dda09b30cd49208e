"""Read-side questions about grades: the work to grade, a grade's band and letter, its scores and history."""

from dataclasses import dataclass

from grading import scoring
from grading.models import CriterionScore, Grade, GradeChange, HolisticBand, LetterGrade
from portfolio.models import Version


def letters_for(department):
    """A department's own letter scale if it keeps one, else the national default."""
    own = list(LetterGrade.objects.filter(department=department)) if department else []
    return own or list(LetterGrade.objects.filter(department__isnull=True))


def outcome_scales(rubric, department):
    """The holistic bands of a rubric (none without one) and the department's letters: what a percentage maps to."""
    bands = list(HolisticBand.objects.filter(scale_id=rubric.holistic_scale_id)) if rubric else []
    return bands, letters_for(department)


def grade_outcome(grade):
    """The holistic band and the national letter a grade's percentage falls in: the one rule for every page and PDF."""
    bands, letters = outcome_scales(grade.rubric, grade.submission.task.course.department)
    return {"band": scoring.band_for(bands, grade.percent), "letter": scoring.letter_for(letters, grade.percent)}


def grade_scores(grade):
    """The grade's scores with their criterion and level, in the rubric's order."""
    return list(
        CriterionScore.objects.filter(grade=grade)
        .select_related("criterion", "level")
        .order_by("criterion__position", "criterion__pk")
    )


def grade_history(submission):
    """Every recorded change to any grade of a submission, newest first."""
    return (
        GradeChange.objects.filter(grade__submission=submission)
        .select_related("changed_by", "grade__version")
        .order_by("-changed_at", "-pk")
    )


@dataclass
class GradingWork:
    """What the grading page works on: the latest handed-in version, the rubric's criteria, this version's
    grade, and the grade of an earlier version (its values are offered when regrading)."""

    version: Version | None
    criteria: list
    grade: Grade | None = None
    previous: Grade | None = None

    def initial(self):
        """The form's starting values: this version's grade, else the earlier version's, and the lock version."""
        grade = self.grade or self.previous
        initial = {"lock_version": self.grade.lock_version if self.grade else 0}
        if grade is None:
            return initial
        initial.update(
            feedback=grade.feedback,
            originality_percent=grade.originality_percent,
            originality_checker=grade.originality_checker,
            zero_confirmed=grade.originality_zero_confirmed,
            points=grade.points,
        )
        for score in grade.scores.all():
            prefix = f"c{score.criterion_id}"
            initial.update(
                {
                    f"{prefix}-level": score.level_id,
                    f"{prefix}-points": score.points,
                    f"{prefix}-comment": score.comment,
                }
            )
        return initial


def grading_work(submission):
    version = Version.objects.latest_submitted().filter(submission=submission).prefetch_related("files").first()
    rubric = submission.task.rubric
    criteria = list(rubric.criteria.prefetch_related("levels")) if rubric else []
    if version is None:
        return GradingWork(version=None, criteria=criteria)
    grade = Grade.objects.filter(version=version).prefetch_related("scores").first()
    previous = None
    if grade is None:
        previous = (
            Grade.objects.filter(submission=submission)
            .exclude(version=version)
            .order_by("-version__number")
            .prefetch_related("scores")
            .first()
        )
    return GradingWork(version=version, criteria=criteria, grade=grade, previous=previous)
