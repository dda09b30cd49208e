from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def figure(value):
    """A stored decimal as people write it: no trailing zeros, the reader's decimal sign ("89,5", "20")."""
    return figure_with(value, decimal_separator())


def decimal_separator():
    """The reader's decimal sign, for ``figure_with``: a page of figures looks it up once, not once per figure."""
    return formats.get_format("DECIMAL_SEPARATOR")


def figure_with(value, separator):
    """``figure`` with the decimal sign given. The same text as Django's ``number_format`` without grouping (the
    portal never groups thousands), without its per-call lookups of the reader's formats."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return f"{value:f}".replace(".", separator)
