"""Parts of the grading form (grading/grade.html) written in Python: a rubric's level options are most of the
form, and the template language spent a tenth of the grading page's time on their names, ranges and the chosen
one."""

from django import template
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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
