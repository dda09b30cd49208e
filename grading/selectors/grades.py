"""Read-side questions about grades: the work to grade, a grade's band and letter, its scores and history, and
what its student sees of it."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import get_language

from accounts.i18n import DEFAULT_LANGUAGE
from coursework.models import Task
from grading import scoring
from grading.models import CriterionScore, Grade, GradeChange, HolisticBand, LetterGrade, Rubric
from grading.selectors.rubrics import rubric_criteria
from portfolio.models import Version

# How long a letter scale is kept in the cache: the letter scale's services forget it as they change it
# (``forget_letters``); the limit bounds a change made around them (the admin site).
LETTERS_CACHE_SECONDS = 300


def _letters_key(department_id):
    return f"letters:{department_id or 'national'}"


def letters_for(department):
    """A department's own letter scale if it keeps one, else the national default. Each scale (a department's own,
    possibly none, and the national one) is kept in the cache apart, so a change to either is seen; those not
    cached are read in one query. Only a cache that every process shares keeps them (``SHARED_CACHE``): the
    service that changes a scale forgets it there, for all."""
    ids = [department.pk, None] if department else [None]
    if not settings.SHARED_CACHE:
        scales = _scales(ids)
    else:
        keys = {department_id: _letters_key(department_id) for department_id in ids}
        cached = cache.get_many(keys.values())
        scales = {department_id: cached[key] for department_id, key in keys.items() if key in cached}
        missing = [department_id for department_id in ids if department_id not in scales]
        if missing:
            read = _scales(missing)
            cache.set_many({keys[pk]: letters for pk, letters in read.items()}, timeout=LETTERS_CACHE_SECONDS)
            scales.update(read)
    return next((scales[department_id] for department_id in ids if scales[department_id]), [])


def _scales(ids):
    """{department id (None: the national scale): its letters, possibly none}, in one query."""
    scales = {department_id: [] for department_id in ids}
    for letter in LetterGrade.objects.filter(_of_departments(ids)):
        scales[letter.department_id].append(letter)
    return scales


def _of_departments(ids):
    """The letters of these departments' own scales, and of the national one when None is among the ids."""
    wanted = Q(department_id__in=[pk for pk in ids if pk is not None])
    return wanted | Q(department__isnull=True) if None in ids else wanted


def forget_letters(department):
    """Drop a department's letter scale (the national one for None) from the cache: now, for this transaction's
    reads, and again once it commits, for a read that came in between and cached the old scale."""
    key = _letters_key(department.pk if department else None)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def outcome_scales(rubric, department):
    """The holistic bands of a rubric (none without one) and the department's letters: what a percentage maps to."""
    bands = list(HolisticBand.objects.filter(scale_id=rubric.holistic_scale_id)) if rubric else []
    return bands, letters_for(department)


def grade_outcome(grade):
    """The holistic band and the national letter a grade's percentage falls in: the one rule for every page and PDF."""
    bands, letters = outcome_scales(grade.rubric, grade.submission.task.course.department)
    return {"band": scoring.band_for(bands, grade.percent), "letter": scoring.letter_for(letters, grade.percent)}


def grade_scores(grade):
    """The grade's scores with their criterion and level, in the rubric's order: as released to the student for
    a ``ReleasedGrade``, the working scores for a ``Grade``."""
    if isinstance(grade, ReleasedGrade):
        return grade.scores
    return list(
        CriterionScore.objects.filter(grade=grade)
        .select_related("criterion", "level")
        .order_by("criterion__position", "criterion__pk")
    )


# The grading page shows this many of a grade's latest changes, with a link to all of them.
HISTORY_SHOWN = 5


def grade_history(submission):
    """The recorded changes to any grade of a submission, newest first."""
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
            band_kept_reason=grade.band_kept_reason,
            points=grade.points,
            percent=grade.percent,
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
    criteria = rubric_criteria(rubric) if rubric else []
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


def latest_grades(task):
    """The grades of the task's latest handed-in versions, drafts included, by student's name."""
    latest = Version.objects.latest_submitted().filter(submission__task=task)
    return (
        Grade.objects.filter(version__in=latest)
        .select_related("submission__student", "submission__task__course", "version")
        .order_by("submission__student__last_name", "submission__student__first_name", "pk")
    )


def grades_to_release(task):
    """The grades of the task's latest handed-in versions that their students do not see as they stand: drafts,
    and released grades changed since their release."""
    latest = Version.objects.latest_submitted().filter(submission__task=task)
    return (
        Grade.objects.filter(version__in=latest)
        .filter(Q(state=Grade.State.DRAFT) | Q(has_unreleased_changes=True))
        .order_by("pk")
    )


def course_points_total(course_id):
    """The course's total of points: the sum of the maximum points of its shown tasks that have them (62 in the
    seed)."""
    tasks = Task.objects.shown().filter(course_id=course_id, max_points__isnull=False)
    total = tasks.aggregate(total=Sum("max_points"))
    return total["total"] or Decimal(0)


def _in_language(titles):
    language = (get_language() or DEFAULT_LANGUAGE).split("-")[0]
    return titles.get(language) or titles.get(DEFAULT_LANGUAGE) or ""


def _decimal(value):
    return None if value is None else Decimal(value)


@dataclass
class ReleasedScore:
    """A criterion's score as it was released: its level and points, with titles in every language."""

    criterion_id: int
    level_id: int | None
    titles: dict
    level_titles: dict
    points: Decimal
    comment: str

    @property
    def criterion_title(self):
        return _in_language(self.titles)

    @property
    def level_title(self):
        return _in_language(self.level_titles)


@dataclass
class ReleasedGrade:
    """What a grade's student sees: its values at the last release (``Grade.released_values``), not the working
    values a grader may have changed since. It reads like a ``Grade`` in the student's pages and PDF."""

    grade: Grade
    values: dict = field(repr=False)

    is_released = True
    has_unreleased_changes = False
    state = Grade.State.RELEASED

    # The row's own facts are the grade's; its values are the released ones below.
    @property
    def pk(self):
        return self.grade.pk

    @property
    def version(self):
        return self.grade.version

    @property
    def version_id(self):
        return self.grade.version_id

    @property
    def submission(self):
        return self.grade.submission

    @property
    def submission_id(self):
        return self.grade.submission_id

    @property
    def released_at(self):
        return self.grade.released_at

    @property
    def points(self):
        return self.grade.released_points

    @property
    def percent(self):
        return self.grade.released_percent

    @property
    def rubric_sum(self):
        return _decimal(self.values.get("rubric_sum"))

    @property
    def rubric_maximum(self):
        return _decimal(self.values.get("rubric_maximum"))

    @property
    def feedback(self):
        return self.values.get("feedback", "")

    @property
    def originality_percent(self):
        return _decimal(self.values.get("originality_percent"))

    @property
    def originality_checker(self):
        return self.values.get("originality_checker", "")

    @property
    def originality_zero_confirmed(self):
        return bool(self.values.get("originality_zero_confirmed"))

    @property
    def band_kept_reason(self):
        return self.values.get("band_kept_reason", "")

    @cached_property
    def rubric(self):
        rubric_id = self.values.get("rubric")
        if rubric_id is None or rubric_id == self.grade.rubric_id:
            return self.grade.rubric if rubric_id is not None else None
        return Rubric.objects.filter(pk=rubric_id).first()

    @cached_property
    def graded_by(self):
        grader_id = self.values.get("graded_by")
        if grader_id is None or grader_id == self.grade.graded_by_id:
            return self.grade.graded_by if grader_id is not None else None
        return get_user_model().objects.filter(pk=grader_id).first()

    @cached_property
    def scores(self):
        return [
            ReleasedScore(
                criterion_id=row["criterion"],
                level_id=row.get("level_id"),
                titles=row.get("titles") or {DEFAULT_LANGUAGE: row.get("title", "")},
                level_titles=row.get("level_titles") or {DEFAULT_LANGUAGE: row.get("level", "")},
                points=Decimal(row["points"]),
                comment=row.get("comment", ""),
            )
            for row in self.values.get("criteria", [])
        ]

    @cached_property
    def course_points_total(self):
        return course_points_total(self.grade.submission.task.course_id)


def released_grade(grade):
    """What the student of a released grade sees of it, or None while it is a draft."""
    if not grade.is_released or grade.released_values is None:
        return None
    return ReleasedGrade(grade=grade, values=grade.released_values)
