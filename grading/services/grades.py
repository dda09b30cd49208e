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
from grading.models import CriterionScore, Grade, GradeChange, HolisticBand, LockedChange
from grading.selectors.grades import grades_to_release
from grading.services.gradebook import record_locked_change
from grading.templatetags.grading_numbers import figure

# What a release shows the student; the rest of a snapshot (state, grader, titles) is not the grade itself.
RELEASED_FIELDS = (
    "points",
    "percent",
    "rubric",
    "rubric_sum",
    "rubric_maximum",
    "feedback",
    "originality_percent",
    "originality_checker",
    "originality_zero_confirmed",
    "band_kept_reason",
)


class StaleGrade(Exception):
    """Someone else saved this grade since the grader opened it."""

    def __init__(self, current):
        super().__init__("stale grade")
        self.current = current


def grade_snapshot(grade):
    """The working values of a grade as its history keeps them, a second grader is shown them, and a release
    hands them to the student (``Grade.released_values``): each criterion with the ids and the titles, in every
    language, of itself and of its level."""
    if grade is None or grade.pk is None:
        return None
    return {
        "state": grade.state,
        "points": _str(grade.points),
        "percent": _str(grade.percent),
        "rubric": grade.rubric_id,
        "rubric_sum": _str(grade.rubric_sum),
        "rubric_maximum": _str(grade.rubric_maximum),
        "feedback": grade.feedback,
        "originality_percent": _str(grade.originality_percent),
        "originality_checker": grade.originality_checker,
        "originality_zero_confirmed": grade.originality_zero_confirmed,
        "band_kept_reason": grade.band_kept_reason,
        "graded_by": grade.graded_by_id,
        "criteria": [
            {
                "criterion": score.criterion_id,
                "title": score.criterion.title,
                "titles": _titles(score.criterion),
                "level_id": score.level_id,
                "level": score.level.title,
                "level_titles": _titles(score.level),
                "points": _str(score.points),
                "comment": score.comment,
            }
            for score in grade.scores.select_related("criterion", "level").order_by("criterion__position")
        ],
    }


def _titles(row):
    return {"kk": row.title, "ru": row.title_ru, "en": row.title_en}


def _str(value):
    return None if value is None else str(value)


def _released_content(values):
    """What a student is shown of a snapshot, comparable whatever the decimals' trailing zeros or the titles."""
    if values is None:
        return None

    def number(value):
        return None if value is None else Decimal(value)

    grade = {key: values.get(key) for key in RELEASED_FIELDS}
    for key in ("points", "percent", "rubric_sum", "rubric_maximum", "originality_percent"):
        grade[key] = number(grade[key])
    scores = [
        (row["criterion"], row.get("level_id"), number(row["points"]), row["comment"])
        for row in values.get("criteria", [])
    ]
    return grade, scores


def _check_scores(rubric, scores, criteria=None):
    """Each criterion of the rubric once, its points inside the chosen level, the edge rule applied. ``criteria``:
    the rubric's with their levels, when the caller has read them; else (or when they are another rubric's) they are
    read here.

    Each refusal names its criterion (``params["criterion_id"]``), so that the form can show it beside the
    criterion's level (codes ``level_missing``, ``level_foreign``) or its points (``outside_level``, ``edge``)."""
    if not criteria or any(criterion.rubric_id != rubric.pk for criterion in criteria):
        criteria = list(rubric.criteria.prefetch_related("levels"))  # none given, or not this rubric's: read them
    by_id = {score["criterion"].pk: score for score in scores}
    errors = []
    for criterion in criteria:
        about = {"criterion_id": criterion.pk, "criterion": criterion.display_title}
        score = by_id.get(criterion.pk)
        if score is None or score.get("level") is None or score.get("points") is None:
            errors.append(
                ValidationError(_("Choose a level and points for “%(criterion)s”."), code="level_missing", params=about)
            )
            continue
        levels = list(criterion.levels.all())
        level, points = score["level"], Decimal(score["points"])
        if level.criterion_id != criterion.pk:
            errors.append(
                ValidationError(
                    _("The level chosen for “%(criterion)s” is not one of its levels."),
                    code="level_foreign",
                    params=about,
                )
            )
            continue
        if not level.min_percent <= points <= level.max_percent:
            errors.append(
                ValidationError(
                    _("“%(criterion)s”: %(points)s is outside “%(level)s” (%(low)s–%(high)s)."),
                    code="outside_level",
                    params={
                        **about,
                        "points": figure(points),
                        "level": level.display_title,
                        "low": figure(level.min_percent),
                        "high": figure(level.max_percent),
                    },
                )
            )
            continue
        owner = scoring.level_for(levels, points)
        if owner is not None and owner.pk != level.pk:
            errors.append(
                ValidationError(
                    _(
                        "“%(criterion)s”: %(points)s belongs to “%(level)s” — "
                        "an edge value belongs to the higher level."
                    ),
                    code="edge",
                    params={**about, "points": figure(points), "level": owner.display_title},
                )
            )
    if errors:
        raise ValidationError(errors)
    return criteria


def _bands(rubric):
    if rubric is None or not rubric.holistic_scale_id:
        return []
    return list(HolisticBand.objects.filter(scale_id=rubric.holistic_scale_id))


def _bands_of(rubric, bands):
    """The rubric's holistic bands: ``bands`` when they are its scale's (the grading page has read them), else read."""
    scale_id = rubric.holistic_scale_id if rubric is not None else None
    if bands is not None and (bands or scale_id is None) and all(band.scale_id == scale_id for band in bands):
        return bands
    return _bands(rubric)


def _band_rule(values, *, bands, late, max_points, kept_reason):
    """The percentage and points the offered holistic band (of ``bands``, the rubric's) allows, or the reason the
    grader kept the higher band."""
    offered, lowerings = scoring.offered_band(
        bands, values["percent"], originality=values["originality_percent"], late=late
    )
    if not lowerings or values["originality_zero_confirmed"]:
        return {"band_kept_reason": ""}
    if kept_reason.strip():
        return {"band_kept_reason": kept_reason.strip()}
    percent = scoring.capped_percent(values["percent"], offered)
    points = values["points"]
    if points is not None and percent != values["percent"]:
        points = scoring.share_of(max_points, percent)
    return {"percent": percent, "points": points, "band_kept_reason": ""}


def _direct_values(*, points, percent, max_points):
    """Without a rubric: points within the task's maximum, or, for a task the course document gives no points,
    a percentage from 0 to 100 (``percent``; a number passed as ``points`` is read as the percentage too)."""
    if max_points is None:
        percent = percent if percent is not None else points
        if percent is None:
            raise ValidationError(_("Enter the percentage."), code="percent")
        percent = Decimal(percent)
        if not Decimal(0) <= percent <= scoring.HUNDRED:
            raise ValidationError(
                _("The percentage must be between 0 and 100; %(value)s is not.") % {"value": figure(percent)},
                code="percent",
            )
        return {"points": None, "percent": percent.quantize(scoring.TWO_DECIMALS)}
    if points is None:
        raise ValidationError(_("Enter the points."), code="points")
    points = Decimal(points)
    if points < 0 or points > max_points:
        raise ValidationError(_("Points must be between 0 and %(max)s.") % {"max": figure(max_points)}, code="points")
    return {"points": points, "percent": scoring.percentage(part=points, whole=max_points)}


def grade_save(
    *,
    version,
    grader,
    expected_lock_version,
    scores=(),
    points=None,
    percent=None,
    feedback="",
    originality_percent=None,
    originality_checker="",
    zero_confirmed=False,
    band_kept_reason="",
    reason="",
    criteria=None,
    bands=None,
):
    """Save a grade's working values and record the change; what the student sees changes only on release.

    Rules: with a rubric, every criterion takes a level and points inside it, and the task's points
    are the rubric sum scaled to the task's maximum; without one, points are entered directly, within
    the task's maximum. A task the course document gives no points is graded as a percentage, 0–100:
    the rubric's, or without a rubric the one entered (``percent``, or ``points``). Originality below
    40% means 0 under the seed's scale, once the grader confirms. A released grade keeps showing the
    student its released values; ``has_unreleased_changes`` tells whether the working values now differ.
    The save is refused (StaleGrade) when someone else saved since ``expected_lock_version``; while the
    course's results are locked it needs a reason, which is recorded. The grade, its scores and its
    history row are written together or not at all. The rubric's holistic bands apply as the document states
    (``scoring.offered_band``): work whose originality or lateness a band does not allow is offered a lower
    band, which caps its percentage and points, unless the grader keeps the higher band with a written reason.
    The rubric's ``criteria`` (with their levels) and its holistic ``bands``, when the caller has just read them (the
    grading page has), are not read again.
    """
    task = version.submission.task
    rubric = task.rubric
    max_points = task.max_points
    if originality_percent is not None and not Decimal(0) <= Decimal(originality_percent) <= 100:
        raise ValidationError(_("Originality is a percentage from 0 to 100."), code="originality")
    bands = _bands_of(rubric, bands)
    zero_below = scoring.originality_zero_below(bands)
    low_originality = originality_percent is not None and Decimal(originality_percent) < zero_below
    if low_originality and not zero_confirmed:
        raise ValidationError(
            _(
                "Originality below %(limit)s%% means 0 under the course's scale. Confirm the zero, or check the "
                "figure from the checker."
            )
            % {"limit": figure(zero_below)},
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
        criteria = _check_scores(rubric, scores, criteria)
        rubric_max = scoring.rubric_maximum([list(c.levels.all()) for c in criteria])
        rubric_sum = sum((Decimal(score["points"]) for score in scores), Decimal(0))
        values.update(
            rubric_sum=rubric_sum,
            rubric_maximum=rubric_max,
            percent=scoring.percentage(part=rubric_sum, whole=rubric_max),
            points=scoring.task_points(rubric_sum=rubric_sum, rubric_max=rubric_max, max_points=max_points),
        )
    else:
        values.update(
            rubric_sum=None,
            rubric_maximum=None,
            **_direct_values(points=points, percent=percent, max_points=max_points),
        )
    if values["originality_zero_confirmed"]:
        values.update(points=Decimal(0) if max_points is not None else None, percent=Decimal(0))
    kept_reason = band_kept_reason or ""
    values.update(_band_rule(values, bands=bands, late=version.is_late, max_points=max_points, kept_reason=kept_reason))

    try:
        with transaction.atomic():
            grade, before = _write_grade(version, expected_lock_version, values)
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
            after = grade_snapshot(grade)
            if grade.is_released:
                grade.has_unreleased_changes = _released_content(after) != _released_content(grade.released_values)
                Grade.objects.filter(pk=grade.pk).update(has_unreleased_changes=grade.has_unreleased_changes)
            GradeChange.objects.create(
                grade=grade, action=GradeChange.Action.SAVED, changed_by=grader, before=before, after=after
            )
            record_locked_change(
                course=task.course,
                by=grader,
                kind=LockedChange.Kind.GRADE_SAVED,
                details={"student": version.submission.student.display_name, "label": task.label},
                reason=reason,
            )
            task.course.mark_results_changed()
    except IntegrityError as error:
        # Two first saves of the same grade at once: the second one loses the race.
        current = Grade.objects.filter(version=version).first()
        raise StaleGrade(grade_snapshot(current)) from error
    return grade


def _write_grade(version, expected_lock_version, values):
    """Create the grade or update its working values, refusing a stale save. Returns it and its values before."""
    grade = Grade.objects.select_for_update().filter(version=version).first()
    if grade is None:
        if expected_lock_version not in (None, 0):
            raise StaleGrade(None)
        grade = Grade.objects.create(version=version, submission=version.submission, lock_version=1, **values)
        grade.refresh_from_db()
        return grade, None
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
    return grade, before


@transaction.atomic
def grade_release(*, grade, by, reason="", now=None, notify=True):
    """Show the student a grade's working values as they stand now, and tell them by e-mail.

    Rules: the student sees ``released_points``, ``released_percent`` and ``released_values`` — set here and
    nowhere else — until the next release; releasing what the student already sees changes nothing. While the
    course's results are locked a release needs a reason, which is recorded. The history keeps what the student
    saw before (nothing, the first time) and what they see now.
    """
    grade = (
        Grade.objects.select_for_update()
        .select_related("submission__student", "submission__task__course")
        .get(pk=grade.pk)
    )
    if grade.is_released and not grade.has_unreleased_changes:
        return grade
    first = not grade.is_released
    before = {**grade.released_values, "state": Grade.State.RELEASED} if grade.released_values else None
    released = grade_snapshot(grade)
    released.pop("state")
    grade.state = Grade.State.RELEASED
    grade.released_at = now or timezone.now()
    grade.released_points = grade.points
    grade.released_percent = grade.percent
    grade.released_values = released
    grade.has_unreleased_changes = False
    grade.lock_version += 1
    grade.save(
        update_fields=[
            "state",
            "released_at",
            "released_points",
            "released_percent",
            "released_values",
            "has_unreleased_changes",
            "lock_version",
            "updated_at",
        ]
    )
    GradeChange.objects.create(
        grade=grade,
        action=GradeChange.Action.RELEASED,
        changed_by=by,
        before=before,
        after={**released, "state": Grade.State.RELEASED},
    )
    task = grade.submission.task
    record_locked_change(
        course=task.course,
        by=by,
        kind=LockedChange.Kind.GRADE_RELEASED,
        details={"student": grade.submission.student.display_name, "label": task.label},
        reason=reason,
    )
    task.course.mark_results_changed()
    if notify:
        transaction.on_commit(lambda: _notify_release(grade, first=first))
    return grade


def grades_release_for_task(*, task, by, expected=None, reason=""):
    """Release every grade of the task's latest versions whose student does not see it as it stands: drafts,
    and released grades changed since. Returns how many were released.

    Rules: ``expected`` is the number the grader confirmed; when the number is no longer that, nothing is
    released (ValidationError, code ``count_changed``). While the course is locked, the one reason is recorded
    for each grade released. All or nothing.
    """
    with transaction.atomic():
        grades = list(grades_to_release(task))
        if expected is not None and expected != len(grades):
            raise ValidationError(
                _("The number of grades to release has changed: it is now %(count)d. Check it and confirm again.")
                % {"count": len(grades)},
                code="count_changed",
            )
        for grade in grades:
            grade_release(grade=grade, by=by, reason=reason)
    return len(grades)


def _notify_release(grade, *, first):
    student = grade.submission.student
    if not student.email:
        return
    task = grade.submission.task
    with translation.override(settings.LANGUAGE_CODE):
        if first:
            subject = _("Your work for %(label)s has been graded") % {"label": task.label}
            body = _("Your grade for %(label)s (%(course)s) is now available in the portal:\n%(url)s")
        else:
            subject = _("Your grade for %(label)s has been updated") % {"label": task.label}
            body = _("Your grade for %(label)s (%(course)s) has been updated. See it in the portal:\n%(url)s")
        body %= {
            "label": task.label,
            "course": task.course.display_title,
            "url": settings.SITE_URL.rstrip("/") + reverse("grading:task_detail", args=[task.course_id, task.pk]),
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [student.email])
