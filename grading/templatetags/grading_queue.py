from datetime import timedelta
from html import escape  # Django's escape is this behind a lazy-text wrapper costing more than the escaping itself

from django import template
from django.forms.widgets import Input
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext as _

from grading.templatetags.grading_numbers import decimal_separator, figure_with
from portfolio.templatetags.portfolio import duration_words

register = template.Library()

# A number no row id will be, standing for the id in an address reversed once for a whole table.
_ID_MARK = 987654321


def _address_of(url_name):
    """``reverse(url_name, args=[pk])`` for any number of ids at the price of one ``reverse``."""
    before, after = (escape(part) for part in reverse(url_name, args=[_ID_MARK]).split(str(_ID_MARK)))
    return lambda pk: f"{before}{pk}{after}"


# Django's date format characters that strftime writes the same (with leading zeros): a format made of these and
# punctuation ("d.m.Y H:i", the Kazakh and Russian short moment) is written by strftime, ten times faster.
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "H": "%H", "i": "%M"}


def _moment_writer(django_format):
    """``date_format(localtime(value), django_format)`` as a function, for a column of moments (the time zone is
    looked up once for the column)."""
    zone = get_current_timezone()
    if all(char in _STRFTIME or not (char.isalpha() or char in "\\%") for char in django_format):
        pattern = "".join(_STRFTIME.get(char, char) for char in django_format)
        return lambda value: value.astimezone(zone).strftime(pattern)
    return lambda value: dateformat.format(value.astimezone(zone), django_format)


def _lateness_writer():
    """``duration_words`` as a function for a column: it writes whole minutes, so each number of minutes is put
    into words once for the column."""
    words = {}

    def write(delta):
        if delta is None:
            return ""
        minutes = int(delta.total_seconds() // 60)
        if minutes not in words:
            words[minutes] = escape(duration_words(timedelta(minutes=minutes)))
        return words[minutes]

    return write


@register.simple_tag
def queue_table_rows(rows, task, *, can_grade, is_past_due):
    """The queue's table rows (grading/queue.html) as HTML. Written in Python because a class of 300 has 300 of
    them, and the template language spent most of the page's time on each row's conditions, addresses, dates and
    texts; here the texts, formats and addresses are looked up once per table.

    A row shows the student, their group, when their latest version was handed in (or that only a draft waits,
    or that nothing came), how late, the number of versions, the latest version's grade and its state, and the
    links to grade and open it."""
    texts = {
        key: escape(text)
        for key, text in {
            "draft_only": _("Draft only"),
            "missing": _("Missing"),
            "on_time": _("on time"),
            "released": _("Released"),
            "changed": _("Unreleased change"),
            "draft_grade": _("Draft grade"),
            "regrade": _("Needs regrading"),
            "not_graded": _("Not graded"),
            "grade": _("Grade"),
            "open": _("Open"),
        }.items()
    }
    moment = _moment_writer(get_format("SHORT_DATETIME_FORMAT"))
    late_by = _lateness_writer()
    separator = decimal_separator()
    grade_address, open_address = _address_of("grading:grade"), _address_of("portfolio:submission_detail")
    in_percent = task.max_points is None

    def submitted(row):
        if row.latest_submitted_at:
            return escape(moment(row.latest_submitted_at))
        if row.has_draft:
            return f'<span class="text-body-secondary">{texts["draft_only"]}</span>'
        if is_past_due:
            return f'<span class="badge status status-missing">{texts["missing"]}</span>'
        return '<span class="text-body-secondary">—</span>'

    def lateness(row):
        if row.latest_is_late:
            return f'<span class="badge status status-late">{late_by(row.latest_late_by)}</span>'
        if row.latest_submitted_at:
            return f'<span class="text-body-secondary small">{texts["on_time"]}</span>'
        return ""

    def figure(row):
        if not in_percent:
            return figure_with(row.latest_grade_points, separator)
        if row.latest_grade_percent is None:
            return "—"
        return figure_with(row.latest_grade_percent, separator) + "%"

    def grade(row):
        if row.latest_grade_id:
            if row.latest_grade_state != "released":
                return f'{figure(row)} <span class="badge status status-draft">{texts["draft_grade"]}</span>'
            released = f'{figure(row)} <span class="badge status status-graded">{texts["released"]}</span>'
            if row.latest_grade_changed:
                return f'{released} <span class="badge status status-draft">{texts["changed"]}</span>'
            return released
        if row.latest_submission_id and row.has_earlier_grade:
            return f'<span class="badge status status-late">{texts["regrade"]}</span>'
        if row.latest_submission_id:
            return f'<span class="text-body-secondary small">{texts["not_graded"]}</span>'
        return ""

    def links(row, name):
        pk = row.latest_submission_id
        if not pk:
            return ""
        hidden = f'<span class="visually-hidden"> {name}</span>'
        opens = f'<a class="btn btn-sm btn-outline-primary" href="{open_address(pk)}">{texts["open"]}{hidden}</a>'
        if not can_grade:
            return opens
        return f'<a class="btn btn-sm btn-primary" href="{grade_address(pk)}">{texts["grade"]}{hidden}</a> {opens}'

    html = []
    for row in rows:
        name = escape(row.student.display_name)
        html.append(
            f'<tr data-student="{escape(row.student.username)}">'
            f"<td>{name}</td>"
            f'<td class="text-nowrap">{escape(row.academic_group)}</td>'
            f'<td class="text-nowrap">{submitted(row)}</td>'
            f"<td>{lateness(row)}</td>"
            f"<td>{row.version_count or '—'}</td>"
            f'<td class="text-nowrap grade-cell">{grade(row)}</td>'
            f'<td class="text-end text-nowrap">{links(row, name)}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 — every text and address above is escaped


@register.simple_tag
def student_options(students):
    """A select's options for a class (the queue's extension form): written here for the reason above."""
    return mark_safe(  # noqa: S308 — the names are escaped
        "".join(f'<option value="{student.pk}">{escape(student.display_name)}</option>' for student in students)
    )


@register.simple_tag
def form_fields(form, skip=""):
    """The fields of ``form`` (but the one named ``skip``) in Bootstrap's markup, as crispy forms would give it: label,
    input, help text and errors. Written here, the inputs too, because Django's widget templates (three for each
    input) cost an eighth of the queue page. The form's widgets carry Bootstrap's class (grading.views.queue)."""
    return format_html_join("\n", "{}", ((_form_field(field),) for field in form if field.name != skip))


def _form_field(field):
    required = field.field.required
    help_text = ""
    if field.help_text:
        help_text = format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text)
    errors = format_html_join(
        "", '<div class="invalid-feedback d-block">{}</div>', ((error,) for error in field.errors)
    )
    return format_html(
        '<div id="div_{}" class="mb-3">\n<label for="{}" class="form-label{}">{}{}</label>\n{}\n{}\n{}\n</div>',
        field.auto_id,
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
        _widget(field),
        help_text,
        errors,
    )


def _widget(field):
    """``str(field)``: an ``<input>`` as Django's templates write it (its type, name, value, then its attributes in
    their order), other widgets through their templates."""
    widget = field.field.widget
    if not isinstance(widget, Input) or field.field.show_hidden_initial:
        return str(field)
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = "" if context["value"] is None else format_html(' value="{}"', str(context["value"]))
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        value,
        format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
                for name, value in context["attrs"].items()
                if value is not False
            ),
        ),
    )
