"""The individual work plan as data: its sections, how a page's form becomes a plan, and the checks before hand-in.

A plan is a dict of plain values, the same in the working copy, the handed-in snapshot and the page:

- text sections: ``profile``, ``history``, ``needs``, ``strengths``, ``monitoring``, ``closing``;
- row sections, lists of dicts in the order the student gave them: ``problems`` (text; the order is the priority),
  ``goals`` (key, text, indicator, target date), ``interventions`` (action, responsible, agency, due date, goal
  key), ``referrals`` (a directory entry's id or an organisation written out, purpose), ``reviews`` (date, focus).

A goal keeps a short key of its own, so an intervention still serves the same goal when goals are reordered.
"""

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from caseplans.identifiers import FORBIDDEN_IN_PLAN, personal_data

TEXT_SECTIONS = ("profile", "history", "needs", "strengths", "monitoring", "closing")
ROW_FIELDS = {
    "problems": ("text",),
    "goals": ("key", "text", "indicator", "target"),
    "interventions": ("action", "responsible", "agency", "due", "goal"),
    "referrals": ("entry", "organisation", "purpose"),
    "reviews": ("date", "focus"),
}
# Fields that hold no content of their own: a row with nothing else filled in is an empty row.
_BOOKKEEPING = {"key"}
DATE_FIELDS = {"target", "due", "date"}

SECTION_LABELS = {
    "profile": gettext_lazy("Client profile (de-identified)"),
    "history": gettext_lazy("Social history"),
    "needs": gettext_lazy("Assessed needs"),
    "strengths": gettext_lazy("Strengths"),
    "problems": gettext_lazy("Problems, in order of priority"),
    "goals": gettext_lazy("Goals"),
    "interventions": gettext_lazy("Interventions"),
    "referrals": gettext_lazy("Resources and referrals"),
    "monitoring": gettext_lazy("Monitoring"),
    "reviews": gettext_lazy("Review dates"),
    "closing": gettext_lazy("Closing criteria"),
}
# The order of the plan on the page and on paper.
SECTION_ORDER = tuple(SECTION_LABELS)


class Responsible:
    CASE_MANAGER = "case_manager"
    CLIENT = "client"
    AGENCY = "agency"


RESPONSIBLE_CHOICES = (
    (Responsible.CASE_MANAGER, pgettext_lazy("responsible for an intervention", "Case manager")),
    (Responsible.CLIENT, pgettext_lazy("responsible for an intervention", "Client")),
    (Responsible.AGENCY, pgettext_lazy("responsible for an intervention", "An agency")),
)
RESPONSIBLE_LABELS = dict(RESPONSIBLE_CHOICES)

MAX_TEXT = 6000  # characters in a text section
MAX_FIELD = 1500  # characters in a field of a row
MAX_ROWS = 60  # rows in a row section
_KEY = re.compile(r"^[a-z0-9]{1,16}$")
_ENTRY_ID = re.compile(r"[0-9]{1,9}")  # ASCII digits only ("²" is a digit to str.isdigit), short enough for any id
_FIELD_NAME = re.compile(r"^(?P<section>[a-z]+)-(?P<index>\d{1,4})-(?P<field>[a-z]+)$")


def new_key():
    """A short key for a new goal."""
    return "g" + secrets.token_hex(4)


def empty_plan():
    return {**dict.fromkeys(TEXT_SECTIONS, ""), **{name: [] for name in ROW_FIELDS}}


def plan_from_form(values):
    """The plan a submitted form describes, and the messages of what cannot be kept.

    ``values`` maps names to strings (a QueryDict or a dict): text sections by name, row fields as
    ``goals-0-text``. Rows come in the order of their numbers; rows left empty are dropped. Nothing is cut short: a
    text over its limit, or too many rows, is a message and the plan is not to be saved.
    """
    plan = empty_plan()
    errors = []
    for name in TEXT_SECTIONS:
        text = _clean(values.get(name, ""))
        if len(text) > MAX_TEXT:
            errors.append(
                _("“%(section)s” is longer than %(limit)d characters.")
                % {"section": SECTION_LABELS[name], "limit": MAX_TEXT}
            )
        plan[name] = text
    rows = {}
    for name in values:
        match = _FIELD_NAME.match(name)
        if match and match["section"] in ROW_FIELDS and match["field"] in ROW_FIELDS[match["section"]]:
            rows.setdefault(match["section"], {}).setdefault(int(match["index"]), {})[match["field"]] = _clean(
                values.get(name, "")
            )
    for section, numbered in rows.items():
        kept = [_row(section, numbered[index]) for index in sorted(numbered)]
        kept = [row for row in kept if any(value for field, value in row.items() if field not in _BOOKKEEPING)]
        if len(kept) > MAX_ROWS:
            errors.append(
                _("“%(section)s” can hold at most %(limit)d rows.")
                % {"section": SECTION_LABELS[section], "limit": MAX_ROWS}
            )
        if any(len(str(value)) > MAX_FIELD for row in kept for value in row.values()):
            errors.append(
                _("A row of “%(section)s” is longer than %(limit)d characters.")
                % {"section": SECTION_LABELS[section], "limit": MAX_FIELD}
            )
        plan[section] = kept
    return plan, errors


def _clean(value):
    # Line ends as the browser sends them (\r\n) are kept as \n; spaces around the text are dropped; a NUL, which
    # no person types and PostgreSQL's JSON refuses, is dropped too.
    return str(value).replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _row(section, given):
    row = {field: given.get(field, "") for field in ROW_FIELDS[section]}
    if section == "goals" and not _KEY.match(row["key"]):
        row["key"] = new_key()
    if section == "interventions" and row["responsible"] not in RESPONSIBLE_LABELS:
        row["responsible"] = ""
    if section == "referrals":
        row["entry"] = int(row["entry"]) if _ENTRY_ID.fullmatch(row["entry"]) else None
    return row


def normalised(plan):
    """``plan`` with every section present, as an older or partial copy may lack some."""
    return {**empty_plan(), **(plan or {})}


def entry_ids(plan):
    """The directory entries the plan's referrals name."""
    return {row["entry"] for row in plan.get("referrals", []) if row.get("entry")}


def parse_date(text):
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Problem:
    """Something to put right before the plan can be handed in, and the section it is in."""

    section: str
    message: str


def plan_problems(plan, *, start, end):
    """Everything that keeps ``plan`` from being handed in, in the order of the plan.

    Rules: every section is filled in; there is at least one goal, and every goal has a measurable indicator and a
    target date between ``start`` and ``end`` (the term); every intervention says what, who, by when and which
    goal it serves; every referral names an organisation; every review has a date; and no text holds an ИИН/ЖСН, a
    phone number or an e-mail address.
    """
    plan = normalised(plan)
    problems = []
    for section in SECTION_ORDER:
        if not plan[section]:
            message = (
                _("Add at least one goal.")
                if section == "goals"
                else _("Fill in “%(section)s”.") % {"section": SECTION_LABELS[section]}
            )
            problems.append(Problem(section, message))
            continue
        if section in ROW_FIELDS:
            problems += [Problem(section, message) for message in _row_problems(section, plan, start, end)]
        problems += _personal_data_problems(section, plan[section])
    return problems


def _row_problems(section, plan, start, end):
    goals = {row["key"] for row in plan["goals"]}
    period = {
        "start": formats.date_format(start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(end, "SHORT_DATE_FORMAT"),
    }
    for number, row in enumerate(plan[section], start=1):
        if section == "problems":
            continue
        if section == "goals":
            if not row["text"]:
                yield _("Goal %(number)d: write what the goal is.") % {"number": number}
            if not row["indicator"]:
                yield _("Goal %(number)d has no measurable indicator.") % {"number": number}
            target = parse_date(row["target"])
            if target is None or not start <= target <= end:
                yield _("Goal %(number)d needs a target date within the term, %(start)s–%(end)s.") % {
                    "number": number,
                    **period,
                }
        elif section == "interventions":
            yield from _intervention_problems(number, row, goals)
        elif section == "referrals":
            if not (row["entry"] or row["organisation"]):
                yield _("Referral %(number)d: pick an organisation from the directory or write one.") % {
                    "number": number
                }
        elif section == "reviews" and parse_date(row["date"]) is None:
            yield _("Review %(number)d needs a date.") % {"number": number}


def _intervention_problems(number, row, goals):
    if not row["action"]:
        yield _("Intervention %(number)d: write what will be done.") % {"number": number}
    if not row["responsible"]:
        yield _("Intervention %(number)d: say who is responsible.") % {"number": number}
    elif row["responsible"] == Responsible.AGENCY and not row["agency"]:
        yield _("Intervention %(number)d: name the agency responsible.") % {"number": number}
    if parse_date(row["due"]) is None:
        yield _("Intervention %(number)d needs a date by which it is done.") % {"number": number}
    if row["goal"] not in goals:
        yield _("Intervention %(number)d does not say which goal it serves.") % {"number": number}


def _personal_data_problems(section, value):
    texts = [value] if isinstance(value, str) else [str(v) for row in value for k, v in row.items() if k != "entry"]
    problems = []
    for text in texts:
        for finding in personal_data(text, kinds=FORBIDDEN_IN_PLAN):
            problems.append(
                Problem(
                    section,
                    _(
                        "“%(section)s” holds what looks like %(what)s (%(shown)s). A case is handed in "
                        "de-identified: take it out."
                    )
                    % {"section": SECTION_LABELS[section], "what": finding.label, "shown": finding.shown},
                )
            )
    return problems
