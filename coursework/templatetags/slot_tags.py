"""The rows of a task page's consultation and defence slots, written in Python: a task with slots lists ten or so on
every visit, and the row's template (dates, the place's links, its forms) cost more than the rest of the page."""

from functools import lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.template.defaultfilters import urlize
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

from config.markup import csrf_input, sentence

register = template.Library()


@register.simple_tag(takes_context=True)
def slot_rows(context, group):
    """The ``<li>`` of each slot of ``group`` (coursework.selectors.slots.KindGroup): when, where, the seats left and
    what the reader may do, booking or cancelling a student's seat; staff only see whether booking is open."""
    csrf = csrf_input(context)
    course_pk, staff = context["course"].pk, context.get("is_staff_view")
    return format_html_join("", "{}", ((_row(row, group, course_pk, staff, csrf),) for row in group.rows))


def _row(row, group, course_pk, staff, csrf):
    slot = row.slot
    language = get_language()
    seats = sentence(gettext("Seats left: %(left)s of %(capacity)s"), left=row.seats_left, capacity=slot.capacity)
    booking_until = ""
    if row.is_open:
        moment = _moment(slot.booking_closes_at, language)
        booking_until = format_html(" · {}", sentence(gettext("booking until %(moment)s"), moment=moment))
    return format_html(
        '<li class="list-group-item d-flex flex-wrap gap-2 justify-content-between align-items-center slot-row{}" '
        'data-slot="{}" data-seats-left="{}"><div>'
        '<div class="fw-semibold">{}</div>'
        '<div class="small text-break">{}</div>'
        '<div class="small text-body-secondary"><span class="seats-left">{}</span>{}</div>'
        '</div><div class="text-nowrap slot-action">{}</div></li>',
        " list-group-item-success" if row.booking else "",
        slot.pk,
        row.seats_left,
        _when(slot.starts_at, slot.ends_at, language),
        _place(slot.place),
        seats,
        booking_until,
        _action(row, group, course_pk, staff, csrf, _moment(slot.starts_at, language)),
    )


# A slot's times and place read the same for every reader of a language: each is written once per process (the
# language is an argument so that a cached text is never another language's).


@lru_cache(maxsize=4096)
def _when(starts_at, ends_at, language):
    starts, ends = template_localtime(starts_at), template_localtime(ends_at)
    return format_html(
        '<time datetime="{}">{}, {}, {}–{}</time>',
        date_filter(starts, "c"),
        date_filter(starts, "l"),
        date_filter(starts, "DATE_FORMAT"),
        time_filter(starts, "H:i"),
        time_filter(ends, "H:i"),
    )


@lru_cache(maxsize=4096)
def _moment(moment, language):
    return date_filter(template_localtime(moment), "SHORT_DATETIME_FORMAT")


@lru_cache(maxsize=1024)
def _place(place):
    return urlize(place, autoescape=True)


def _badge(status, text, extra=""):
    return format_html('<span class="badge status status-{}{}">{}</span>', status, extra, text)


def _form(url, csrf, button):
    return format_html('<form method="post" action="{}" class="d-inline">{}{}</form>', url, csrf, button)


def _action(row, group, course_pk, staff, csrf, starts_moment):
    if staff:
        if not row.is_open:
            return _badge("past", gettext("Booking closed"))
        return _badge("late", gettext("Full")) if row.is_full else ""
    if row.booking:
        booked = _badge("done", gettext("Booked"), " me-1")
        if not row.is_open:
            note = gettext("Booking closed: to cancel, tell your instructor.")
            return format_html('{}<div class="small text-body-secondary text-wrap">{}</div>', booked, note)
        url = reverse("coursework:booking_cancel", args=[course_pk, row.booking.pk])
        button = format_html(
            '<button type="submit" class="btn btn-sm btn-outline-danger">{}</button>', gettext("Cancel the booking")
        )
        return format_html("{} {}", booked, _form(url, csrf, button))
    if not row.is_open:
        return _badge("past", gettext("Booking closed"))
    if row.is_full:
        return _badge("late", gettext("Full"))
    if group.booking:
        return format_html(
            '<span class="small text-body-secondary text-wrap">{}</span>',
            gettext("You have booked another slot of this kind."),
        )
    button = format_html(
        '<button type="submit" class="btn btn-sm btn-primary">{}<span class="visually-hidden"> {}</span></button>',
        gettext("Book"),
        starts_moment,
    )
    return _form(reverse("coursework:slot_book", args=[course_pk, row.slot.pk]), csrf, button)
