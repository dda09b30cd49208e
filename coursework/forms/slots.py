"""Forms of the slots page: publishing a run of slots, confirming a deletion, marking attendance."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coursework.models import Attendance, SlotKind
from coursework.services.slots import MAX_CAPACITY, MAX_COUNT, MAX_LENGTH, MAX_NOTICE_HOURS, MIN_LENGTH


class SlotPublishForm(forms.Form):
    """One or more consecutive slots of a task, in the university's time zone (Asia/Almaty)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SlotKind.choices, initial=SlotKind.CONSULTATION)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    length = forms.IntegerField(label=_("Length, minutes"), min_value=MIN_LENGTH, max_value=MAX_LENGTH, initial=20)
    count = forms.IntegerField(label=_("How many slots in a row"), min_value=1, max_value=MAX_COUNT, initial=1)
    place = forms.CharField(
        label=_("Place or link"),
        max_length=500,
        help_text=_("A room, or a link to an online meeting."),
    )
    capacity = forms.IntegerField(label=_("Seats per slot"), min_value=1, max_value=MAX_CAPACITY, initial=1)
    closes_hours_before = forms.IntegerField(
        label=_("Booking closes, hours before the start"),
        min_value=0,
        max_value=MAX_NOTICE_HOURS,
        initial=24,
        help_text=_("Students book and cancel until then; 0 means until the slot starts."),
    )

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("start_time"):
            naive = dt.datetime.combine(data["date"], data["start_time"])
            data["starts_at"] = timezone.make_aware(naive, timezone.get_default_timezone())
        return data

    def publish_values(self):
        """The values ``slot_publish`` takes."""
        data = self.cleaned_data
        names = ("kind", "starts_at", "length", "count", "place", "capacity", "closes_hours_before")
        return {name: data[name] for name in names}


class SlotDeleteForm(forms.Form):
    """Sent by the confirmation page's button; the slots page's own button leaves it out."""

    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AttendanceForm(forms.Form):
    """Attended, absent or not marked, for each booking of a slot."""

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = list(bookings)
        for booking in self.bookings:
            self.fields[self.field_name(booking)] = forms.ChoiceField(
                label=booking.student.display_name,
                choices=Attendance.choices,
                required=False,
                initial=booking.attendance,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )

    @staticmethod
    def field_name(booking):
        return f"attendance-{booking.pk}"

    def rows(self):
        """(booking, its field) pairs, in the bookings' order."""
        return [(booking, self[self.field_name(booking)]) for booking in self.bookings]

    def marks(self):
        """{booking pk: attendance} for ``attendance_mark``."""
        return {booking.pk: self.cleaned_data[self.field_name(booking)] for booking in self.bookings}
