"""The slots page, booking from the task page, the grading page's defence note and the .ics calendar."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from coursework.models import Attendance, Booking, Enrollment, Slot, SlotKind
from tests.conftest import make_user
from tests.grading.conftest import hand_in_work

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def next_week_at(hour, minute=0):
    day = timezone.localdate() + dt.timedelta(days=7)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ALMATY)


def make_slot(task, starts_at=None, *, kind=SlotKind.DEFENCE, capacity=1, closes=dt.timedelta(hours=24)):
    starts_at = starts_at or next_week_at(10)
    return Slot.objects.create(
        task=task,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=20),
        place="Ауд. 305",
        capacity=capacity,
        booking_closes_at=starts_at - closes,
    )


def past_slot(task, **kwargs):
    """A slot that started an hour ago (booked before it closed)."""
    return make_slot(task, timezone.now() - dt.timedelta(hours=1), **kwargs)


def slots_url(cast, label="СӨЖ 3"):
    return reverse("coursework:slots", args=[cast.course.pk, cast.tasks[label].pk])


def task_url(cast, label="СӨЖ 3"):
    return reverse("grading:task_detail", args=[cast.course.pk, cast.tasks[label].pk])


def publish_data(**overrides):
    day = timezone.localdate() + dt.timedelta(days=7)
    data = {
        "kind": "defence",
        "date": day.isoformat(),
        "start_time": "10:00",
        "length": "20",
        "count": "3",
        "place": "Ауд. 305",
        "capacity": "1",
        "closes_hours_before": "24",
    }
    return {**data, **overrides}


# Who may reach the pages -------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, cast):
    slot = make_slot(cast.tasks["СӨЖ 3"])
    urls = [
        slots_url(cast),
        reverse("coursework:slot_delete", args=[cast.course.pk, slot.pk]),
        reverse("coursework:slots_ics", args=[cast.course.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(reverse("coursework:slot_book", args=[cast.course.pk, slot.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("student", 403), ("dept_admin", 403), ("other_dept_admin", 403), ("other_instructor", 404), ("instructor", 200)],
)
def test_only_the_courses_instructors_open_the_slots_page(login, cast, who, status):
    assert login(getattr(cast, who)).get(slots_url(cast)).status_code == status


def test_a_superuser_counts_as_the_courses_instructor(client, cast):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    assert client.get(slots_url(cast)).status_code == 200


@pytest.mark.parametrize(("who", "status"), [("student", 403), ("dept_admin", 403), ("other_instructor", 404)])
def test_nobody_else_publishes_deletes_or_marks_attendance(login, cast, who, status):
    task = cast.tasks["СӨЖ 3"]
    slot = past_slot(task, capacity=2)
    booking = Booking.objects.create(slot=slot, student=cast.student)
    client = login(getattr(cast, who))
    url = reverse("coursework:slot_publish", args=[cast.course.pk, task.pk])
    assert client.post(url, publish_data()).status_code == status
    url = reverse("coursework:slot_attendance", args=[cast.course.pk, slot.pk])
    assert client.post(url, {f"attendance-{booking.pk}": "attended"}).status_code == status
    url = reverse("coursework:slot_delete", args=[cast.course.pk, slot.pk])
    assert client.post(url, {"confirmed": "on"}).status_code == status
    assert Slot.objects.count() == 1 and Booking.objects.get().attendance == ""


def test_a_slot_is_reached_only_through_its_own_course(login, cast):
    slot = make_slot(cast.other_task)
    url = reverse("coursework:slot_delete", args=[cast.course.pk, slot.pk])
    assert login(cast.instructor).post(url, {"confirmed": "on"}).status_code == 404
    assert Slot.objects.exists()


def test_only_students_of_the_course_book(login, cast):
    slot = make_slot(cast.tasks["СӨЖ 3"])
    url = reverse("coursework:slot_book", args=[cast.course.pk, slot.pk])
    assert login(cast.other_student).post(url).status_code == 404
    assert login(cast.instructor).post(url).status_code == 403
    assert not Booking.objects.exists()


def test_a_student_cannot_cancel_a_classmates_booking(login, cast):
    booking = Booking.objects.create(slot=make_slot(cast.tasks["СӨЖ 3"]), student=cast.student)
    url = reverse("coursework:booking_cancel", args=[cast.course.pk, booking.pk])
    assert login(cast.classmate).post(url).status_code == 404
    assert Booking.objects.filter(pk=booking.pk).exists()


@pytest.mark.parametrize(("who", "status"), [("other_student", 404), ("other_instructor", 404), ("dept_admin", 403)])
def test_the_calendar_is_for_the_courses_students_and_instructors(login, cast, who, status):
    url = reverse("coursework:slots_ics", args=[cast.course.pk])
    assert login(getattr(cast, who)).get(url).status_code == status


# The slots page ---------------------------------------------------------------------------------------


def test_publishing_three_defence_slots_shows_them_with_free_seats(login, cast):
    client = login(cast.instructor)
    task = cast.tasks["СӨЖ 3"]
    response = client.post(reverse("coursework:slot_publish", args=[cast.course.pk, task.pk]), publish_data())
    assert response.status_code == 302 and response.url == slots_url(cast)
    times = [timezone.localtime(slot.starts_at).strftime("%H:%M") for slot in Slot.objects.filter(task=task)]
    assert times == ["10:00", "10:20", "10:40"]
    html = client.get(slots_url(cast)).content.decode()
    assert html.count('class="card mb-3 slot-card"') == 3
    assert html.count("10:20–10:40") == 1


def test_a_form_error_is_shown_next_to_its_field_and_nothing_is_stored(login, cast):
    client = login(cast.instructor)
    url = reverse("coursework:slot_publish", args=[cast.course.pk, cast.tasks["СӨЖ 3"].pk])
    response = client.post(url, publish_data(length="300", capacity="0"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error_1_id_length"' in html and 'id="error_1_id_capacity"' in html
    assert not Slot.objects.exists()


def test_an_overlap_is_shown_next_to_the_start_time(login, cast):
    make_slot(cast.tasks["СӨЖ 3"], next_week_at(10, 30), kind=SlotKind.CONSULTATION)
    client = login(cast.instructor)
    url = reverse("coursework:slot_publish", args=[cast.course.pk, cast.tasks["СӨЖ 3"].pk])
    response = client.post(url, publish_data())
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error_1_id_start_time"' in html and "10:30–10:50" in html
    assert Slot.objects.count() == 1


def test_a_time_in_the_past_is_refused(login, cast):
    client = login(cast.instructor)
    url = reverse("coursework:slot_publish", args=[cast.course.pk, cast.tasks["СӨЖ 3"].pk])
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(url, publish_data(date=yesterday))
    assert response.status_code == 400 and 'id="error_1_id_start_time"' in response.content.decode()


def test_the_slots_page_names_who_booked(login, cast):
    slot = make_slot(cast.tasks["СӨЖ 3"], capacity=3)
    Booking.objects.create(slot=slot, student=cast.student)
    html = login(cast.instructor).get(slots_url(cast)).content.decode()
    assert cast.student.display_name in html
    assert 'data-student="student"' in html
    assert "attendance-form" not in html  # not started yet


def test_deleting_a_booked_slot_asks_first_and_names_who_loses_a_seat(login, cast):
    slot = make_slot(cast.tasks["СӨЖ 3"], capacity=2)
    Booking.objects.create(slot=slot, student=cast.student)
    client = login(cast.instructor)
    url = reverse("coursework:slot_delete", args=[cast.course.pk, slot.pk])
    response = client.post(url)  # the slots page's quick button, pressed after someone booked
    assert response.status_code == 200
    assert cast.student.display_name in response.content.decode()
    assert Slot.objects.exists()
    response = client.post(url, {"confirmed": "on"})
    assert response.status_code == 302 and response.url == slots_url(cast)
    assert not Slot.objects.exists() and not Booking.objects.exists()


def test_a_slot_nobody_booked_is_deleted_without_asking(login, cast):
    slot = make_slot(cast.tasks["СӨЖ 3"])
    response = login(cast.instructor).post(reverse("coursework:slot_delete", args=[cast.course.pk, slot.pk]))
    assert response.status_code == 302 and not Slot.objects.exists()


def test_attendance_is_saved_once_the_slot_has_started(login, cast):
    slot = past_slot(cast.tasks["СӨЖ 3"], capacity=2)
    came = Booking.objects.create(slot=slot, student=cast.student)
    missed = Booking.objects.create(slot=slot, student=cast.classmate)
    client = login(cast.instructor)
    url = reverse("coursework:slot_attendance", args=[cast.course.pk, slot.pk])
    response = client.post(url, {f"attendance-{came.pk}": "attended", f"attendance-{missed.pk}": "absent"})
    assert response.status_code == 302
    assert dict(Booking.objects.values_list("student__username", "attendance")) == {
        "student": Attendance.ATTENDED,
        "classmate": Attendance.ABSENT,
    }


def test_attendance_before_the_start_is_refused_with_a_message(login, cast):
    slot = make_slot(cast.tasks["СӨЖ 3"])
    booking = Booking.objects.create(slot=slot, student=cast.student)
    client = login(cast.instructor)
    url = reverse("coursework:slot_attendance", args=[cast.course.pk, slot.pk])
    response = client.post(url, {f"attendance-{booking.pk}": "attended"}, follow=True)
    assert "alert-danger" in response.content.decode()
    assert Booking.objects.get().attendance == ""


def test_an_attended_student_links_to_the_grading_of_their_work(login, cast):
    task = cast.tasks["СӨЖ 3"]
    submission = hand_in_work(task, cast.student).submission
    slot = past_slot(task, capacity=2)
    Booking.objects.create(slot=slot, student=cast.student, attendance=Attendance.ATTENDED)
    Booking.objects.create(slot=slot, student=cast.classmate, attendance=Attendance.ATTENDED)  # nothing handed in
    html = login(cast.instructor).get(slots_url(cast)).content.decode()
    assert html.count('class="ms-1 small grade-link"') == 1
    assert reverse("grading:grade", args=[submission.pk]) in html


def test_the_slots_page_costs_the_same_queries_for_more_slots_and_bookings(login, cast, django_assert_max_num_queries):
    task = cast.tasks["СӨЖ 3"]
    started = past_slot(task, capacity=20)  # its bookings show the attendance form
    Booking.objects.create(slot=started, student=cast.student, attendance=Attendance.ATTENDED)
    Booking.objects.create(slot=make_slot(task), student=cast.classmate)
    client = login(cast.instructor)
    with django_assert_max_num_queries(12) as small:
        client.get(slots_url(cast))
    for number in range(8):
        student = make_user(f"s{number}", Role.STUDENT, cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-01")
        Booking.objects.create(slot=started, student=student, attendance=Attendance.ATTENDED)
        later = make_slot(task, next_week_at(12) + dt.timedelta(minutes=30 * number), capacity=3)
        Booking.objects.create(slot=later, student=student)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(slots_url(cast))
    assert response.content.decode().count('class="card mb-3 slot-card"') == 10


# Booking from the task page -----------------------------------------------------------------------------


def test_a_student_books_from_the_task_page_and_sees_the_seats_left_go_down(login, cast):
    slot = make_slot(cast.tasks["СӨЖ 3"], capacity=3)
    client = login(cast.student)
    assert 'data-seats-left="3"' in client.get(task_url(cast)).content.decode()
    response = client.post(reverse("coursework:slot_book", args=[cast.course.pk, slot.pk]))
    assert response.status_code == 302 and response.url == task_url(cast) + "#slots"
    assert Booking.objects.get().student == cast.student
    html = client.get(task_url(cast)).content.decode()
    assert 'data-seats-left="2"' in html and "list-group-item-success" in html
    assert reverse("coursework:booking_cancel", args=[cast.course.pk, Booking.objects.get().pk]) in html


def test_a_full_slot_shows_no_book_button_and_booking_it_says_so(login, cast):
    slot = make_slot(cast.tasks["СӨЖ 3"])
    Booking.objects.create(slot=slot, student=cast.classmate)
    client = login(cast.student)
    book = reverse("coursework:slot_book", args=[cast.course.pk, slot.pk])
    assert book not in client.get(task_url(cast)).content.decode()
    response = client.post(book, follow=True)
    assert "alert-danger" in response.content.decode()
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "language, seats, until, other, closed, full",
    [
        (
            "kk",
            "Бос орын: 0 / 1",
            "жазылу мерзімі",
            "Сіз осы түрдегі басқа уақытқа жазылғансыз.",
            "Жазылу жабық",
            "Орын жоқ",
        ),
        (
            "ru",
            "Свободно мест: 0 из 1",
            "запись до",
            "Вы записаны на другой слот этого вида.",
            "Запись закрыта",
            "Мест нет",
        ),
    ],
)
def test_each_slot_row_says_what_the_student_may_do_in_their_language(
    login, cast, language, seats, until, other, closed, full
):
    task = cast.tasks["СӨЖ 3"]
    mine = make_slot(task, next_week_at(9))
    free = make_slot(task, next_week_at(10))
    taken = make_slot(task, next_week_at(11))
    Booking.objects.create(slot=taken, student=cast.classmate)
    closed_consultation = make_slot(task, next_week_at(12), kind=SlotKind.CONSULTATION, closes=dt.timedelta(days=8))
    open_consultation = make_slot(task, next_week_at(13), kind=SlotKind.CONSULTATION)
    booking = Booking.objects.create(slot=mine, student=cast.student)
    client = login(cast.student)
    client.cookies["portal_language"] = language
    html = client.get(task_url(cast)).content.decode()
    rows = {slot.pk: html.split(f'data-slot="{slot.pk}"')[1].split("</li>")[0] for slot in Slot.objects.all()}
    assert reverse("coursework:booking_cancel", args=[cast.course.pk, booking.pk]) in rows[mine.pk]
    assert other in rows[free.pk] and "slot_book" not in rows[free.pk]
    assert full in rows[taken.pk] and seats in rows[taken.pk]
    assert closed in rows[closed_consultation.pk] and until not in rows[closed_consultation.pk]
    book = reverse("coursework:slot_book", args=[cast.course.pk, open_consultation.pk])
    assert book in rows[open_consultation.pk] and until in rows[open_consultation.pk]
    assert 'name="csrfmiddlewaretoken"' in rows[open_consultation.pk]


def test_a_student_cancels_while_booking_is_open(login, cast):
    booking = Booking.objects.create(slot=make_slot(cast.tasks["СӨЖ 3"]), student=cast.student)
    response = login(cast.student).post(reverse("coursework:booking_cancel", args=[cast.course.pk, booking.pk]))
    assert response.status_code == 302 and not Booking.objects.exists()


def test_a_closed_booking_cannot_be_cancelled_and_the_page_says_so(login, cast):
    booking = Booking.objects.create(slot=past_slot(cast.tasks["СӨЖ 3"]), student=cast.student)
    client = login(cast.student)
    response = client.post(reverse("coursework:booking_cancel", args=[cast.course.pk, booking.pk]), follow=True)
    assert "alert-danger" in response.content.decode()
    assert Booking.objects.exists()


def test_the_task_page_shows_staff_the_way_to_the_slots_page(login, cast):
    make_slot(cast.tasks["СӨЖ 3"])
    assert slots_url(cast) in login(cast.instructor).get(task_url(cast)).content.decode()
    html = login(cast.dept_admin).get(task_url(cast)).content.decode()
    assert slots_url(cast) not in html and 'id="slots"' in html


def test_a_task_without_slots_shows_students_no_slots_panel(login, cast):
    assert 'id="slots"' not in login(cast.student).get(task_url(cast, "СӨЖ 1")).content.decode()


# The grading page's defence note ----------------------------------------------------------------------


def test_the_grading_page_shows_the_students_defence_and_attendance(login, cast):
    task = cast.tasks["СӨЖ 3"]
    submission = hand_in_work(task, cast.student).submission
    client = login(cast.instructor)
    url = reverse("grading:grade", args=[submission.pk])
    assert "data-defence" not in client.get(url).content.decode()  # the task has no defence slots
    slot = past_slot(task)
    assert 'data-defence="none"' in client.get(url).content.decode()
    Booking.objects.create(slot=slot, student=cast.student, attendance=Attendance.ATTENDED)
    html = client.get(url).content.decode()
    assert 'data-defence="attended"' in html
    assert timezone.localtime(slot.starts_at).strftime("%H:%M") in html


# The calendar ------------------------------------------------------------------------------------------


def events(response):
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_students_calendar_holds_their_own_bookings_in_almaty_time(login, cast):
    task = cast.tasks["СӨЖ 3"]
    mine, _other = make_slot(task, capacity=2), make_slot(task, next_week_at(11))
    Booking.objects.create(slot=mine, student=cast.student)
    response = login(cast.student).get(reverse("coursework:slots_ics", args=[cast.course.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"] and ".ics" in response["Content-Disposition"]
    (event,) = events(response)
    assert str(event["uid"]) == f"slot-{mine.pk}@course-portal"
    assert event.decoded("dtstart").astimezone(ALMATY) == next_week_at(10)
    assert event.decoded("dtend").astimezone(ALMATY) == next_week_at(10, 20)
    assert str(event["location"]) == "Ауд. 305"
    assert str(event["description"]) == task.display_title
    assert str(event["summary"]).startswith("СӨЖ 3")


def test_the_instructors_calendar_holds_every_slot_with_its_seats_booked(login, cast):
    task = cast.tasks["СӨЖ 3"]
    booked = make_slot(task, capacity=3)
    make_slot(cast.tasks["СӨЖ 1"], next_week_at(11), kind=SlotKind.CONSULTATION)
    Booking.objects.create(slot=booked, student=cast.student)
    client = login(cast.instructor)
    client.cookies["portal_language"] = "ru"
    found = events(client.get(reverse("coursework:slots_ics", args=[cast.course.pk])))
    assert [str(event["uid"]) for event in found] == [f"slot-{booked.pk}@course-portal", found[1]["uid"]]
    assert str(found[0]["summary"]).startswith("СРС 3")  # the label in the reader's language
    assert "1" in str(found[0]["summary"]) and "3" in str(found[0]["summary"])
    again = events(client.get(reverse("coursework:slots_ics", args=[cast.course.pk])))
    assert [str(event["uid"]) for event in again] == [str(event["uid"]) for event in found]
