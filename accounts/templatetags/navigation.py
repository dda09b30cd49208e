"""Parts of the navigation bar that every page shows alike to everyone of a kind, rendered once per process.

The bar is on every page, and most of it (the links a role has, the language buttons) names no one: the same words
and addresses for every student, in one language. Rendering those parts anew was a third of the bar's cost, which
every page pays; they are kept instead, per template, language and the values that choose them, for as long as the
process runs (a deploy starts new processes, so new words or addresses are never missed). Not while developing
(DEBUG), where a template edited is shown at once.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def navigation_part(template_name, **values):
    """``template_name`` rendered with ``values`` alone (nothing else of the page's context: it must not vary with
    anything else), in the active language. The values must be few and hashable, such as a role or a flag."""
    if settings.DEBUG:
        return render_to_string(template_name, values)
    return _rendered(template_name, get_language(), tuple(sorted(values.items())))


@lru_cache(maxsize=256)
def _rendered(template_name, language, values):
    return render_to_string(template_name, dict(values))
