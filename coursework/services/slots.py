"""Consultation and defence slots: publishing and deleting them, booking and cancelling a seat, attendance.

Every workflow re-checks its rules here, whatever the page showed: a seat taken since, a booking that has
closed, a student no longer on the roster. Seats are counted under a row lock on the slot, so two students
cannot take its last seat at once.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coursework.models import Attendance, Booking, Enrollment, Slot, SlotKind, Task

MIN_LENGTH, MAX_LENGTH = 5, 240  # minutes
MAX_COUNT = 20  # consecutive slots published at once
MAX_CAPACITY = 100
MAX_NOTICE_HOURS = 24 * 30


def _moment(value):
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")


def _check_publish_numbers(*, kind, length, count, capacity, closes_hours_before):
    errors = {}
    if kind not in SlotKind.values:
        errors["kind"] = _("Choose a consultation or a defence.")
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        errors["length"] = _("A slot lasts from %(low)d to %(high)d minutes.") % {"low": MIN_LENGTH, "high": MAX_LENGTH}
    if not 1 <= count <= MAX_COUNT:
        errors["count"] = _("Publish from 1 to %(high)d slots at a time.") % {"high": MAX_COUNT}
    if not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = _("A slot has from 1 to %(high)d seats.") % {"high": MAX_CAPACITY}
    if not 0 <= closes_hours_before <= MAX_NOTICE_HOURS:
        errors["closes_hours_before"] = _("Booking closes from 0 to %(high)d hours before the start.") % {
            "high": MAX_NOTICE_HOURS
        }
    if errors:
        raise ValidationError(errors)


def _check_publish_times(task, starts_at, ends_at, notice, now):
    if starts_at <= now:
        raise ValidationError({"start_time": _("This time has already passed. Choose a moment in the future.")})
    if starts_at - notice < now:
        raise ValidationError(
            {
                "closes_hours_before": _(
                    "Booking for the first slot would close at %(moment)s, which has already passed. "
                    "Choose fewer hours."
                )
                % {"moment": _moment(starts_at - notice)}
            }
        )
    clash = Slot.objects.filter(task=task, starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if clash is not None:
        raise ValidationError(
            {
                "start_time": _("This overlaps the slot %(start)s–%(end)s already published for this task.")
                % {"start": _moment(clash.starts_at), "end": timezone.localtime(clash.ends_at).strftime("%H:%M")}
            }
        )


@transaction.atomic
def slot_publish(*, task, kind, starts_at, length, count, place, capacity, closes_hours_before, by, now=None):
    """Publish ``count`` consecutive slots of ``length`` minutes from ``starts_at``, each with ``capacity`` seats.

    The first starts in the future, booking of the first is still open, and none overlaps a slot already published
    for the task (of either kind). Booking of each slot closes ``closes_hours_before`` hours before it starts.
    Errors are keyed by the publish form's fields.
    """
    now = now or timezone.now()
    _check_publish_numbers(
        kind=kind, length=length, count=count, capacity=capacity, closes_hours_before=closes_hours_before
    )
    place = place.strip()
    if not place:
        raise ValidationError({"place": _("Say where the slot takes place: a room or a meeting link.")})
    Task.objects.select_for_update().filter(pk=task.pk).first()  # one publisher of a task at a time
    step, notice = dt.timedelta(minutes=length), dt.timedelta(hours=closes_hours_before)
    _check_publish_times(task, starts_at, starts_at + step * count, notice, now)
    slots = [
        Slot(
            task=task,
            kind=kind,
            starts_at=starts_at + step * number,
            ends_at=starts_at + step * (number + 1),
            place=place,
            capacity=capacity,
            booking_closes_at=starts_at + step * number - notice,
            created_by=by,
        )
        for number in range(count)
    ]
    return Slot.objects.bulk_create(slots)


@transaction.atomic
def slot_delete(*, slot, confirmed=False):
    """Delete a slot. A slot with bookings is deleted only when the instructor confirmed that its students lose
    their seats (checked again here: a student may have booked since the page was shown). Returns how many
    bookings went with it."""
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    booked = slot.bookings.count()
    if booked and not confirmed:
        raise ValidationError(
            _("Students have booked this slot. Confirm that they will lose their seats."), code="has_bookings"
        )
    slot.delete()
    return booked


def _refuse(message, code):
    raise ValidationError(message, code=code)


@transaction.atomic
def booking_create(*, slot, student, now=None):
    """Book the student a seat in the slot.

    Only a student on the course's roster, for a task that is not hidden, while booking is open and a seat is
    free; one consultation and one defence booking per task and student. The student's enrolment and then the
    slot are locked, so neither two students nor two tabs of one student can take more seats than there are.
    """
    now = now or timezone.now()
    task = slot.task
    enrolled = Enrollment.objects.select_for_update().filter(course_id=task.course_id, student=student).first()
    if enrolled is None or not student.is_student:
        _refuse(_("You are not enrolled in this course, so you cannot book its slots."), "not_enrolled")
    slot = Slot.objects.select_for_update().select_related("task").get(pk=slot.pk)
    if slot.task.is_hidden:
        _refuse(_("This task is no longer on the schedule."), "hidden")
    if not slot.is_open(now):
        closed = _moment(slot.booking_closes_at)
        _refuse(_("Booking for this slot closed on %(moment)s.") % {"moment": closed}, "closed")
    mine = Booking.objects.filter(student=student, slot__task=slot.task, slot__kind=slot.kind).select_related("slot")
    if (existing := mine.first()) is not None:
        _refuse(_already_booked(existing, slot), "already_booked")
    if slot.bookings.count() >= slot.capacity:
        _refuse(_("This slot is full. Choose another one."), "full")
    return Booking.objects.create(slot=slot, student=student, booked_at=now)


def _already_booked(existing, slot):
    moment = _moment(existing.slot.starts_at)
    if slot.kind == SlotKind.DEFENCE:
        text = _("You have already booked a defence for this task (%(moment)s). Cancel it first to choose another.")
    else:
        text = _(
            "You have already booked a consultation for this task (%(moment)s). Cancel it first to choose another."
        )
    return text % {"moment": moment}


@transaction.atomic
def booking_cancel(*, booking, now=None):
    """Give up a seat: only while booking of the slot is open, so the instructor knows who comes once it closes."""
    now = now or timezone.now()
    slot = Slot.objects.select_for_update().get(pk=booking.slot_id)
    if not slot.is_open(now):
        _refuse(
            _("Booking closed on %(moment)s: the seat can no longer be cancelled. Tell your instructor instead.")
            % {"moment": _moment(slot.booking_closes_at)},
            "closed",
        )
    deleted, _rows = Booking.objects.filter(pk=booking.pk).delete()
    return deleted > 0


@transaction.atomic
def attendance_mark(*, slot, marks, now=None):
    """Record who came to a slot: ``marks`` maps a booking's pk to attended, absent or "" (not marked).

    Only once the slot has started, and only for this slot's bookings. Returns how many bookings changed.
    """
    now = now or timezone.now()
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if now < slot.starts_at:
        _refuse(
            _("Attendance can be marked once the slot has started (%(moment)s).") % {"moment": _moment(slot.starts_at)},
            "not_started",
        )
    if any(value not in Attendance.values for value in marks.values()):
        _refuse(_("Choose attended, absent or not marked for each student."), "attendance")
    changed = []
    for booking in slot.bookings.filter(pk__in=list(marks)):
        if booking.attendance != marks[booking.pk]:
            booking.attendance = marks[booking.pk]
            changed.append(booking)
    Booking.objects.bulk_update(changed, ["attendance"])
    return len(changed)
