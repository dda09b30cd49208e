"""What the slot pages read: a task's slots with their free seats and bookings, a grader's defence note, a calendar."""

from dataclasses import dataclass

from django.db.models import Prefetch

from coursework.models import Booking, Slot, SlotKind


@dataclass
class SlotRow:
    """One slot with its free seats, whether booking is open, and the reader's own seat in it (a student's)."""

    slot: Slot
    seats_left: int
    is_open: bool
    booking: Booking | None = None

    @property
    def is_full(self):
        return self.seats_left <= 0


@dataclass
class KindGroup:
    """A task's slots of one kind, and the student's booking of that kind (in whichever slot it is)."""

    kind: str
    label: str
    rows: list
    booking: Booking | None = None


def _rows(slots, now, mine=None):
    mine = mine or {}
    return [
        SlotRow(slot, max(slot.capacity - slot.booked_count, 0), slot.is_open(now), mine.get(slot.pk)) for slot in slots
    ]


def slot_groups(*, task, now, student=None):
    """The task's slots by kind (consultations first) with free seats; with ``student``, their own bookings too,
    each knowing its slot (the page says when it is): two queries."""
    slots = list(Slot.objects.filter(task=task).with_booked_count())
    mine = {}
    if student is not None and slots:
        by_pk = {slot.pk: slot for slot in slots}
        for booking in Booking.objects.filter(slot__in=list(by_pk), student=student).order_by():
            booking.slot = by_pk[booking.slot_id]
            mine[booking.slot_id] = booking
    groups = []
    for kind, label in SlotKind.choices:
        rows = _rows([slot for slot in slots if slot.kind == kind], now, mine)
        if rows:
            groups.append(KindGroup(kind, label, rows, next((row.booking for row in rows if row.booking), None)))
    return groups


def slots_with_bookings(*, task, now):
    """The task's slots in time order, each with its bookings (students named, by surname), for its instructors."""
    bookings = Booking.objects.select_related("student").order_by("student__last_name", "student__first_name", "pk")
    slots = Slot.objects.filter(task=task).with_booked_count().prefetch_related(Prefetch("bookings", bookings))
    return _rows(slots, now)


@dataclass
class DefenceNote:
    """What a grader should know about a student's defence of a task: their booking, or that there is none."""

    booking: Booking | None


def defence_note(*, task, student):
    """The student's defence booking for the task; None when the task has no defence slots at all."""
    booking = (
        Booking.objects.select_related("slot")
        .filter(slot__task=task, slot__kind=SlotKind.DEFENCE, student=student)
        .first()
    )
    if booking is None and not Slot.objects.filter(task=task, kind=SlotKind.DEFENCE).exists():
        return None
    return DefenceNote(booking)


def calendar_slots(*, course, student=None):
    """The course's slots for a calendar, in time order: every one for its instructors; for a student, the ones
    they booked, of tasks on the schedule."""
    slots = Slot.objects.filter(task__course=course).select_related("task").with_booked_count()
    if student is not None:
        slots = slots.filter(bookings__student=student, task__is_hidden=False)
    return list(slots.order_by("starts_at", "pk"))
