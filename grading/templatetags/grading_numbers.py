from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def figure(value):
    """A stored decimal as people write it: no trailing zeros, the reader's decimal sign ("89,5", "20")."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value)
