"""What the page of an institution-report task shows a student about the institution of their report."""

from functools import lru_cache

from django import forms, template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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
    None for anyone else."""
    request, task = context.get("request"), context.get("task")
    if request is None or task is None or task.deliverable != Deliverable.INSTITUTION_REPORT:
        return None
    user = request.user
    if not user.is_authenticated or not user.is_student:
        return None
    query = request.GET.get(QUERY_PARAM, "")[:200]
    found = []
    if search_words(query):
        found = list(
            entries_found(department_id=task.course.department_id, include_hidden=False, text=query)[:FOUND_LIMIT]
        )
    report = InstitutionReport.objects.filter(task=task, student=user).select_related("entry").order_by().first()
    # The task page has worked out the student's deadline already (with their extension); other pages ask.
    progress = context.get("progress")
    deadline = progress.deadline if progress is not None else deadline_for(task=task, student=user)
    return {
        "report": report,
        "query": query,
        "found": found,
        "searched": bool(search_words(query)),
        "is_open": not deadline.is_closed(timezone.now()),
        "cutoff_at": deadline.cutoff_at,
        "add_fields": blank_add_fields(),
        "param": QUERY_PARAM,
    }


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
