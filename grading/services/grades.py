"""Saving a grade with its history, releasing it, and telling the student."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grading import scoring
from grading.models import CriterionScore, Grade, GradeChange
from grading.services.gradebook import record_locked_change
from portfolio.models import Version

ORIGINALITY_ZERO_BELOW = Decimal(40)


class StaleGrade(Exception):
    """Someone else saved this grade since the grader opened it."""

    def __init__(self, current):
        super().__init__("stale grade")
        self.current = current


def grade_snapshot(grade):
    """The values of a grade as they are kept in its history and shown to a second grader."""
    if grade is None or grade.pk is None:
        return None
    return {
        "state": grade.state,
        "points": _str(grade.points),
        "percent": _str(grade.percent),
        "rubric_sum": _str(grade.rubric_sum),
        "feedback": grade.feedback,
        "originality_percent": _str(grade.originality_percent),
        "originality_checker": grade.originality_checker,
        "criteria": [
            {
                "criterion": score.criterion_id,
                "title": score.criterion.title,
                "level": score.level.title,
                "points": _str(score.points),
                "comment": score.comment,
            }
            for score in grade.scores.select_related("criterion", "level").order_by("criterion__position")
        ],
    }


def _str(value):
    return None if value is None else str(value)


def _check_scores(rubric, scores):
    """Each criterion of the rubric once, its points inside the chosen level, the edge rule applied."""
    criteria = list(rubric.criteria.prefetch_related("levels"))
    by_id = {score["criterion"].pk: score for score in scores}
    errors = []
    for criterion in criteria:
        score = by_id.get(criterion.pk)
        if score is None or score.get("level") is None or score.get("points") is None:
            errors.append(_("Choose a level and points for “%(criterion)s”.") % {"criterion": criterion.display_title})
            continue
        levels = list(criterion.levels.all())
        level, points = score["level"], Decimal(score["points"])
        if level.criterion_id != criterion.pk:
            errors.append(
                _("The level chosen for “%(criterion)s” is not one of its levels.")
                % {"criterion": criterion.display_title}
            )
            continue
        if not level.min_percent <= points <= level.max_percent:
            errors.append(
                _("“%(criterion)s”: %(points)s is outside “%(level)s” (%(low)s–%(high)s).")
                % {
                    "criterion": criterion.display_title,
                    "points": f"{points:g}",
                    "level": level.display_title,
                    "low": f"{level.min_percent:g}",
                    "high": f"{level.max_percent:g}",
                }
            )
            continue
        owner = scoring.level_for(levels, points)
        if owner is not None and owner.pk != level.pk:
            errors.append(
                _("“%(criterion)s”: %(points)s belongs to “%(level)s” — an edge value belongs to the higher level.")
                % {"criterion": criterion.display_title, "points": f"{points:g}", "level": owner.display_title}
            )
    if errors:
        raise ValidationError(errors)
    return criteria


def grade_save(
    *,
    version,
    grader,
    expected_lock_version,
    scores=(),
    points=None,
    feedback="",
    originality_percent=None,
    originality_checker="",
    zero_confirmed=False,
    reason="",
):
    """Save a grade as a draft (or update a released one) and record the change.

    Rules: with a rubric, every criterion takes a level and points inside it, and the task's points
    are the rubric sum scaled to the task's maximum; without one, points are entered directly, within
    the task's maximum. Originality below 40% means 0 under the seed's scale, once the grader confirms.
    The save is refused (StaleGrade) when someone else saved since ``expected_lock_version``; while the
    course's results are locked it needs a reason, which is recorded. The grade, its scores and its
    history row are written together or not at all.
    """
    task = version.submission.task
    rubric = task.rubric
    max_points = task.max_points
    if originality_percent is not None and not Decimal(0) <= Decimal(originality_percent) <= 100:
        raise ValidationError(_("Originality is a percentage from 0 to 100."))
    low_originality = originality_percent is not None and Decimal(originality_percent) < ORIGINALITY_ZERO_BELOW
    if low_originality and not zero_confirmed:
        raise ValidationError(
            _(
                "Originality below %(limit)s%% means 0 under the course's scale. Confirm the zero, or check the "
                "figure from the checker."
            )
            % {"limit": ORIGINALITY_ZERO_BELOW},
            code="confirm_zero",
        )
    values = {
        "feedback": feedback,
        "originality_percent": originality_percent,
        "originality_checker": originality_checker,
        "originality_zero_confirmed": bool(low_originality and zero_confirmed),
        "rubric": rubric,
        "graded_by": grader,
    }
    if rubric is not None:
        criteria = _check_scores(rubric, scores)
        rubric_max = scoring.rubric_maximum([list(c.levels.all()) for c in criteria])
        rubric_sum = sum((Decimal(score["points"]) for score in scores), Decimal(0))
        values.update(
            rubric_sum=rubric_sum,
            rubric_maximum=rubric_max,
            percent=scoring.percentage(part=rubric_sum, whole=rubric_max),
            points=scoring.task_points(rubric_sum=rubric_sum, rubric_max=rubric_max, max_points=max_points),
        )
    else:
        if points is None:
            raise ValidationError(_("Enter the points."), code="points")
        points = Decimal(points)
        if points < 0 or (max_points is not None and points > max_points):
            raise ValidationError(
                _("Points must be between 0 and %(max)s.") % {"max": f"{max_points:g}"}, code="points"
            )
        values.update(
            rubric_sum=None,
            rubric_maximum=None,
            points=points,
            percent=scoring.percentage(part=points, whole=max_points) if max_points else None,
        )
    if values["originality_zero_confirmed"]:
        values.update(points=Decimal(0) if max_points is not None else None, percent=Decimal(0))

    try:
        with transaction.atomic():
            grade = Grade.objects.select_for_update().filter(version=version).first()
            if grade is None:
                if expected_lock_version not in (None, 0):
                    raise StaleGrade(None)
                grade = Grade.objects.create(version=version, submission=version.submission, lock_version=1, **values)
                before = None
            else:
                if grade.lock_version != expected_lock_version:
                    raise StaleGrade(grade_snapshot(grade))
                before = grade_snapshot(grade)
                updated = Grade.objects.filter(pk=grade.pk, lock_version=expected_lock_version).update(
                    lock_version=grade.lock_version + 1, updated_at=timezone.now(), **values
                )
                if updated != 1:
                    raise StaleGrade(grade_snapshot(grade))
                grade.refresh_from_db()
                grade.scores.all().delete()
            if rubric is not None:
                CriterionScore.objects.bulk_create(
                    CriterionScore(
                        grade=grade,
                        criterion=score["criterion"],
                        level=score["level"],
                        points=Decimal(score["points"]),
                        comment=score.get("comment", ""),
                    )
                    for score in scores
                )
            GradeChange.objects.create(
                grade=grade,
                action=GradeChange.Action.SAVED,
                changed_by=grader,
                before=before,
                after=grade_snapshot(grade),
            )
            record_locked_change(
                course=task.course,
                by=grader,
                what=_("Grade of %(student)s for %(label)s")
                % {"student": version.submission.student, "label": task.label},
                reason=reason,
            )
            task.course.mark_results_changed()
    except IntegrityError as error:
        # Two first saves of the same grade at once: the second one loses the race.
        current = Grade.objects.filter(version=version).first()
        raise StaleGrade(grade_snapshot(current)) from error
    return grade


@transaction.atomic
def grade_release(*, grade, by, now=None, notify=True):
    """Show a grade to its student and tell them by e-mail. Releasing twice changes nothing."""
    grade = Grade.objects.select_for_update().select_related("submission__student", "submission__task").get(pk=grade.pk)
    if grade.is_released:
        return grade
    before = grade_snapshot(grade)
    grade.state = Grade.State.RELEASED
    grade.released_at = now or timezone.now()
    grade.lock_version += 1
    grade.save(update_fields=["state", "released_at", "lock_version", "updated_at"])
    GradeChange.objects.create(
        grade=grade, action=GradeChange.Action.RELEASED, changed_by=by, before=before, after=grade_snapshot(grade)
    )
    grade.submission.task.course.mark_results_changed()
    if notify:
        transaction.on_commit(lambda: _notify_release(grade))
    return grade


def grades_release_for_task(*, task, by):
    """Release every draft grade of the task's latest versions. Returns how many were released."""
    latest = Version.objects.latest_submitted().filter(submission__task=task)
    drafts = Grade.objects.filter(version__in=latest, state=Grade.State.DRAFT)
    released = 0
    for grade in drafts:
        grade_release(grade=grade, by=by)
        released += 1
    return released


def _notify_release(grade):
    student = grade.submission.student
    if not student.email:
        return
    task = grade.submission.task
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your work for %(label)s has been graded") % {"label": task.label}
        body = _("Your grade for %(label)s (%(course)s) is now available in the portal:\n%(url)s") % {
            "label": task.label,
            "course": task.course.display_title,
            "url": settings.SITE_URL.rstrip("/") + reverse("grading:task_detail", args=[task.course_id, task.pk]),
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [student.email])
