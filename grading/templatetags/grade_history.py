"""A grade's history as the grading page and the review page show it (grading/includes/grade_history.html), written
in Python: a grade changed often has a long history, and the template language spent most of the grading page's
history on each change's texts and on matching each criterion with its earlier value."""

from django import template
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from grading.templatetags.grading_numbers import decimal_separator, figure_with
from grading.templatetags.rubric_tags import reader_language

register = template.Library()

_TERM = '<dt class="col-4 fw-normal text-body-secondary">{}</dt>'
_VALUE = '<dd class="col-8 mb-0">{}</dd>'


def criterion_changes(change, separator):
    """For each criterion of the values after ``change``: its title, its level and points before when either
    changed ("Жақсы 15 → ", empty otherwise), and its level and points after, in the reader's language."""

    def level_and_points(row):
        level = reader_language(row.get("level_titles"), row.get("level", ""))
        return f"{level} {figure_with(row.get('points', ''), separator)}"

    before = (change.before or {}).get("criteria") or []
    rows = []
    for row in (change.after or {}).get("criteria") or []:
        changed = (
            old
            for old in before
            if old.get("criterion") == row.get("criterion")
            and (old.get("level") != row.get("level") or old.get("points") != row.get("points"))
        )
        rows.append(
            (
                reader_language(row.get("titles"), row.get("title", "")),
                "".join(f"{level_and_points(old)} → " for old in changed) + level_and_points(row),
            )
        )
    return rows


@register.simple_tag
def history_entries(history, task):
    """Each change of ``history`` as an item of the history's list: what was done to which version, by whom and
    when, and the points (for a task with points), the percentage and each criterion, before → after."""
    separator = decimal_separator()
    points_term = conditional_escape(_("Points"))

    def before_and_after(change, key):
        before = f"{figure_with(change.before.get(key, ''), separator)} → " if change.before else ""
        return before + figure_with((change.after or {}).get(key, ""), separator)

    items = []
    for change in history:
        version = _("version %(number)s") % {"number": conditional_escape(change.grade.version.number)}
        by = change.changed_by.display_name if change.changed_by else ""
        moment = date_format(localtime(change.changed_at), "SHORT_DATETIME_FORMAT")
        terms = []
        if task.max_points is not None:
            terms += [_TERM.format(points_term), _VALUE.format(before_and_after(change, "points"))]
        terms += [_TERM.format("%"), _VALUE.format(before_and_after(change, "percent"))]
        for title, values in criterion_changes(change, separator):
            terms += [_TERM.format(conditional_escape(title)), _VALUE.format(conditional_escape(values))]
        items.append(
            '<li class="list-group-item">\n'
            '<div class="d-flex justify-content-between flex-wrap gap-2">\n'
            f"<strong>{conditional_escape(change.get_action_display())} · {version}</strong>\n"
            f'<span class="text-body-secondary">{conditional_escape(by)} · {conditional_escape(moment)}</span>\n'
            "</div>\n"
            '<dl class="change-diff row mb-0 mt-1">\n' + "\n".join(terms) + "\n</dl>\n</li>"
        )
    return mark_safe("\n".join(items))  # noqa: S308 — every text above is escaped, the translations are ours
