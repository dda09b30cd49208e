"""Consultation and defence slots: the instructor's slots page (publish, delete, attendance), a student's booking
and cancelling from the task page, and the course's slots as an .ics calendar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.messages import report_errors
from config.responses import private_download
from coursework.access import (
    booking_for_student,
    course_for_user,
    slot_for_instructor,
    slot_for_student,
    task_for_instructor,
    teaches,
)
from coursework.documents.calendar import slots_calendar
from coursework.forms.slots import AttendanceForm, SlotDeleteForm, SlotPublishForm
from coursework.selectors import slots as selectors
from coursework.services import slots as services


def _slots_page(request, task, form, status=200):
    now = timezone.now()
    rows = selectors.slots_with_bookings(task=task, now=now)
    context = {
        "course": task.course,
        "task": task,
        "form": form,
        "rows": [(row, AttendanceForm(bookings=row.slot.bookings.all())) for row in rows],
        "now": now,
        "time_zone": timezone.get_default_timezone_name(),
    }
    return render(request, "coursework/slots/slots.html", context, status=status)


def _task_page(task):
    return reverse("grading:task_detail", args=[task.course_id, task.pk]) + "#slots"


@require_GET
@login_required
def slots(request, course_pk, pk):
    """A task's slots with their seats and who booked them, and the form that publishes more."""
    task = task_for_instructor(request.user, course_pk, pk)
    return _slots_page(request, task, SlotPublishForm())


@require_POST
@login_required
def slot_publish(request, course_pk, pk):
    task = task_for_instructor(request.user, course_pk, pk)
    form = SlotPublishForm(request.POST)
    if form.is_valid():
        try:
            published = services.slot_publish(task=task, by=request.user, **form.publish_values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = len(published)
            messages.success(
                request, ngettext("%(count)d slot published.", "%(count)d slots published.", count) % {"count": count}
            )
            return redirect("coursework:slots", task.course_id, task.pk)
    return _slots_page(request, task, form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def slot_delete(request, course_pk, pk):
    """Deleting a slot: at once when nobody booked it; a page that names who loses their seat otherwise."""
    slot = slot_for_instructor(request.user, course_pk, pk)
    form = SlotDeleteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.slot_delete(slot=slot, confirmed=form.cleaned_data["confirmed"])
        except ValidationError:
            pass  # booked since the page was shown: ask, as below
        else:
            messages.success(request, _("The slot was deleted."))
            return redirect("coursework:slots", slot.task.course_id, slot.task_id)
    bookings = slot.bookings.select_related("student").order_by("student__last_name", "student__first_name")
    context = {"course": slot.task.course, "task": slot.task, "slot": slot, "bookings": bookings, "form": form}
    return render(request, "coursework/slots/slot_delete.html", context)


@require_POST
@login_required
def slot_attendance(request, course_pk, pk):
    slot = slot_for_instructor(request.user, course_pk, pk)
    form = AttendanceForm(request.POST, bookings=slot.bookings.select_related("student"))
    if not form.is_valid():
        report_errors(request, form)
    else:
        try:
            services.attendance_mark(slot=slot, marks=form.marks())
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Attendance was saved."))
    return redirect(reverse("coursework:slots", args=[slot.task.course_id, slot.task_id]) + f"#slot-{slot.pk}")


@require_POST
@login_required
def slot_book(request, course_pk, pk):
    slot = slot_for_student(request.user, course_pk, pk)
    try:
        services.booking_create(slot=slot, student=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        moment = timezone.localtime(slot.starts_at).strftime("%d.%m.%Y %H:%M")
        messages.success(request, _("You booked the slot of %(moment)s.") % {"moment": moment})
    return redirect(_task_page(slot.task))


@require_POST
@login_required
def booking_cancel(request, course_pk, pk):
    booking = booking_for_student(request.user, course_pk, pk)
    try:
        services.booking_cancel(booking=booking)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("Your booking was cancelled; the seat is free for others."))
    return redirect(_task_page(booking.slot.task))


@require_GET
@login_required
def slots_ics(request, course_pk):
    """The course's slots as a calendar: a student's own bookings; every slot, with seats booked, for instructors."""
    course = course_for_user(request.user, course_pk)
    if request.user.is_student:
        slots, with_count = selectors.calendar_slots(course=course, student=request.user), False
    elif teaches(request.user, course):
        slots, with_count = selectors.calendar_slots(course=course), True
    else:
        raise PermissionDenied
    name = _("%(course)s: consultations and defences") % {"course": course.display_title}
    body = slots_calendar(slots=slots, name=name, with_count=with_count, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    return private_download(response, filename=f"{course.code}-slots.ics")
