"""Gradebook workflows: locking and unlocking a course's results, changes made while locked, sign-off, control
scores."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coursework.models import Course, Enrollment
from grading.models import ControlScore, GradebookLock, LockedChange, SignOff
from grading.selectors.gradebook import active_lock, scale_snapshot
from grading.selectors.grades import letters_for


def record_locked_change(*, course, by, kind, details, reason, now=None):
    """Refuse a change to a locked gradebook without a reason; record it with its reason otherwise.

    ``kind`` (LockedChange.Kind) and ``details`` (the values its sentence names) let every reader read the
    change in their own language."""
    lock = active_lock(course, now)
    if lock is None:
        return
    if not (reason or "").strip():
        raise ValidationError(
            _("The results of this course are locked. State the reason for this change."), code="reason_required"
        )
    what = LockedChange.SENTENCES[kind] % details
    LockedChange.objects.create(
        course=course, lock=lock, changed_by=by, what=what[:300], kind=kind, details=details, reason=reason.strip()
    )


def _period(starts_at, ends_at):
    start = formats.date_format(timezone.localtime(starts_at), "SHORT_DATETIME_FORMAT")
    if ends_at is None:
        return _("from %(start)s, with no end") % {"start": start}
    end = formats.date_format(timezone.localtime(ends_at), "SHORT_DATETIME_FORMAT")
    return f"{start} – {end}"


@transaction.atomic
def gradebook_lock(*, course, by, starts_at, ends_at=None, note=""):
    """Lock a course's results for a period (open-ended without ``ends_at``).

    Rule: the period may not overlap the period of another lock of the course that was not unlocked, from its
    start to its end (open-ended: for ever). So locking twice is refused, and so is a period that meets a lock
    in force, planned or ended. A lock that was unlocked stands in no one's way: unlocking is the department's
    decision that it is over, and the results may be locked again at once.
    """
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("The lock must end after it starts."), code="lock_period")
    # Two admins (or a double click) locking at once: the second waits here and then sees the first lock.
    Course.objects.select_for_update().filter(pk=course.pk).first()
    for lock in GradebookLock.objects.filter(course=course, unlocked_at__isnull=True).order_by("starts_at"):
        if (ends_at is None or lock.starts_at < ends_at) and (lock.ends_at is None or starts_at < lock.ends_at):
            raise ValidationError(
                _("The results are already locked: %(period)s. Unlock that lock first, or choose a period after it.")
                % {"period": _period(lock.starts_at, lock.ends_at)},
                code="lock_overlap",
            )
    return GradebookLock.objects.create(course=course, starts_at=starts_at, ends_at=ends_at, note=note, locked_by=by)


@transaction.atomic
def gradebook_unlock(*, lock, by, reason, now=None):
    """End a lock now (or call off one that has not begun), for a stated reason.

    Rule: only a lock that has not ended and was not unlocked already can be unlocked; the reason is required.
    The lock stays on record with who unlocked it, when and why; changes after this moment need no reason.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("State the reason for unlocking."), code="reason_required")
    lock = GradebookLock.objects.select_for_update().get(pk=lock.pk)
    if lock.unlocked_at is not None:
        raise ValidationError(_("This lock was already unlocked."), code="already_unlocked")
    if lock.ends_at is not None and lock.ends_at <= now:
        raise ValidationError(_("This lock has already ended."), code="lock_ended")
    lock.unlocked_at, lock.unlocked_by, lock.unlock_reason = now, by, reason[:500]
    lock.save(update_fields=["unlocked_at", "unlocked_by", "unlock_reason"])
    return lock


@transaction.atomic
def gradebook_sign_off(*, course, by, note="", now=None):
    """The department admin signs off a locked gradebook, with the letter scale it is signed with.

    Rules: an unlocked gradebook cannot be signed off, nor one already signed off under the lock in force. The
    sign-off keeps the department's letters of this moment (``letters_for``), and the gradebook keeps using them
    whatever becomes of the department's scale (see ``grading.selectors.gradebook``).
    """
    lock = active_lock(course, now)
    if lock is None:
        raise ValidationError(_("Lock the course's results before signing them off."), code="not_locked")
    if SignOff.objects.filter(lock=lock).exists():
        raise ValidationError(_("This gradebook is already signed off under the lock in force."), code="signed")
    return SignOff.objects.create(
        course=course,
        lock=lock,
        signed_by=by,
        note=note,
        letter_scale=scale_snapshot(letters_for(course.department)),
    )


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
            course=course,
            by=by,
            kind=LockedChange.Kind.CONTROL_SCORES,
            details={"count": len(changed)},
            reason=reason,
        )
    return len(changed)
