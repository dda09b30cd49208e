from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from grading.templatetags.grading_numbers import decimal_separator, figure_with

register = template.Library()


@register.simple_tag
def grade_sheet_rows(rows, formula):
    """The sheet's rows (``(number, row)`` pairs) as HTML, written in Python: a course's sheet has hundreds, and the
    template language spent most of the sheet's HTML time on them, time a sheet laid out in parts waits for before
    its workers start. Every text is escaped; the figures are digits and signs."""
    separator = decimal_separator()

    def blank(value):
        return "" if value is None or value == "" else figure_with(value, separator)

    parts = []
    for number, row in rows:
        cells = []
        for cell in row.cells:
            if cell.points is not None:
                body = figure_with(cell.points, separator)
            elif cell.percent is not None:
                body = figure_with(cell.percent, separator) + "%"
            else:
                body = "✗" if cell.missing else "•" if cell.submitted else ""
            body += ("*" if cell.draft else "") + ("<sup>L</sup>" if cell.late else "")
            cells.append(f'<td class="draft">{body}</td>' if cell.draft else f"<td>{body}</td>")
        results = [f'<td class="b">{figure_with(row.total, separator)}</td>', f"<td>{blank(row.percent)}</td>"]
        if formula:
            controls = row.controls
            results += [f"<td>{blank(value)}</td>" for value in (row.tk1, controls.get("rk1"), row.r1)]
            results += [f"<td>{blank(value)}</td>" for value in (row.tk2, controls.get("rk2"), row.r2)]
            not_admitted = "&nbsp;✗" if row.admitted is False else ""
            results.append(f'<td class="rd">{blank(row.rd)}{not_admitted}</td>')
            results.append(f"<td>{blank(controls.get('exam'))}</td>")
            results.append(f'<td class="b">{blank(row.final)}</td>')
        letter = row.letter
        if letter:
            mark = "~" if row.provisional else ""
            results.append(f'<td class="letter">{escape(letter.letter)}{mark}</td>')
            results.append(f"<td>{figure_with(letter.gpa, separator)}</td>")
            results.append(f'<td class="t">{escape(letter.get_traditional_display())}</td>')
        else:
            results.append(f'<td class="letter">{"…" if row.waiting else ""}</td><td></td><td class="t"></td>')
        parts.append(
            f'<tr><td class="n">{number}</td><td class="name">{escape(row.student.display_name)}</td>'
            f"{''.join(cells)}{''.join(results)}</tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
