"""What the rendering of a handed-in plan needs from its snapshot: the sections in the plan's order, with goals
numbered, each intervention's goal found by its key, labels in place of stored codes, and dates in the reader's
format."""

from django import template
from django.utils import formats

from caseplans.plan import RESPONSIBLE_LABELS, ROW_FIELDS, SECTION_LABELS, SECTION_ORDER, normalised, parse_date
from portfolio.models import ClientCategory

register = template.Library()

CASE_PLAN = "case_plan"


@register.filter
def is_case_plan(content):
    """Whether a version's ``content`` is the snapshot of a case plan."""
    return isinstance(content, dict) and content.get("kind") == CASE_PLAN


@register.filter
def plan_date(text):
    """An ISO date of the snapshot ("2025-10-31") in the active language's short format ("31.10.2025"); text that
    is not a date is shown as it was written."""
    date = parse_date(text)
    return formats.date_format(date, "SHORT_DATE_FORMAT") if date else (text or "")


@register.filter
def category_label(value):
    """A client category's name in the active language; an unknown code as it is."""
    return ClientCategory(value).label if value in ClientCategory.values else (value or "")


@register.filter
def responsible_label(value):
    return RESPONSIBLE_LABELS.get(value, value or "")


@register.simple_tag
def plan_sections(content):
    """The plan of a snapshot as the rendering reads it: one dict per section in ``SECTION_ORDER`` with its
    ``name``, ``label`` and ``rows`` (a row section) or ``text`` (a text section).

    Goals carry their ``number``; an intervention carries the ``goal`` it serves as that goal's row (None when its
    key names no goal); a referral's ``directory`` is the organisation as the snapshot copied it, or None.
    """
    plan = normalised((content or {}).get("plan"))
    goals = {}
    for number, row in enumerate(plan["goals"], start=1):
        goals.setdefault(row.get("key"), {**row, "number": number})
    sections = []
    for name in SECTION_ORDER:
        section = {"name": name, "label": SECTION_LABELS[name]}
        if name in ROW_FIELDS:
            rows = [{**row, "number": number} for number, row in enumerate(plan[name] or [], start=1)]
            if name == "interventions":
                rows = [{**row, "goal": goals.get(row.get("goal"))} for row in rows]
            section["rows"] = rows
        else:
            section["text"] = plan[name]
        sections.append(section)
    return sections
