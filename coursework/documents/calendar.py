"""A course's slots as an iCalendar file (RFC 5545), for a calendar application to import.

Times are written in UTC, which every calendar reads and shows in its own time zone; the portal shows the same
moments in Asia/Almaty. Each slot keeps one UID, so importing the file again updates events instead of doubling them.
"""

import datetime as dt

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODUCT_ID = "-//Course portal//Consultation and defence slots//EN"


def slot_uid(slot):
    return f"slot-{slot.pk}@course-portal"


def _summary(slot, with_count):
    context = {"task": slot.task.display_label, "kind": slot.get_kind_display()}
    if not with_count:
        # Translators: an event in a calendar: the task's label and the kind of slot ("СӨЖ 3: Defence").
        return _("%(task)s: %(kind)s") % context
    # Translators: an event in the instructor's calendar, with the seats booked ("СӨЖ 3: Defence (booked: 2 of 3)").
    return _("%(task)s: %(kind)s (booked: %(booked)d of %(capacity)d)") % {
        **context,
        "booked": slot.booked_count,
        "capacity": slot.capacity,
    }


def slots_calendar(*, slots, name, with_count, now):
    """The bytes of an .ics file with one event per slot (each slot needs ``booked_count`` and ``task``).

    ``with_count`` adds the seats booked to each event's summary, for the instructors' calendar.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for slot in slots:
        event = Event()
        event.add("uid", slot_uid(slot))
        event.add("dtstamp", now.astimezone(dt.UTC))
        event.add("dtstart", slot.starts_at.astimezone(dt.UTC))
        event.add("dtend", slot.ends_at.astimezone(dt.UTC))
        event.add("summary", _summary(slot, with_count))
        event.add("location", slot.place)
        event.add("description", slot.task.display_title)
        calendar.add_component(event)
    return calendar.to_ical()
