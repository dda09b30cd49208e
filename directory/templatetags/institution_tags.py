"""What the page of an institution-report task shows a student about the institution of their report: its panel, and
the fields of the form to add an organisation."""

from functools import lru_cache

from django import forms, template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

from config.markup import csrf_input, sentence
from coursework.models import Deliverable
from directory.forms import InstitutionAddForm
from directory.models import InstitutionReport
from directory.selectors import entries_found
from directory.text import search_words
from portfolio.services import deadline_for

register = template.Library()

FOUND_LIMIT = 10
QUERY_PARAM = "institution_q"


@register.simple_tag(takes_context=True)
def institution_panel(context):
    """For a student on an institution-report task: their choice, the entries their search finds (shown entries of
    the course's department, ten at most), whether they may still choose, and the form to add an organisation.
    Nothing for anyone else. Written here rather than in a template: the panel is on every visit to the task page,
    where each hand-in step returns."""
    request, task = context.get("request"), context.get("task")
    if request is None or task is None or task.deliverable != Deliverable.INSTITUTION_REPORT:
        return ""
    user = request.user
    if not user.is_authenticated or not user.is_student:
        return ""
    # What the panel shows of the choice, as plain values: the entry's row is wide and only four of it are shown.
    report = (
        InstitutionReport.objects.filter(task=task, student=user)
        .values("entry_id", "entry__name", "entry__city", "entry__is_hidden")
        .order_by()
        .first()
    )
    # The task page has worked out the student's deadline already (with their extension); other pages ask.
    progress = context.get("progress")
    deadline = progress.deadline if progress is not None else deadline_for(task=task, student=user)
    if deadline.is_closed(timezone.now()):
        moment = date_filter(template_localtime(deadline.cutoff_at), "SHORT_DATETIME_FORMAT")
        closed = gettext("The task closed on %(moment)s: the institution can no longer be changed.")
        body = format_html('<p class="small text-body-secondary mb-0">{}</p>', sentence(closed, moment=moment))
    else:
        csrf = csrf_input(context)
        query = request.GET.get(QUERY_PARAM, "")[:200]
        body = format_html("{}{}{}", _search_form(query), _found(task, query, report, csrf), _add_form(task, csrf))
    return format_html(
        '<section class="card mt-4" id="institution" aria-labelledby="institution-heading">'
        '<div class="card-header"><h2 class="h5 mb-0" id="institution-heading">{}</h2></div>'
        '<div class="card-body">{}{}</div></section>',
        gettext("The institution of your report"),
        _choice(report),
        body,
    )


def _choice(report):
    if report is None:
        return format_html(
            '<p class="text-body-secondary mb-3">{}</p>',
            gettext(
                "You have not chosen an institution yet: find it in the department's directory, or add it if it is "
                "not there."
            ),
        )
    if report["entry__is_hidden"]:
        name = format_html('<strong class="text-break">{}</strong>', report["entry__name"])
    else:
        url = reverse("directory:entry", args=[report["entry_id"]])
        name = format_html('<a class="fw-semibold text-break" href="{}">{}</a>', url, report["entry__name"])
    return format_html(
        '<p class="mb-3">{} <span class="text-body-secondary">· {}</span></p>', name, report["entry__city"]
    )


def _search_form(query):
    return format_html(
        '<form method="get" action="#institution" class="mb-3" role="search">'
        '<label class="form-label" for="institution-q">{}</label><div class="input-group">'
        '<input type="search" class="form-control" id="institution-q" name="{}" value="{}" maxlength="200" '
        'autocomplete="off" placeholder="{}">'
        '<button type="submit" class="btn btn-outline-primary">{}</button></div></form>',
        gettext("Find the institution in the directory"),
        QUERY_PARAM,
        query,
        gettext("Organisation, service, city, address…"),
        gettext("Search"),
    )


def _found(task, query, report, csrf):
    """The entries the student's search finds, each to choose (or marked as chosen); nothing before a search."""
    if not search_words(query):
        return ""
    entries = entries_found(department_id=task.course.department_id, include_hidden=False, text=query)
    choose = reverse("directory:institution_choose", args=[task.course_id, task.pk])
    items = []
    for entry in entries[:FOUND_LIMIT]:
        if report is not None and report["entry_id"] == entry.pk:
            action = format_html('<span class="badge text-bg-success">{}</span>', gettext("Chosen"))
        else:
            action = format_html(
                '<form method="post" action="{}">{}<input type="hidden" name="entry" value="{}">'
                '<button type="submit" class="btn btn-sm btn-primary">{}</button></form>',
                choose,
                csrf,
                entry.pk,
                gettext("Choose"),
            )
        items.append(
            format_html(
                '<li class="list-group-item d-flex flex-wrap align-items-center gap-2">'
                '<div class="me-auto text-break"><a href="{}">{}</a> '
                '<span class="small text-body-secondary">· {} · {}</span></div>{}</li>',
                reverse("directory:entry", args=[entry.pk]),
                entry.name,
                entry.city,
                entry.type_label,
                action,
            )
        )
    if not items:
        nothing = gettext("Nothing in the directory matches. Check the spelling, or add the organisation below.")
        items.append(format_html('<li class="list-group-item text-body-secondary">{}</li>', nothing))
    return format_html('<ul class="list-group mb-3">{}</ul>', format_html_join("", "{}", ((item,) for item in items)))


def _add_form(task, csrf):
    return format_html(
        '<details><summary class="fw-semibold">{}</summary><p class="small text-body-secondary mt-2">{}</p>'
        '<form method="post" action="{}">{}{}<button type="submit" class="btn btn-primary">{}</button></form>'
        "</details>",
        gettext("Not in the directory? Add it"),
        gettext(
            "The organisation is checked as a row of the service repository is, and added to the department's "
            "directory. Give at least one of phone, e-mail and website."
        ),
        reverse("directory:institution_add", args=[task.course_id, task.pk]),
        csrf,
        blank_add_fields(),
        gettext("Add and choose"),
    )


def blank_add_fields():
    """The fields of the form to add an organisation, empty. They name no one and their choices are fixed, so they
    are the same for every student in a language: rendered once per process and language (a deploy starts new
    processes), not on every visit to the task page. Not while developing (DEBUG), where an edited template shows
    at once."""
    if settings.DEBUG:
        return _render_blank_fields()
    return _blank_fields_in(get_language())


@lru_cache(maxsize=8)
def _blank_fields_in(language):
    return _render_blank_fields()


def _render_blank_fields():
    return render_to_string("directory/includes/institution_fields.html", {"form": InstitutionAddForm()})


ASTERISK = mark_safe('<span class="asteriskField">*</span>')


@register.simple_tag
def institution_field(field):
    """One field of the form to add an organisation, in the markup crispy-forms' Bootstrap 5 pack gives it (label,
    control, errors, help text; the same ids and classes), written out here: the panel is on every visit to the task
    page, and crispy's nested templates cost more than the rest of the page."""
    required = field.field.required
    label = format_html(
        '<label for="{}" class="form-label{}">{}{}</label>',
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        ASTERISK if required else "",
    )
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text)
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>', field.auto_id, label, _control(field), errors, help_text
    )


def _control(field):
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    if isinstance(widget, forms.Select):
        return _select(field, invalid)
    kind = "textarea" if isinstance(widget, forms.Textarea) else f"{widget.input_type}input"
    attrs = {"class": f"{kind} form-control{invalid}"}
    if field.errors:
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    return field.as_widget(attrs=attrs)


def _select(field, invalid):
    """A select as Django's widget renders it, without a template per option (the regions make twenty)."""
    value = field.value()
    chosen = "" if value is None else str(value)
    described = format_html(' aria-invalid="true" aria-describedby="{}_error"', field.auto_id) if invalid else ""
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((option, " selected" if str(option) == chosen else "", label) for option, label in field.field.choices),
    )
    return format_html(
        '<select name="{}" class="select form-select{}"{}{} id="{}">{}</select>',
        field.html_name,
        invalid,
        " required" if field.field.required else "",
        described,
        field.auto_id,
        options,
    )
