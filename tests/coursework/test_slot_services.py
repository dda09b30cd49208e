"""Consultation and defence slots: publishing, booking under contention, cancelling, attendance, deleting."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coursework.models import Attendance, Booking, Slot, SlotKind
from coursework.selectors.slots import calendar_slots, defence_note, slot_groups
from coursework.services.slots import attendance_mark, booking_cancel, booking_create, slot_delete, slot_publish

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
NOW = dt.datetime(2025, 12, 1, 9, 0, tzinfo=ALMATY)
TEN = dt.datetime(2025, 12, 10, 10, 0, tzinfo=ALMATY)


def publish(cast, **overrides):
    values = {
        "task": cast.tasks["СӨЖ 3"],
        "kind": SlotKind.DEFENCE,
        "starts_at": TEN,
        "length": 20,
        "count": 3,
        "place": "Ауд. 305",
        "capacity": 1,
        "closes_hours_before": 24,
        "by": cast.instructor,
        "now": NOW,
    }
    return slot_publish(**{**values, **overrides})


def make_slot(task, starts_at=TEN, *, kind=SlotKind.DEFENCE, capacity=1, minutes=20, closes=dt.timedelta(hours=24)):
    return Slot.objects.create(
        task=task,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        place="Ауд. 305",
        capacity=capacity,
        booking_closes_at=starts_at - closes,
    )


def errors_of(excinfo):
    return excinfo.value.message_dict


# Publishing ------------------------------------------------------------------------------------------


def test_three_defence_slots_of_twenty_minutes_follow_one_another_from_ten(cast):
    slots = publish(cast)
    stored = list(Slot.objects.filter(task=cast.tasks["СӨЖ 3"]))
    assert [timezone.localtime(slot.starts_at).strftime("%H:%M") for slot in stored] == ["10:00", "10:20", "10:40"]
    assert [timezone.localtime(slot.ends_at).strftime("%H:%M") for slot in stored] == ["10:20", "10:40", "11:00"]
    assert all(slot.booking_closes_at == slot.starts_at - dt.timedelta(hours=24) for slot in stored)
    assert {(slot.kind, slot.capacity, slot.place, slot.created_by_id) for slot in stored} == {
        (SlotKind.DEFENCE, 1, "Ауд. 305", cast.instructor.pk)
    }
    assert len(slots) == 3


def test_booking_may_stay_open_until_the_slot_starts(cast):
    (slot,) = publish(cast, count=1, closes_hours_before=0)
    assert slot.booking_closes_at == slot.starts_at


def test_a_time_in_the_past_is_refused_next_to_the_start_time_and_nothing_is_stored(cast):
    with pytest.raises(ValidationError) as excinfo:
        publish(cast, starts_at=NOW - dt.timedelta(hours=1))
    assert "start_time" in errors_of(excinfo)
    assert not Slot.objects.exists()


def test_slots_that_overlap_a_slot_of_the_same_task_are_refused_whatever_its_kind(cast):
    make_slot(cast.tasks["СӨЖ 3"], TEN + dt.timedelta(minutes=50), kind=SlotKind.CONSULTATION)
    with pytest.raises(ValidationError) as excinfo:
        publish(cast)  # 10:00–11:00 meets 10:50–11:10
    assert "10.12.2025 10:50–11:10" in errors_of(excinfo)["start_time"][0]
    assert Slot.objects.count() == 1


def test_slots_may_touch_an_existing_slot_and_overlap_another_tasks(cast):
    make_slot(cast.tasks["СӨЖ 3"], TEN + dt.timedelta(hours=1))
    make_slot(cast.tasks["СӨЖ 1"], TEN)
    assert len(publish(cast)) == 3


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("length", {"length": 4}),
        ("length", {"length": 241}),
        ("count", {"count": 0}),
        ("count", {"count": 21}),
        ("capacity", {"capacity": 0}),
        ("capacity", {"capacity": 101}),
        ("closes_hours_before", {"closes_hours_before": -1}),
        ("kind", {"kind": "exam"}),
        ("place", {"place": "   "}),
    ],
)
def test_numbers_out_of_range_are_refused_next_to_their_field(cast, field, overrides):
    with pytest.raises(ValidationError) as excinfo:
        publish(cast, **overrides)
    assert field in errors_of(excinfo)
    assert not Slot.objects.exists()


def test_a_booking_that_would_already_be_closed_is_refused(cast):
    with pytest.raises(ValidationError) as excinfo:
        publish(cast, starts_at=NOW + dt.timedelta(hours=5), closes_hours_before=24)
    assert "closes_hours_before" in errors_of(excinfo)


# Booking -----------------------------------------------------------------------------------------------


def test_a_student_books_a_seat(cast):
    slot = make_slot(cast.tasks["СӨЖ 3"], capacity=2)
    booking = booking_create(slot=slot, student=cast.student, now=NOW)
    assert booking.slot == slot and booking.student == cast.student and booking.attendance == ""


def test_of_two_bookings_for_the_last_seat_the_second_is_refused(cast):
    """Both requests loaded the slot while its seat was free; the seats are counted again under the lock."""
    slot = make_slot(cast.tasks["СӨЖ 3"], capacity=1)
    seen_by_student, seen_by_classmate = Slot.objects.with_booked_count().get(pk=slot.pk), Slot.objects.get(pk=slot.pk)
    assert seen_by_student.booked_count == 0
    booking_create(slot=seen_by_student, student=cast.student, now=NOW)
    with pytest.raises(ValidationError) as excinfo:
        booking_create(slot=seen_by_classmate, student=cast.classmate, now=NOW)
    assert excinfo.value.code == "full"
    assert list(Booking.objects.values_list("student", flat=True)) == [cast.student.pk]


def test_booking_is_refused_once_it_has_closed(cast):
    slot = make_slot(cast.tasks["СӨЖ 3"])
    with pytest.raises(ValidationError) as excinfo:
        booking_create(slot=slot, student=cast.student, now=slot.booking_closes_at + dt.timedelta(seconds=1))
    assert excinfo.value.code == "closed"
    assert "09.12.2025 10:00" in excinfo.value.messages[0]
    assert not Booking.objects.exists()


def test_a_student_books_one_defence_and_one_consultation_per_task(cast):
    task = cast.tasks["СӨЖ 3"]
    first, second = make_slot(task), make_slot(task, TEN + dt.timedelta(hours=1))
    consultation = make_slot(task, TEN + dt.timedelta(hours=2), kind=SlotKind.CONSULTATION)
    elsewhere = make_slot(cast.tasks["СӨЖ 1"])
    booking_create(slot=first, student=cast.student, now=NOW)
    with pytest.raises(ValidationError) as excinfo:
        booking_create(slot=second, student=cast.student, now=NOW)
    assert excinfo.value.code == "already_booked"
    assert "10.12.2025 10:00" in excinfo.value.messages[0]
    booking_create(slot=consultation, student=cast.student, now=NOW)
    booking_create(slot=elsewhere, student=cast.student, now=NOW)
    assert Booking.objects.filter(student=cast.student).count() == 3


def test_the_same_slot_cannot_be_booked_twice(cast):
    slot = make_slot(cast.tasks["СӨЖ 3"], capacity=3)
    booking_create(slot=slot, student=cast.student, now=NOW)
    with pytest.raises(ValidationError) as excinfo:
        booking_create(slot=slot, student=cast.student, now=NOW)
    assert excinfo.value.code == "already_booked"


def test_a_student_of_another_course_cannot_book(cast):
    slot = make_slot(cast.tasks["СӨЖ 3"])
    with pytest.raises(ValidationError) as excinfo:
        booking_create(slot=slot, student=cast.other_student, now=NOW)
    assert excinfo.value.code == "not_enrolled"


def test_slots_of_a_hidden_task_cannot_be_booked(cast):
    task = cast.tasks["СӨЖ 3"]
    slot = make_slot(task)
    task.is_hidden = True
    task.save()
    with pytest.raises(ValidationError) as excinfo:
        booking_create(slot=slot, student=cast.student, now=NOW)
    assert excinfo.value.code == "hidden"


# Cancelling --------------------------------------------------------------------------------------------


def test_a_booking_is_cancelled_while_booking_is_open_and_frees_the_seat(cast):
    slot = make_slot(cast.tasks["СӨЖ 3"])
    booking = booking_create(slot=slot, student=cast.student, now=NOW)
    assert booking_cancel(booking=booking, now=slot.booking_closes_at) is True
    booking_create(slot=slot, student=cast.classmate, now=NOW)
    assert list(Booking.objects.values_list("student", flat=True)) == [cast.classmate.pk]


def test_after_booking_closes_a_booking_is_kept(cast):
    slot = make_slot(cast.tasks["СӨЖ 3"])
    booking = booking_create(slot=slot, student=cast.student, now=NOW)
    with pytest.raises(ValidationError) as excinfo:
        booking_cancel(booking=booking, now=slot.booking_closes_at + dt.timedelta(minutes=1))
    assert excinfo.value.code == "closed"
    assert Booking.objects.filter(pk=booking.pk).exists()


# Attendance ------------------------------------------------------------------------------------------


def test_attendance_is_refused_before_the_slot_starts(cast):
    slot = make_slot(cast.tasks["СӨЖ 3"], capacity=2)
    booking = booking_create(slot=slot, student=cast.student, now=NOW)
    with pytest.raises(ValidationError) as excinfo:
        attendance_mark(slot=slot, marks={booking.pk: Attendance.ATTENDED}, now=TEN - dt.timedelta(minutes=1))
    assert excinfo.value.code == "not_started"
    booking.refresh_from_db()
    assert booking.attendance == ""


def test_attendance_is_marked_for_the_slots_own_bookings_only(cast):
    task = cast.tasks["СӨЖ 3"]
    slot, other = make_slot(task, capacity=2), make_slot(task, TEN + dt.timedelta(hours=1))
    came = booking_create(slot=slot, student=cast.student, now=NOW)
    missed = booking_create(slot=slot, student=cast.classmate, now=NOW)
    elsewhere = booking_create(slot=make_slot(cast.tasks["СӨЖ 1"]), student=cast.student, now=NOW)
    del other
    marks = {came.pk: Attendance.ATTENDED, missed.pk: Attendance.ABSENT, elsewhere.pk: Attendance.ATTENDED}
    assert attendance_mark(slot=slot, marks=marks, now=TEN) == 2
    assert dict(Booking.objects.values_list("pk", "attendance")) == {
        came.pk: Attendance.ATTENDED,
        missed.pk: Attendance.ABSENT,
        elsewhere.pk: "",
    }
    assert attendance_mark(slot=slot, marks={came.pk: Attendance.UNMARKED}, now=TEN) == 1


def test_an_unknown_attendance_value_is_refused(cast):
    slot = make_slot(cast.tasks["СӨЖ 3"])
    booking = booking_create(slot=slot, student=cast.student, now=NOW)
    with pytest.raises(ValidationError):
        attendance_mark(slot=slot, marks={booking.pk: "late"}, now=TEN)


# Deleting ----------------------------------------------------------------------------------------------


def test_a_slot_nobody_booked_is_deleted_at_once(cast):
    slot = make_slot(cast.tasks["СӨЖ 3"])
    assert slot_delete(slot=slot) == 0
    assert not Slot.objects.exists()


def test_a_booked_slot_is_deleted_only_when_confirmed_and_takes_its_bookings(cast):
    slot = make_slot(cast.tasks["СӨЖ 3"], capacity=2)
    booking_create(slot=slot, student=cast.student, now=NOW)
    with pytest.raises(ValidationError) as excinfo:
        slot_delete(slot=slot)
    assert excinfo.value.code == "has_bookings"
    assert Slot.objects.exists()
    assert slot_delete(slot=slot, confirmed=True) == 1
    assert not Slot.objects.exists() and not Booking.objects.exists()


# Reading -----------------------------------------------------------------------------------------------


def test_a_student_sees_the_slots_by_kind_with_seats_left_and_their_own_booking(cast):
    task = cast.tasks["СӨЖ 3"]
    defence = make_slot(task, capacity=2)
    make_slot(task, TEN + dt.timedelta(hours=1), kind=SlotKind.CONSULTATION)
    booking = booking_create(slot=defence, student=cast.student, now=NOW)
    consultations, defences = slot_groups(task=task, now=NOW, student=cast.student)
    assert (consultations.kind, consultations.booking) == (SlotKind.CONSULTATION, None)
    assert (defences.kind, defences.booking) == (SlotKind.DEFENCE, booking)
    assert (defences.rows[0].seats_left, defences.rows[0].is_open, defences.rows[0].booking) == (1, True, booking)


def test_the_grading_note_tells_whether_the_student_booked_a_defence(cast):
    task = cast.tasks["СӨЖ 3"]
    assert defence_note(task=task, student=cast.student) is None
    slot = make_slot(task)
    assert defence_note(task=task, student=cast.student).booking is None
    booking = booking_create(slot=slot, student=cast.student, now=NOW)
    assert defence_note(task=task, student=cast.student).booking == booking


def test_a_students_calendar_holds_their_bookings_with_every_seat_counted(cast):
    task = cast.tasks["СӨЖ 3"]
    booked, _free = make_slot(task, capacity=3), make_slot(task, TEN + dt.timedelta(hours=1))
    booking_create(slot=booked, student=cast.student, now=NOW)
    booking_create(slot=booked, student=cast.classmate, now=NOW)
    (mine,) = calendar_slots(course=cast.course, student=cast.student)
    assert (mine.pk, mine.booked_count) == (booked.pk, 2)
    assert [slot.booked_count for slot in calendar_slots(course=cast.course)] == [2, 0]
