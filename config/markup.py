"""Pieces of HTML that the portal's template tags write in Python, the way the template language writes them: the
tags that write a busy page's rows (the schedule, the slots, the institution panel, the course document) share them.
"""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def catalogue_text(translated):
    """A translation as ``{% translate %}`` writes it: the catalogue's text, not escaped."""
    return mark_safe(translated)  # noqa: S308 — the catalogue's text


def sentence(translated, **values):
    """A translated sentence with its values escaped, as ``{% blocktranslate %}`` gives it."""
    return mark_safe(translated % {name: conditional_escape(value) for name, value in values.items()})  # noqa: S308


def csrf_input(context):
    """The form token's hidden field, as ``{% csrf_token %}`` writes it."""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', context.get("csrf_token", ""))
