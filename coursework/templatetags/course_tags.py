"""The course document folded under a course page's schedule, written in Python: the page is on every student's way to
their tasks, and the reading list's template (a row per entry, a sentence per protocol) cost a sixth of it."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from config.markup import catalogue_text, sentence

register = template.Library()


@register.simple_tag(takes_context=True)
def course_document_card(context, document):
    """The course document's title page and reading list (``document``: coursework.selectors.course_document), folded
    under the schedule: who compiled it, the protocols that passed it, and the reading list in its groups. The
    course's instructors (the page's ``instructors``) and superusers get a link to the reading list's editor."""
    course, user = context["course"], context["user"]
    size = document.size
    summary = sentence(
        ngettext("reading list: %(counter)s entry", "reading list: %(counter)s entries", size), counter=size
    )
    if document.compiler:
        compiled_by = sentence(gettext("compiled by %(compiler)s"), compiler=document.compiler)
        summary = format_html("{} · {}", compiled_by, summary)
    sections = format_html_join("\n", "{}", ((_section(section),) for section in document.sections))
    if not document.sections:
        sections = format_html(
            '<p class="small text-body-secondary mb-0">{}</p>', catalogue_text(gettext("The reading list is empty."))
        )
    edit = ""
    if user.is_superuser or user in context["instructors"]:
        edit = format_html(
            '<a class="btn btn-sm btn-outline-primary mt-2" href="{}">{}</a>',
            reverse("coursework:reading_list", args=[course.pk]),
            catalogue_text(gettext("Edit reading list")),
        )
    return format_html(
        '<details class="card course-document" id="course-document" data-course-document>\n'
        '<summary class="card-header">\n<h2 class="h5 mb-0 d-inline">{}</h2>\n'
        '<span class="small text-body-secondary ms-1">{}</span>\n</summary>\n'
        '<div class="card-body">\n{}\n<h3 class="h6">{}</h3>\n{}\n{}\n</div>\n</details>',
        catalogue_text(gettext("Course document")),
        summary,
        _provenance(document),
        catalogue_text(gettext("Reading list")),
        sections,
        edit,
    )


def _provenance(document):
    if not (document.compiler or document.protocols):
        return ""
    rows = []
    if document.compiler:
        rows.append(
            format_html(
                '<dt class="col-sm-5 col-lg-4">{}</dt>\n<dd class="col-sm-7 col-lg-8">{}</dd>',
                catalogue_text(gettext("Compiled by")),
                document.compiler,
            )
        )
    for protocol in document.protocols:
        if protocol.kind == "department":
            body = catalogue_text(gettext("Considered and recommended by the department"))
        else:
            body = catalogue_text(gettext("Approved by the faculty's Academic Council"))
        rows.append(
            format_html(
                '<dt class="col-sm-5 col-lg-4">{}</dt>\n<dd class="col-sm-7 col-lg-8" data-protocol="{}">{}</dd>',
                body,
                protocol.kind,
                _protocol(protocol),
            )
        )
    return format_html(
        '<dl class="row small mb-3" data-provenance>\n{}\n</dl>',
        mark_safe("\n".join(rows)),  # noqa: S308 — format_html's rows
    )


def _protocol(protocol):
    number, date = protocol.number, date_filter(protocol.date, "DATE_FORMAT")
    if number and date:
        return sentence(gettext("protocol No. %(number)s of %(date)s"), number=number, date=date)
    if number:
        return sentence(gettext("protocol No. %(number)s"), number=number)
    return sentence(gettext("protocol of %(date)s"), date=date)


def _section(section):
    entries = format_html_join("\n", "{}", ((_entry(number, entry),) for number, entry in section.entries))
    return format_html(
        '<h4 class="small text-uppercase fw-semibold text-body-secondary mt-3 mb-2" id="references-{}">{}</h4>\n'
        '<ol class="reading-list small mb-2" aria-labelledby="references-{}" data-reference-group="{}">\n{}\n</ol>',
        section.group,
        section.label,
        section.group,
        section.group,
        entries,
    )


def _entry(number, entry):
    text, url = entry.text, entry.url
    link = ""
    if url:
        link = format_html('<a class="text-break" href="{}" target="_blank" rel="noopener">{}</a>', url, url)
    return format_html(
        '<li value="{}" class="mb-1">{}{}{}</li>', number, text or "", " — " if text and url else "", link
    )
