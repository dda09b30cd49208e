from django import template
from django.utils.html import escape, format_html_join
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
