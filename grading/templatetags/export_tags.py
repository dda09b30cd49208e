from django import template

from grading.templatetags.grading_numbers import figure

register = template.Library()


@register.filter
def blank_figure(value):
    """``figure``, but nothing at all for a value that does not exist yet: a printed sheet leaves the cell blank."""
    if value is None or value == "":
        return ""
    return figure(value)
