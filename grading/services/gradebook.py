"""Gradebook workflows: locking and unlocking a course's results, changes made while locked, sign-off, control
scores."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coursework.models import Course, Enrollment
from grading.models import ControlKind, ControlScore, GradebookLock, LockedChange, SignOff
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


@dataclass(frozen=True)
class ControlRowConflict:
    """A student's row that someone else changed after the page was opened: the stored scores (``theirs``), who
    saved the latest of them and when (None when not known, as after a removal), and the scores this save
    changed in the row (``yours``), which were not written."""

    theirs: dict
    yours: dict
    by: object
    at: object


@dataclass(frozen=True)
class ControlScoresSaved:
    """What a save of control scores did: how many scores it changed, and the rows it left alone as stale."""

    count: int
    conflicts: dict  # student id → ControlRowConflict


def _same(one, other):
    """Two scores are the same when both are missing, or equal as numbers (70.5 and 70.50)."""
    if one is None or other is None:
        return one is None and other is None
    return Decimal(one) == Decimal(other)


def _same_row(row, other, kinds):
    return all(_same(row.get(kind), other.get(kind)) for kind in kinds)


def _write_row(*, course, by, student_id, wanted, existing):
    """Write one student's scores (``wanted``: {kind: score or None}); returns how many changed."""
    changed = 0
    for kind, value in wanted.items():
        current = existing.get((student_id, kind))
        if value is None:
            if current is not None:
                current.delete()
                changed += 1
        elif current is None:
            ControlScore.objects.create(course=course, student_id=student_id, kind=kind, score=value, entered_by=by)
            changed += 1
        elif current.score != Decimal(value):
            current.score = value
            current.entered_by = by
            current.save(update_fields=["score", "entered_by", "updated_at"])
            changed += 1
    return changed


def _stored_row(existing, student_id):
    """{kind: score or None} of one student as stored."""
    return {
        kind: existing[(student_id, kind)].score if (student_id, kind) in existing else None
        for kind in ControlKind.values
    }


def _conflict(*, student_id, yours, stored, existing):
    """A stale row's conflict; the latest of its stored scores tells who saved last and when."""
    latest = max(
        (existing[(student_id, kind)] for kind in ControlKind.values if (student_id, kind) in existing),
        key=lambda score: score.updated_at,
        default=None,
    )
    return ControlRowConflict(
        theirs=stored,
        yours=yours,
        by=latest.entered_by if latest else None,
        at=latest.updated_at if latest else None,
    )


@transaction.atomic
def control_scores_save(*, course, by, scores, reason="", opened=None):
    """Enter midterm control (РК1, РК2) and exam scores: ``scores`` maps (student id, kind) to a score or None.

    Rule: each score is 0–100; an empty value removes the score; students must be on the course's roster;
    while the course is locked, a reason is required and recorded (for the scores this save changes).

    Rule (stale rows): ``opened`` maps a student id to that student's row as the page showed it ({kind: score or
    None}; a student left out showed none). A row whose stored scores are no longer what was shown was changed by
    someone else meanwhile: none of its scores is written and it comes back among the conflicts, with the stored
    values and who saved them, unless this save brings exactly the stored values. A row this save leaves as it
    was shown is not written at all, so it never undoes someone else's newer scores. Without ``opened`` every
    score given is written. A row is written whole or not at all; a refusal (roster, range, reason) writes
    nothing.
    """
    # The roster's rows are locked, in one order: a second save of the course's scores waits here, then compares
    # with the values the first one wrote.
    enrolled = set(
        Enrollment.objects.select_for_update().filter(course=course).order_by("pk").values_list("student_id", flat=True)
    )
    existing = {
        (score.student_id, score.kind): score
        for score in ControlScore.objects.filter(course=course).select_related("entered_by")
    }
    rows = {}
    for (student_id, kind), value in scores.items():
        if student_id not in enrolled:
            raise ValidationError(_("A student who is not on this course's roster cannot be scored."))
        if value is not None and not Decimal(0) <= Decimal(value) <= 100:
            raise ValidationError(_("Scores are from 0 to 100."))
        rows.setdefault(student_id, {})[kind] = value
    changed, conflicts = 0, {}
    for student_id, wanted in rows.items():
        if opened is not None:
            shown = opened.get(student_id, {})
            stored = _stored_row(existing, student_id)
            if _same_row(wanted, shown, wanted):
                continue
            if not _same_row(stored, shown, ControlKind.values) and not _same_row(wanted, stored, wanted):
                yours = {kind: value for kind, value in wanted.items() if not _same(value, shown.get(kind))}
                conflicts[student_id] = _conflict(student_id=student_id, yours=yours, stored=stored, existing=existing)
                continue
        changed += _write_row(course=course, by=by, student_id=student_id, wanted=wanted, existing=existing)
    if changed:
        course.mark_results_changed()
        record_locked_change(
            course=course,
            by=by,
            kind=LockedChange.Kind.CONTROL_SCORES,
            details={"count": changed},
            reason=reason,
        )
    return ControlScoresSaved(count=changed, conflicts=conflicts)
