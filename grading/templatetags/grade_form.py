"""Parts of the grading form (grading/grade.html) written in Python: a rubric's criteria, with their level options,
are most of the form, and the template language spent a tenth of the grading page's time on the level options'
names, ranges and the chosen one, and as much again on each criterion's fields."""

from django import template
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from grading.templatetags.grading_numbers import decimal_separator, figure_with

register = template.Library()


@register.simple_tag
def level_options(criterion, level_field):
    """A criterion's levels as radio buttons named for ``level_field``, the one it holds checked: each with its
    title, its range of percentages and its descriptor."""
    name = conditional_escape(level_field.html_name)
    chosen = str(level_field.value())
    separator = decimal_separator()
    options = []
    for level in criterion.levels.all():
        low, high = level.min_percent, level.max_percent
        checked = "checked" if chosen == str(level.pk) else ""
        options.append(
            # Spaced as the template wrote them: the space between the button and its title shows.
            '<label class="level-option">\n'
            f'<input type="radio" name="{name}" value="{level.pk}" data-min="{unlocalize(low)}" '
            f'data-max="{unlocalize(high)}" {checked}>\n'
            f'<span class="level-title">{conditional_escape(level.display_title)} <span class="level-range">'
            f"{figure_with(low, separator)}–{figure_with(high, separator)}%</span></span>\n"
            f'<span class="level-descriptor">{conditional_escape(level.display_descriptor)}</span>\n'
            "</label>"
        )
    return mark_safe("\n".join(options))  # noqa: S308 — every text above is escaped


@register.simple_tag
def criterion_fieldsets(criteria_rows):
    """Each criterion of the grading form (``GradeForm.criterion_rows``) as a numbered fieldset: its level options,
    the points chosen within the level and a comment, each field with its errors."""
    points_label, comment_label = gettext("Points, %"), gettext("Comment")
    return format_html_join(
        "",
        "{}",
        ((_fieldset(number, row, points_label, comment_label),) for number, row in enumerate(criteria_rows, start=1)),
    )


def _errors(field, extra=""):
    return format_html_join("", '<div class="invalid-feedback{}">{}</div>', ((extra, error) for error in field.errors))


def _fieldset(number, row, points_label, comment_label):
    criterion, level_field, points_field, comment_field = row
    points, comment = points_field.value(), comment_field.value()
    return format_html(
        '<fieldset class="card criterion mb-3" data-criterion="{}">'
        '<legend class="card-header h6 mb-0 w-100">{}. {}</legend><div class="card-body">'
        '<div class="levels mb-2" role="radiogroup" aria-label="{}">{}</div>{}'
        '<div class="row g-2 align-items-start"><div class="col-sm-4">'
        '<label class="form-label small" for="{}">{}</label>'
        '<input type="number" step="0.5" min="0" max="100" '
        'class="form-control form-control-sm criterion-points{}" name="{}" id="{}" value="{}">{}</div>'
        '<div class="col-sm-8"><label class="form-label small" for="{}">{}</label>'
        '<textarea class="form-control form-control-sm{}" rows="2" name="{}" id="{}" maxlength="{}">{}</textarea>{}'
        "</div></div></div></fieldset>",
        criterion.pk,
        number,
        criterion.display_title,
        criterion.display_title,
        level_options(criterion, level_field),
        _errors(level_field, " d-block"),
        points_field.id_for_label,
        points_label,
        " is-invalid" if points_field.errors else "",
        points_field.html_name,
        points_field.id_for_label,
        "" if points is None else unlocalize(points),
        _errors(points_field),
        comment_field.id_for_label,
        comment_label,
        " is-invalid" if comment_field.errors else "",
        comment_field.html_name,
        comment_field.id_for_label,
        comment_field.field.max_length,
        "" if comment is None else comment,
        _errors(comment_field),
    )
