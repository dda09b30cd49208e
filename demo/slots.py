"""The demo's consultations and defences: some held already (with attendance), some open for booking."""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from coursework.models import Attendance, Booking, Slot, SlotKind

ROOM = "Әл-Фараби 71, 6-корпус, 312-аудитория"
LINK = "https://meet.example.kz/case-management"

# (task label, kind, week, weekday (Monday 0), hour, minutes per slot, slots, seats, bookings by student number)
PLAN = [
    ("СОӨЖ 1", SlotKind.CONSULTATION, 2, 2, 14, 60, 1, 15, range(1, 13)),
    ("СОӨЖ 2-3", SlotKind.CONSULTATION, 6, 2, 14, 60, 1, 15, range(1, 9)),
    ("СОӨЖ 2-3", SlotKind.DEFENCE, 8, 0, 10, 20, 6, 2, range(1, 8)),
    ("СӨЖ 4", SlotKind.CONSULTATION, 9, 2, 14, 60, 1, 20, range(13, 17)),
    ("СӨЖ 3", SlotKind.DEFENCE, 14, 3, 10, 20, 6, 2, range(1, 3)),
]
# Who missed a consultation that has taken place; everyone else booked came.
ABSENT = {"student5", "student11"}


def demo_slots(*, course, now):
    """Publish the plan's slots for the course's tasks, book the students and mark attendance of past slots.

    Rule: a task that has slots already is left as it is, so running the demo again changes nothing.
    """
    tasks = {task.label: task for task in course.tasks.all()}
    instructor = course.instructors.first()
    students = {user.username: user for user in User.objects.filter(enrollments__course=course)}
    zone = timezone.get_default_timezone()
    planned = [row for row in PLAN if row[0] in tasks]
    for label, kind, week, weekday, hour, minutes, count, seats, booked in planned:
        task = tasks[label]
        if task.slots.filter(kind=kind).exists():
            continue
        day = course.start_date + dt.timedelta(weeks=week - 1, days=weekday)
        first = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), zone)
        step = dt.timedelta(minutes=minutes)
        slots = [
            Slot.objects.create(
                task=task,
                kind=kind,
                starts_at=first + step * number,
                ends_at=first + step * (number + 1),
                place=LINK if kind == SlotKind.CONSULTATION and week > 6 else ROOM,
                capacity=seats,
                booking_closes_at=first + step * number - dt.timedelta(hours=24),
                created_by=instructor,
            )
            for number in range(count)
        ]
        for index, number in enumerate(booked):
            student = students.get(f"student{number}")
            slot = slots[min(index // seats, count - 1)]
            if student is None or slot.bookings.count() >= slot.capacity:
                continue
            attendance = ""
            if slot.starts_at <= now:
                attendance = Attendance.ABSENT if student.username in ABSENT else Attendance.ATTENDED
            Booking.objects.create(
                slot=slot, student=student, attendance=attendance, booked_at=slot.booking_closes_at - step
            )
