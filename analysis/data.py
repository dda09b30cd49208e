"""СӨЖ 4's analytical work as data: the comparison of models, the SWOT analysis and the references; how a page's
form becomes that data, and the checks before hand-in.

The data is a dict of plain values, the same in the working copy, the handed-in snapshot and the page:

- ``models``: 2–3 columns, ``{"key", "name"}``; ``criteria``: the rows, ``{"key", "name"}``;
- ``cells``: ``{criterion key: {model key: text}}``;
- ``swot``: ``{"strengths" | "weaknesses" | "opportunities" | "threats": [{"text", "criterion"}]}``, ``criterion``
  being a criterion's key or "";
- ``references``: ``[{"kind", "language", "authors", "year", "title", "container", "city", "volume", "issue",
  "pages", "url", "accessed"}]`` — ``container`` is a book's publisher, an article's journal or a web page's site;
  ``authors`` one per line, "Surname I.O." or "Surname, I. O."; ``accessed`` an ISO date.

Models and criteria keep short keys of their own, so cells and SWOT links follow them when they are reordered.
"""

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

QUADRANTS = {
    "strengths": gettext_lazy("Strengths"),
    "weaknesses": gettext_lazy("Weaknesses"),
    "opportunities": gettext_lazy("Opportunities"),
    "threats": gettext_lazy("Threats"),
}


class Kind:
    BOOK = "book"
    ARTICLE = "article"
    WEB = "web"


KIND_CHOICES = (
    (Kind.BOOK, pgettext_lazy("kind of reference", "Book")),
    (Kind.ARTICLE, pgettext_lazy("kind of reference", "Journal article")),
    (Kind.WEB, pgettext_lazy("kind of reference", "Web page")),
)
LANGUAGE_CHOICES = (
    ("kk", gettext_lazy("Kazakh")),
    ("ru", gettext_lazy("Russian")),
    ("en", gettext_lazy("English")),
)
REFERENCE_FIELDS = (
    "kind",
    "language",
    "authors",
    "year",
    "title",
    "container",
    "city",
    "volume",
    "issue",
    "pages",
    "url",
    "accessed",
)

# Suggestions the page offers; the student names their own.
SUGGESTED_MODELS = (
    gettext_lazy("Brokerage (generalist) model"),
    gettext_lazy("Clinical model"),
    gettext_lazy("Strengths-based model"),
    gettext_lazy("Intensive (assertive community treatment) model"),
    gettext_lazy("Rehabilitation model"),
)
SUGGESTED_CRITERIA = (
    gettext_lazy("Aim"),
    gettext_lazy("Target group"),
    gettext_lazy("Role of the case manager"),
    gettext_lazy("Intensity"),
    gettext_lazy("Caseload"),
    gettext_lazy("Strengths"),
    gettext_lazy("Limits"),
    gettext_lazy("Fit for Kazakhstan"),
)

MIN_MODELS, MAX_MODELS = 2, 3
MIN_CRITERIA, MAX_CRITERIA = 3, 20
MIN_QUADRANT_ITEMS, MAX_QUADRANT_ITEMS = 2, 20
MIN_REFERENCES, MAX_REFERENCES = 5, 60
MAX_NAME = 200
MAX_TEXT = 3000

_KEY = re.compile(r"^[a-z0-9]{1,16}$")
_ROW = re.compile(r"^(?P<section>[a-z]+)-(?P<index>\d{1,4})-(?P<field>[a-z]+)$")
_CELL = re.compile(r"^cell-(?P<criterion>[a-z0-9]{1,16})-(?P<model>[a-z0-9]{1,16})$")
_YEAR = re.compile(r"^\d{4}$")
_ROW_FIELDS = {
    "models": ("key", "name"),
    "criteria": ("key", "name"),
    **dict.fromkeys(QUADRANTS, ("text", "criterion")),
    "references": REFERENCE_FIELDS,
}
_LIMITS = {"models": MAX_MODELS, "criteria": MAX_CRITERIA, "references": MAX_REFERENCES}
_BOOKKEEPING = {"key", "kind", "language", "criterion"}


def new_key(prefix):
    return prefix + secrets.token_hex(4)


def empty_analysis():
    return {
        "models": [],
        "criteria": [],
        "cells": {},
        "swot": {quadrant: [] for quadrant in QUADRANTS},
        "references": [],
    }


def normalised(data):
    """``data`` with every part present, as an older or partial copy may lack some."""
    data = {**empty_analysis(), **(data or {})}
    data["swot"] = {**{quadrant: [] for quadrant in QUADRANTS}, **(data.get("swot") or {})}
    return data


def _clean(value):
    return str(value).replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()


def analysis_from_form(values):
    """The analysis a submitted form describes, and the messages of what cannot be kept.

    Rows come in the order of their numbers, rows left empty are dropped; a cell is named by its criterion's and its
    model's keys (``cell-<criterion>-<model>``) and is kept only while both exist; a SWOT item's link to a criterion
    that is gone is dropped. Nothing is cut short: a text over its limit or too many rows is a message instead.
    """
    rows = {}
    for name in values:
        match = _ROW.match(name)
        if match and match["section"] in _ROW_FIELDS and match["field"] in _ROW_FIELDS[match["section"]]:
            rows.setdefault(match["section"], {}).setdefault(int(match["index"]), {})[match["field"]] = _clean(
                values.get(name, "")
            )
    # A model or a criterion not named yet is kept while any of its cells holds text: the name may come last.
    filled = {match["criterion"] for name in values if (match := _CELL.match(name)) and _clean(values.get(name, ""))}
    filled |= {match["model"] for name in values if (match := _CELL.match(name)) and _clean(values.get(name, ""))}
    data, errors = empty_analysis(), []
    for section, fields in _ROW_FIELDS.items():
        numbered = rows.get(section, {})
        kept = [{field: numbered[index].get(field, "") for field in fields} for index in sorted(numbered)]
        kept = [
            row
            for row in kept
            if any(value for field, value in row.items() if field not in _BOOKKEEPING) or row.get("key") in filled
        ]
        limit = _LIMITS.get(section, MAX_QUADRANT_ITEMS)
        if len(kept) > limit:
            errors.append(
                _("There can be at most %(limit)d of these: %(part)s.") % {"limit": limit, "part": _part(section)}
            )
        longest = MAX_NAME if section in ("models", "criteria") else MAX_TEXT
        if any(len(value) > longest for row in kept for value in row.values()):
            errors.append(
                _("A text of “%(part)s” is longer than %(limit)d characters.")
                % {"part": _part(section), "limit": longest}
            )
        for row in kept:
            if "key" in row and not _KEY.match(row["key"]):
                row["key"] = new_key(section[0])
            if section == "references":
                row["kind"] = row["kind"] if row["kind"] in dict(KIND_CHOICES) else Kind.BOOK
                row["language"] = row["language"] if row["language"] in dict(LANGUAGE_CHOICES) else "kk"
        if section in QUADRANTS:
            data["swot"][section] = kept
        else:
            data[section] = kept
    criteria = {row["key"] for row in data["criteria"]}
    models = {row["key"] for row in data["models"]}
    for name in values:
        match = _CELL.match(name)
        if match and match["criterion"] in criteria and match["model"] in models:
            text = _clean(values.get(name, ""))
            if len(text) > MAX_TEXT:
                errors.append(_("A cell of the comparison is longer than %(limit)d characters.") % {"limit": MAX_TEXT})
            if text:
                data["cells"].setdefault(match["criterion"], {})[match["model"]] = text
    for items in data["swot"].values():
        for item in items:
            if item["criterion"] not in criteria:
                item["criterion"] = ""
    return data, list(dict.fromkeys(errors))


def _part(section):
    names = {
        "models": _("models compared"),
        "criteria": _("criteria of the comparison"),
        "references": _("references"),
    }
    return names.get(section) or QUADRANTS[section]


def parse_date(text):
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Problem:
    """Something to put right before handing in, and the part it is in ("comparison", "swot", "references")."""

    part: str
    message: str


def analysis_problems(data, *, today):
    """Everything that keeps ``data`` from being handed in, part by part.

    Rules: two or three models, each named; at least three criteria, each named; every cell of the table filled;
    at least two items in each SWOT quadrant; at least five references, each with a title, an article with its
    journal, a web page with its address (http or https), a year of four digits when one is given, and an access date
    that is a date not after ``today`` when one is given.
    """
    data = normalised(data)
    return [*_comparison_problems(data), *_swot_problems(data), *_reference_problems(data, today)]


def _comparison_problems(data):
    models, criteria = data["models"], data["criteria"]
    if not MIN_MODELS <= len(models) <= MAX_MODELS:
        yield Problem("comparison", _("Compare two or three models."))
    for number, model in enumerate(models, start=1):
        if not model["name"]:
            yield Problem("comparison", _("Model %(number)d needs a name.") % {"number": number})
    if len(criteria) < MIN_CRITERIA:
        yield Problem("comparison", _("Compare the models on at least three criteria."))
    for number, criterion in enumerate(criteria, start=1):
        if not criterion["name"]:
            yield Problem("comparison", _("Criterion %(number)d needs a name.") % {"number": number})
    empty = [
        (criterion, model)
        for criterion in criteria
        for model in models
        if not data["cells"].get(criterion["key"], {}).get(model["key"])
    ]
    for criterion, model in empty:
        yield Problem(
            "comparison",
            _("The cell of “%(criterion)s” for “%(model)s” is empty.")
            % {"criterion": criterion["name"] or "…", "model": model["name"] or "…"},
        )


def _swot_problems(data):
    for quadrant, label in QUADRANTS.items():
        if len(data["swot"][quadrant]) < MIN_QUADRANT_ITEMS:
            yield Problem("swot", _("List at least two items under “%(quadrant)s”.") % {"quadrant": label})
        for item in data["swot"][quadrant]:
            if not item["text"]:
                yield Problem("swot", _("An item under “%(quadrant)s” has no text.") % {"quadrant": label})


def _reference_problems(data, today):
    references = data["references"]
    if len(references) < MIN_REFERENCES:
        yield Problem("references", _("List at least five references."))
    check_url = URLValidator(schemes=["http", "https"])
    for number, entry in enumerate(references, start=1):
        values = {"number": number}
        if not entry["title"]:
            yield Problem("references", _("Reference %(number)d needs a title.") % values)
        if entry["kind"] == Kind.ARTICLE and not entry["container"]:
            yield Problem("references", _("Reference %(number)d is an article: name its journal.") % values)
        if entry["kind"] == Kind.WEB and not entry["url"]:
            yield Problem("references", _("Reference %(number)d is a web page: give its address.") % values)
        if entry["url"]:
            try:
                check_url(entry["url"])
            except ValidationError:
                yield Problem(
                    "references", _("Reference %(number)d: the address must start with http:// or https://.") % values
                )
        if entry["year"] and not _YEAR.match(entry["year"]):
            yield Problem("references", _("Reference %(number)d: write the year with four digits.") % values)
        if entry["accessed"]:
            accessed = parse_date(entry["accessed"])
            if accessed is None or accessed > today:
                yield Problem("references", _("Reference %(number)d: the access date is not a past date.") % values)


def analysis_warnings(data):
    """What is allowed but worth a second look: a reference with no year, an address with no access date."""
    warnings = []
    for number, entry in enumerate(normalised(data)["references"], start=1):
        if not entry["year"]:
            warnings.append(_("Reference %(number)d has no year.") % {"number": number})
        if entry["url"] and not entry["accessed"]:
            warnings.append(
                _("Reference %(number)d gives an address but not the date it was accessed.") % {"number": number}
            )
    return warnings
