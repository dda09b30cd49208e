"""Gradebook workflows: locking a course's results, changes made while locked, sign-off, control scores."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coursework.models import Enrollment
from grading.models import ControlScore, GradebookLock, LockedChange, SignOff
from grading.selectors.gradebook import active_lock


def record_locked_change(*, course, by, what, reason, now=None):
    """Refuse a change to a locked gradebook without a reason; record it with its reason otherwise."""
    lock = active_lock(course, now)
    if lock is None:
        return
    if not (reason or "").strip():
        raise ValidationError(
            _("The results of this course are locked. State the reason for this change."), code="reason_required"
        )
    LockedChange.objects.create(course=course, lock=lock, changed_by=by, what=what[:300], reason=reason.strip())


@transaction.atomic
def gradebook_lock(*, course, by, starts_at, ends_at=None, note=""):
    """Lock a course's results for a period (open-ended without ``ends_at``)."""
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("The lock must end after it starts."), code="lock_period")
    return GradebookLock.objects.create(course=course, starts_at=starts_at, ends_at=ends_at, note=note, locked_by=by)


@transaction.atomic
def gradebook_sign_off(*, course, by, note="", now=None):
    """The department admin signs off a locked gradebook; an unlocked one cannot be signed off."""
    lock = active_lock(course, now)
    if lock is None:
        raise ValidationError(_("Lock the course's results before signing them off."), code="not_locked")
    return SignOff.objects.create(course=course, lock=lock, signed_by=by, note=note)


@transaction.atomic
def control_scores_save(*, course, by, scores, reason=""):
    """Enter midterm control (РК1, РК2) and exam scores: ``scores`` maps (student id, kind) to a score or None.

    Rule: each score is 0–100; an empty value removes the score; students must be on the course's roster;
    while the course is locked, a reason is required and recorded. All or nothing.
    """
    enrolled = set(Enrollment.objects.filter(course=course).values_list("student_id", flat=True))
    existing = {(score.student_id, score.kind): score for score in ControlScore.objects.filter(course=course)}
    changed = []
    for (student_id, kind), value in scores.items():
        if student_id not in enrolled:
            raise ValidationError(_("A student who is not on this course's roster cannot be scored."))
        if value is not None and not Decimal(0) <= Decimal(value) <= 100:
            raise ValidationError(_("Scores are from 0 to 100."))
        current = existing.get((student_id, kind))
        if value is None:
            if current is not None:
                current.delete()
                changed.append((student_id, kind))
        elif current is None:
            ControlScore.objects.create(course=course, student_id=student_id, kind=kind, score=value, entered_by=by)
            changed.append((student_id, kind))
        elif current.score != Decimal(value):
            current.score = value
            current.entered_by = by
            current.save(update_fields=["score", "entered_by", "updated_at"])
            changed.append((student_id, kind))
    if changed:
        course.mark_results_changed()
        record_locked_change(
            course=course, by=by, what=_("Control scores changed: %(count)d") % {"count": len(changed)}, reason=reason
        )
    return len(changed)
