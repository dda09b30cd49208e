from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from grading.templatetags.grading_numbers import decimal_separator, figure_with

register = template.Library()

BAR_WIDTH = 6
GAP = 2
HEIGHT = 36


@register.inclusion_tag("grading/includes/distribution.html")
def distribution_chart(stats, label):
    """A small bar chart of a task's scores in ten bins of ten percent, drawn as inline SVG."""
    peak = max(stats.bins) or 1
    bars = []
    for index, count in enumerate(stats.bins):
        height = round(count / peak * (HEIGHT - 4)) if count else 0
        bars.append(
            {
                "x": index * (BAR_WIDTH + GAP),
                "y": HEIGHT - height,
                "height": height,
                "count": count,
                "range": f"{index * 10}–{index * 10 + 10 if index < 9 else 100}%",
            }
        )
    summary = ", ".join(f"{bar['range']}: {bar['count']}" for bar in bars if bar["count"])
    return {
        "bars": bars,
        "width": 10 * (BAR_WIDTH + GAP) - GAP,
        "height": HEIGHT,
        "bar_width": BAR_WIDTH,
        "title": _("Distribution of scores for %(label)s") % {"label": label},
        "summary": summary or _("No released grades yet"),
    }


@register.filter
def cell_at(cells, index):
    return cells[index]


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def unbroken_words(text):
    """Each word kept whole on its line: a narrow heading wraps "СОӨЖ 2-3" between the words, not at the hyphen."""
    return format_html_join(" ", '<span class="text-nowrap">{}</span>', ((word,) for word in str(text).split()))


@register.filter
def page_range(count):
    return range(1, count + 1)


@register.simple_tag
def gradebook_rows(book, course, sort, cell_titles):
    """The staff table's rows as HTML, written in Python: a page has a hundred of them, and the template language spent
    most of the page's time on them. Sorted by group, each group opens with a row naming it. Every text is escaped."""
    if not book.rows:
        return format_html(
            '<tr><td colspan="99" class="text-body-secondary">{}</td></tr>', _("No students on this roster yet.")
        )
    record_title = escape(_("Course record (PDF)"))
    by_group = sort in ("group", "-group")
    credit = book.assessment.uses_credit_formula
    parts, group = [], object()
    for row in book.rows:
        if by_group and row.group != group:
            group = row.group
            parts.append(f'<tr class="group-row"><th colspan="99" scope="rowgroup">{escape(group)}</th></tr>')
        student = row.student
        name = escape(student.display_name)
        record = escape(reverse("grading:student_record_pdf", args=[course.pk, student.pk]))
        record_of = _("Course record of %(name)s") % {"name": name}
        parts.append(
            f'<tr data-student="{escape(student.username)}"><th scope="row" class="fw-normal student-name">'
            f'<span class="name-text">{name}</span> <a class="record-link" href="{record}" type="application/pdf" '
            f'title="{record_title}"><span aria-hidden="true">PDF</span><span class="visually-hidden">{record_of}'
            f'</span></a></th><td class="text-nowrap">{escape(row.group)}</td>'
            f"{gradebook_cells(row, cell_titles)}{gradebook_results(row, credit)}</tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def gradebook_cells(row, titles):
    """A row's task cells as HTML. Written in Python because a 100-row page has 2,000 of them, and the
    template language would spend most of the page's time on their conditions; the marks' titles are escaped
    and the decimal sign looked up once per row, not once per cell.

    A cell shows its column's figure (points, or the percentage of a task without maximum points) and its marks;
    a handed-in cell links to the page the view chose for it (``cell.url``)."""
    separator = decimal_separator()
    missing = f'<span title="{escape(titles["missing"])}">✗</span>'
    ungraded = f'<span title="{escape(titles["ungraded"])}">•</span>'
    draft = f'<span class="mark" title="{escape(titles["draft"])}">*</span>'
    late = f'<span class="mark mark-late" title="{escape(titles["late"])}">L</span>'
    parts = []
    for cell in row.cells:
        classes = "text-end cell" + (" cell-draft" if cell.draft else "") + (" cell-missing" if cell.missing else "")
        if cell.value is not None:
            body = figure_with(cell.value, separator) + ("%" if cell.in_percent else "")
        elif cell.missing:
            body = missing
        elif cell.submitted:
            body = ungraded
        else:
            body = ""
        if cell.url:
            body = f'<a href="{escape(cell.url)}">{body}</a>'
        if cell.draft:
            body += draft
        if cell.late:
            body += late
        parts.append(f'<td class="{classes}">{body}</td>')
    return mark_safe("".join(parts))  # noqa: S308 — the figures are digits and signs, every text above is escaped


def gradebook_results(row, uses_credit_formula):
    """A row's cells after the tasks' (total, percentage, the credit formula's columns, letter, GPA, traditional
    grade) as HTML, written in Python for the same reason as ``gradebook_cells``: a page has a hundred rows of them.
    Every text is escaped; the figures are digits and signs."""
    separator = decimal_separator()

    def figure(value, classes="text-end"):
        return f'<td class="{classes}">{figure_with(value, separator)}</td>'

    parts = [figure(row.total, "text-end fw-semibold"), figure(row.percent)]
    if uses_credit_formula:
        parts += [figure(row.tk1), figure(row.controls.get("rk1")), figure(row.r1)]
        parts += [figure(row.tk2), figure(row.controls.get("rk2")), figure(row.r2)]
        if row.admitted is False:
            not_admitted = escape(_("Not admitted to the exam"))
            parts.append(
                f'<td class="text-end text-danger">{figure_with(row.rd, separator)}'
                f'<span class="mark" title="{not_admitted}">✗</span></td>'
            )
        else:
            parts.append(figure(row.rd))
        parts += [figure(row.controls.get("exam")), figure(row.final, "text-end fw-semibold")]
    letter = row.letter
    if letter:
        provisional = " provisional" if row.provisional else ""
        title = escape(letter.get_traditional_display())
        if row.provisional:
            title += " · " + escape(_("Provisional: the letter of what counts so far, before the final grade"))
        mark = '<span class="mark">~</span>' if row.provisional else ""
        parts.append(
            f'<td class="fw-semibold letter-cell{provisional}" title="{title}">{escape(letter.letter)}{mark}</td>'
        )
    elif row.waiting:
        waiting = escape(_("No letter while work waits for grading"))
        parts.append(
            f'<td class="letter-cell letter-waiting" title="{waiting}"><span aria-hidden="true">…</span>'
            f'<span class="visually-hidden">{waiting}</span></td>'
        )
    else:
        parts.append('<td class="letter-cell">—</td>')
    parts.append(figure(letter.gpa if letter else None))
    traditional = escape(letter.get_traditional_display()) if letter else ""
    parts.append(f'<td class="small traditional-col">{traditional}</td>')
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
