"""Parts of the navigation bar that every page shows alike to everyone of a kind, rendered once per process.

The bar is on every page, and most of it (the links a role has, the language buttons) names no one: the same words
and addresses for every student, in one language. Rendering those parts anew was a third of the bar's cost, which
every page pays; they are kept instead, per template, language and the values that choose them, for as long as the
process runs (a deploy starts new processes, so new words or addresses are never missed). Not while developing
(DEBUG), where a template edited is shown at once.
"""

from functools import lru_cache
from types import SimpleNamespace

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from accounts.models import Role

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


# Marks where the navigation bar's per-request values go in the bar rendered once (NUL never occurs in a template).
_MARK = "\x00"
_CSRF_FIELD = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_MARK}csrf{_MARK}">'


@register.simple_tag(takes_context=True)
def navbar(context):
    """The navigation bar (includes/navbar.html) of the page's reader. Rendered once per process for each language
    and kind of reader (signed in or not, role, department, staff), with marks where the reader's name, the page's
    address and the form token go; these are filled in, escaped, on each page. While developing (DEBUG) it is
    rendered afresh each time, the same way."""
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    kind = (
        signed_in,
        getattr(user, "role", "") if signed_in else "",
        getattr(user, "department_id", None) if signed_in else None,
        bool(getattr(user, "is_staff", False)),
    )
    request = context.get("request")
    values = {
        "name": user.display_name if signed_in else "",
        "next": request.get_full_path() if request is not None else "",
        "csrf": context.get("csrf_token") or "",
    }
    marked = _marked_bar(get_language(), kind) if not settings.DEBUG else _render_marked_bar(kind)
    if not values["csrf"]:
        # A page made without a request (no token to give): no token field, as {% csrf_token %} gives none.
        marked = marked.replace(_CSRF_FIELD, "")
    pieces = marked.split(_MARK)
    pieces[1::2] = [conditional_escape(values[name]) for name in pieces[1::2]]
    return mark_safe("".join(pieces))  # noqa: S308 — the template's own output, and the values escaped above


@lru_cache(maxsize=256)
def _marked_bar(language, kind):
    return _render_marked_bar(kind)


def _render_marked_bar(kind):
    signed_in, role, department_id, is_staff = kind
    reader = SimpleNamespace(
        is_authenticated=signed_in,
        role=role,
        department_id=department_id,
        is_staff=is_staff,
        display_name=f"{_MARK}name{_MARK}",
        get_role_display=Role(role).label if role else "",
    )
    return render_to_string(
        "includes/navbar.html",
        {
            "user": reader,
            "request": SimpleNamespace(get_full_path=f"{_MARK}next{_MARK}"),
            "csrf_token": f"{_MARK}csrf{_MARK}",
        },
    )
