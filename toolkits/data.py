"""СӨЖ 3's assessment toolkit as data: the client category, the social-history criteria and the instruments with
their items; how a page's form becomes that data, the checks before hand-in, the coverage table and the scoring
sheets.

The data is a dict of plain values, the same in the working copy, the handed-in snapshot and the page:

- ``category``: a ``ClientCategory`` value or ""; ``category_other`` names the category when it is "other";
- ``criteria``: ``[{"key", "name", "definition"}]``, defined first;
- ``instruments``: ``[{"key", "type", "title", "purpose", "instructions", "items"}]``, ``type`` one of
  ``INSTRUMENT_TYPES``;
- an item: ``{"key", "text", "criterion", "answer", "options", "scale_from", "scale_to", "anchors"}``,
  ``criterion`` a criterion's key or "", ``answer`` one of ``ANSWER_TYPES``; ``options`` (a list of texts) only
  for a choice, else ``[]``; ``scale_from`` < ``scale_to`` (whole numbers from ``SCALE_LOWEST`` to
  ``SCALE_HIGHEST``) and ``anchors`` (``{str(point): label}``) only for a scale, else ``None`` and ``{}``.

Criteria, instruments and items keep short keys of their own, so an item's link to its criterion follows the
criterion when either is reordered.
"""

import re
import secrets
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from portfolio.models import ClientCategory

INSTRUMENT_TYPES = {
    "questionnaire": gettext_lazy("Questionnaire"),
    "observation": gettext_lazy("Observation form"),
    "rating_scale": gettext_lazy("Rating scale"),
    "interview_guide": gettext_lazy("Interview guide"),
    "other": gettext_lazy("Other"),
}
ANSWER_TYPES = {
    "open": gettext_lazy("Open answer"),
    "one_choice": gettext_lazy("One choice"),
    "several_choices": gettext_lazy("Several choices"),
    "yes_no": gettext_lazy("Yes / no"),
    "number": gettext_lazy("Number"),
    "scale": gettext_lazy("Scale"),
}
CHOICE_ANSWERS = ("one_choice", "several_choices")
DEFAULT_TYPE = "questionnaire"
DEFAULT_ANSWER = "open"

MIN_CRITERIA, MAX_CRITERIA = 3, 30
MIN_INSTRUMENTS, MAX_INSTRUMENTS = 2, 10
MIN_ITEMS, MAX_ITEMS = 3, 60
MIN_OPTIONS, MAX_OPTIONS = 2, 20
SCALE_LOWEST, SCALE_HIGHEST = 0, 10
DEFAULT_SCALE = (1, 5)
MAX_NAME = 200
MAX_TEXT = 2000

_KEY = re.compile(r"^[a-z0-9]{1,16}$")
_CRITERION = re.compile(r"^criteria-(?P<index>\d{1,4})-(?P<field>key|name|definition)$")
_INSTRUMENT = re.compile(r"^instruments-(?P<index>\d{1,4})-(?P<field>key|type|title|purpose|instructions)$")
_ITEM = re.compile(
    r"^instruments-(?P<index>\d{1,4})-items-(?P<item>\d{1,4})-"
    r"(?P<field>key|text|criterion|answer|options|scale_from|scale_to)$"
)
_ANCHOR = re.compile(r"^instruments-(?P<index>\d{1,4})-items-(?P<item>\d{1,4})-anchor-(?P<point>\d{1,2})$")
_WHOLE = re.compile(r"^[+-]?\d{1,3}$")
_INSTRUMENT_FIELDS = ("key", "type", "title", "purpose", "instructions")
_ITEM_FIELDS = ("key", "text", "criterion", "answer", "options", "scale_from", "scale_to")


def new_key(prefix):
    return prefix + secrets.token_hex(4)


def empty_toolkit():
    return {"category": "", "category_other": "", "criteria": [], "instruments": []}


def _item_normalised(item):
    return {
        "key": "",
        "text": "",
        "criterion": "",
        "answer": DEFAULT_ANSWER,
        "options": [],
        "scale_from": None,
        "scale_to": None,
        "anchors": {},
        **(item or {}),
    }


def normalised(data):
    """``data`` with every part present, down to each instrument's and item's fields, as an older or partial copy
    may lack some. Nothing is checked or changed otherwise."""
    data = {**empty_toolkit(), **(data or {})}
    data["criteria"] = [{"key": "", "name": "", "definition": "", **row} for row in data["criteria"] or []]
    data["instruments"] = [
        {
            "key": "",
            "type": DEFAULT_TYPE,
            "title": "",
            "purpose": "",
            "instructions": "",
            **instrument,
            "items": [_item_normalised(item) for item in instrument.get("items") or []],
        }
        for instrument in data["instruments"] or []
    ]
    return data


def _clean(value):
    return str(value).replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _whole(text, default):
    """The whole number a field holds, ``default`` when it is blank, None when it is not a whole number."""
    if not text:
        return default
    return int(text) if _WHOLE.match(text) else None


def toolkit_from_form(values):
    """The toolkit a submitted form describes, and the messages of what cannot be kept.

    Rules: rows (criteria, instruments, an instrument's items) come in the order of their numbers; a row left empty
    is dropped (a key, a type, an answer type or a scale's range alone do not make it filled; an instrument whose
    items hold text is kept, its title may come last); a missing, malformed or repeated key is replaced by a new
    one. An unknown instrument type becomes a questionnaire, an unknown answer type an open answer, a link to a
    criterion that is not there is dropped; a category outside the course's list is no category, and the named other
    one is kept only while "other" is chosen. A choice's options are one per line, blank lines dropped; a scale's
    range is whole numbers from 0 to 10, its lower end below its higher (1–5 when left blank), and its anchors
    outside the range or left empty are dropped; what a type of answer does not use is emptied. Nothing is cut
    short: a text over its limit, too many rows or options, or a scale's range that is not one is a message instead.
    """
    criteria, instruments, items, anchors = {}, {}, {}, {}
    for name in values:
        text = _clean(values.get(name, ""))
        if match := _CRITERION.match(name):
            criteria.setdefault(int(match["index"]), {})[match["field"]] = text
        elif match := _INSTRUMENT.match(name):
            instruments.setdefault(int(match["index"]), {})[match["field"]] = text
        elif match := _ITEM.match(name):
            key = int(match["index"]), int(match["item"])
            items.setdefault(key, {})[match["field"]] = text
            instruments.setdefault(key[0], {})
        elif match := _ANCHOR.match(name):
            anchors.setdefault((int(match["index"]), int(match["item"])), {})[int(match["point"])] = text
            instruments.setdefault(int(match["index"]), {})
    errors, seen = [], set()
    data = empty_toolkit()
    data["category"], data["category_other"] = _category(values, errors)
    data["criteria"] = _criteria(criteria, seen, errors)
    known = {row["key"] for row in data["criteria"]}
    for index in sorted(instruments):
        instrument = {field: instruments[index].get(field, "") for field in _INSTRUMENT_FIELDS}
        number = len(data["instruments"]) + 1
        instrument["items"] = [
            item
            for item_index in sorted(item for owner, item in items if owner == index)
            if (item := _item(items[index, item_index], anchors.get((index, item_index), {}), known))
        ]
        if not any(instrument[field] for field in ("title", "purpose", "instructions")) and not instrument["items"]:
            continue
        instrument["key"] = _unique_key(instrument["key"], "i", seen)
        if instrument["type"] not in INSTRUMENT_TYPES:
            instrument["type"] = DEFAULT_TYPE
        _check_instrument(instrument, number, seen, errors)
        data["instruments"].append(instrument)
    if len(data["instruments"]) > MAX_INSTRUMENTS:
        errors.append(_("There can be at most %(limit)d instruments.") % {"limit": MAX_INSTRUMENTS})
    return data, list(dict.fromkeys(errors))


def _category(values, errors):
    category = _clean(values.get("category", ""))
    other = _clean(values.get("category_other", ""))
    if category not in ClientCategory.values:
        category = ""
    if category != ClientCategory.OTHER:
        other = ""
    if len(other) > MAX_NAME:
        errors.append(_too_long(_("the client category"), MAX_NAME))
    return category, other


def _criteria(rows, seen, errors):
    kept = []
    for index in sorted(rows):
        row = {field: rows[index].get(field, "") for field in ("key", "name", "definition")}
        if not row["name"] and not row["definition"]:
            continue
        row["key"] = _unique_key(row["key"], "c", seen)
        part = _("criterion %(number)d") % {"number": len(kept) + 1}
        if len(row["name"]) > MAX_NAME:
            errors.append(_too_long(part, MAX_NAME))
        if len(row["definition"]) > MAX_TEXT:
            errors.append(_too_long(part, MAX_TEXT))
        kept.append(row)
    if len(kept) > MAX_CRITERIA:
        errors.append(_("There can be at most %(limit)d criteria.") % {"limit": MAX_CRITERIA})
    return kept


def _item(fields, anchors, known):
    """One item of the form, its answer type's fields only; None when the row is empty. Its range and lengths are
    checked with its instrument, where it has its number."""
    item = _item_normalised({field: fields.get(field, "") for field in ("key", "text", "criterion", "answer")})
    options = [line.strip() for line in fields.get("options", "").split("\n") if line.strip()]
    labels = {point: text for point, text in anchors.items() if text}
    if not item["text"] and not options and not labels:
        return None
    if item["answer"] not in ANSWER_TYPES:
        item["answer"] = DEFAULT_ANSWER
    if item["criterion"] not in known:
        item["criterion"] = ""
    if item["answer"] in CHOICE_ANSWERS:
        item["options"] = options
    if item["answer"] == "scale":
        item["scale_from"] = _whole(fields.get("scale_from", ""), DEFAULT_SCALE[0])
        item["scale_to"] = _whole(fields.get("scale_to", ""), DEFAULT_SCALE[1])
        if _is_range(item):
            item["anchors"] = {
                str(point): labels[point] for point in sorted(labels) if item["scale_from"] <= point <= item["scale_to"]
            }
    return item


def _is_range(item):
    lowest, highest = item["scale_from"], item["scale_to"]
    return lowest is not None and highest is not None and SCALE_LOWEST <= lowest < highest <= SCALE_HIGHEST


def _check_instrument(instrument, number, seen, errors):
    """The messages of what in one instrument of the form cannot be kept; gives its items their keys."""
    part = _("instrument %(number)d") % {"number": number}
    if len(instrument["title"]) > MAX_NAME:
        errors.append(_too_long(part, MAX_NAME))
    if len(instrument["purpose"]) > MAX_TEXT or len(instrument["instructions"]) > MAX_TEXT:
        errors.append(_too_long(part, MAX_TEXT))
    if len(instrument["items"]) > MAX_ITEMS:
        errors.append(
            _("Instrument %(number)d has more than %(limit)d items.") % {"number": number, "limit": MAX_ITEMS}
        )
    for item_number, item in enumerate(instrument["items"], start=1):
        item["key"] = _unique_key(item["key"], "q", seen)
        values = {"item": item_number, "number": number}
        part = _("item %(item)d of instrument %(number)d") % values
        if len(item["text"]) > MAX_TEXT:
            errors.append(_too_long(part, MAX_TEXT))
        if any(len(label) > MAX_NAME for label in [*item["options"], *item["anchors"].values()]):
            errors.append(_too_long(part, MAX_NAME))
        if len(item["options"]) > MAX_OPTIONS:
            errors.append(
                _("Item %(item)d of instrument %(number)d has more than %(limit)d options.")
                % {**values, "limit": MAX_OPTIONS}
            )
        if item["answer"] == "scale" and not _is_range(item):
            errors.append(
                _(
                    "The scale of item %(item)d of instrument %(number)d must run from a lower to a higher whole "
                    "number, both from %(lowest)d to %(highest)d."
                )
                % {**values, "lowest": SCALE_LOWEST, "highest": SCALE_HIGHEST}
            )


def _unique_key(key, prefix, seen):
    if not _KEY.match(key) or key in seen:
        key = new_key(prefix)
    seen.add(key)
    return key


def _too_long(part, limit):
    return _("A text of “%(part)s” is longer than %(limit)d characters.") % {"part": part, "limit": limit}


@dataclass(frozen=True)
class Problem:
    """Something to put right before handing in, and the part it is in ("category", "criteria", "instruments",
    "coverage")."""

    part: str
    message: str


def toolkit_problems(data):
    """Everything that keeps ``data`` from being handed in, part by part.

    Rules: a client category is chosen, and named when it is "other"; at least three criteria, each with a name and
    a definition; at least two instruments, of at least two different types; every instrument has a title,
    instructions for the practitioner and at least three items; every item has its text and serves a criterion; a
    choice has at least two options; a scale runs from a lower to a higher point and has labels at both its ends;
    every criterion is served by at least one item. An instrument and an item are named by their numbers and the
    instrument's title, so they can be found.
    """
    data = normalised(data)
    return [
        *_category_problems(data),
        *_criteria_problems(data),
        *_instrument_problems(data),
        *_coverage_problems(data),
    ]


def _category_problems(data):
    if not data["category"]:
        yield Problem("category", _("Choose the client category the toolkit is for."))
    elif data["category"] == ClientCategory.OTHER and not data["category_other"]:
        yield Problem("category", _("Name the client category the toolkit is for."))


def _criteria_problems(data):
    criteria = data["criteria"]
    if len(criteria) < MIN_CRITERIA:
        yield Problem("criteria", _("Define at least %(count)d social-history criteria.") % {"count": MIN_CRITERIA})
    for number, criterion in enumerate(criteria, start=1):
        if not criterion["name"]:
            yield Problem(
                "criteria",
                pgettext("social-history criterion", "Criterion %(number)d needs a name.") % {"number": number},
            )
        if not criterion["definition"]:
            yield Problem(
                "criteria",
                _("Criterion %(number)d “%(name)s” needs a short definition.")
                % {"number": number, "name": criterion["name"] or "…"},
            )


def _instrument_problems(data):
    instruments = data["instruments"]
    if len(instruments) < MIN_INSTRUMENTS:
        yield Problem("instruments", _("Build at least two instruments."))
    elif len({instrument["type"] for instrument in instruments}) < 2:
        yield Problem("instruments", _("The instruments must be of at least two different types."))
    known = {criterion["key"] for criterion in data["criteria"]}
    for number, instrument in enumerate(instruments, start=1):
        values = {"number": number, "title": instrument["title"] or "…"}
        if not instrument["title"]:
            yield Problem("instruments", _("Instrument %(number)d needs a title.") % values)
        if not instrument["instructions"]:
            yield Problem(
                "instruments",
                _("Instrument %(number)d “%(title)s” needs instructions for the practitioner.") % values,
            )
        if len(instrument["items"]) < MIN_ITEMS:
            yield Problem(
                "instruments",
                _("Instrument %(number)d “%(title)s” needs at least %(count)d items.") % {**values, "count": MIN_ITEMS},
            )
        for item_number, item in enumerate(instrument["items"], start=1):
            yield from _item_problems(item, {**values, "item": item_number}, known)


def _item_problems(item, values, known):
    if not item["text"]:
        yield Problem("instruments", _("Item %(item)d of instrument %(number)d “%(title)s” has no text.") % values)
    if item["criterion"] not in known:
        yield Problem(
            "instruments",
            _("Item %(item)d of instrument %(number)d “%(title)s” serves no criterion: choose one.") % values,
        )
    if item["answer"] in CHOICE_ANSWERS and len(item["options"]) < MIN_OPTIONS:
        yield Problem(
            "instruments",
            _("Item %(item)d of instrument %(number)d “%(title)s” needs at least two options to choose from.") % values,
        )
    if item["answer"] == "scale" and not _is_range(item):
        yield Problem(
            "instruments",
            _("Item %(item)d of instrument %(number)d “%(title)s” needs a scale from a lower to a higher point.")
            % values,
        )
    elif item["answer"] == "scale":
        ends = (str(item["scale_from"]), str(item["scale_to"]))
        if not all((item["anchors"] or {}).get(end) for end in ends):
            yield Problem(
                "instruments",
                _(
                    "Item %(item)d of instrument %(number)d “%(title)s” needs labels at both ends of its scale "
                    "(%(lowest)d and %(highest)d)."
                )
                % {**values, "lowest": item["scale_from"], "highest": item["scale_to"]},
            )


def _coverage_problems(data):
    for criterion in coverage(data)["unserved"]:
        yield Problem(
            "coverage",
            _("No item serves the criterion “%(name)s”: link at least one item to it.")
            % {"name": criterion["name"] or "…"},
        )


def coverage(data):
    """The criteria × instruments table: how many items of each instrument serve each criterion.

    ``instruments``: the columns (key, title, type's label, number); ``rows``: one per criterion in its order, with
    its counts per instrument and their total; ``unserved``: the criteria no item serves; ``unlinked``: how many
    items serve no criterion of the toolkit."""
    data = normalised(data)
    instruments = data["instruments"]
    rows = []
    for number, criterion in enumerate(data["criteria"], start=1):
        counts = [
            sum(1 for item in instrument["items"] if item["criterion"] == criterion["key"])
            for instrument in instruments
        ]
        rows.append({"criterion": criterion, "number": number, "counts": counts, "total": sum(counts)})
    known = {criterion["key"] for criterion in data["criteria"]}
    return {
        "instruments": [
            {
                "key": instrument["key"],
                "title": instrument["title"],
                "type_label": type_label(instrument["type"]),
                "number": number,
            }
            for number, instrument in enumerate(instruments, start=1)
        ],
        "rows": rows,
        "unserved": [row["criterion"] for row in rows if not row["total"]],
        "unlinked": sum(
            1 for instrument in instruments for item in instrument["items"] if item["criterion"] not in known
        ),
    }


def scoring_sheets(data):
    """The scoring sheets of the rating scales: one per instrument of type "rating scale" that has scale items.

    Each row is a criterion its scale items serve, in the criteria's order, with the items' numbers within the
    instrument and the lowest and highest sums those items can give (the sums of their scales' ends). Scale items
    serving no criterion yet (a draft's) make a last row whose ``criterion`` is None, so the total counts every item;
    an item with no valid range counts in no row."""
    data = normalised(data)
    sheets = []
    for number, instrument in enumerate(data["instruments"], start=1):
        if instrument["type"] != "rating_scale":
            continue
        scales = [
            (item_number, item)
            for item_number, item in enumerate(instrument["items"], start=1)
            if item["answer"] == "scale" and _is_range(item)
        ]
        if not scales:
            continue
        rows, keys = [], {criterion["key"] for criterion in data["criteria"]}
        unlinked = [pair for pair in scales if pair[1]["criterion"] not in keys]
        for criterion in [*data["criteria"], None]:
            served = [pair for pair in scales if pair[1]["criterion"] == criterion["key"]] if criterion else unlinked
            if served:
                rows.append(
                    {
                        "criterion": criterion,
                        "items": [item_number for item_number, _item in served],
                        "lowest": sum(item["scale_from"] for _number, item in served),
                        "highest": sum(item["scale_to"] for _number, item in served),
                    }
                )
        sheets.append({"instrument": instrument, "number": number, "rows": rows})
    return sheets


def scale_points(item):
    """The points of a scale item from its lower to its higher end, each with its label ("" for none)."""
    if item.get("answer") != "scale" or not _is_range(_item_normalised(item)):
        return []
    anchors = item.get("anchors") or {}
    return [
        {"point": point, "anchor": anchors.get(str(point), "")}
        for point in range(item["scale_from"], item["scale_to"] + 1)
    ]


def type_label(value):
    """The label of an instrument type."""
    return str(INSTRUMENT_TYPES.get(value, INSTRUMENT_TYPES["other"]))


def answer_label(value):
    """The label of an answer type."""
    return str(ANSWER_TYPES.get(value, ANSWER_TYPES[DEFAULT_ANSWER]))


def category_label(data):
    """The chosen client category's label, the name the student gave when it is "other", or ""."""
    data = normalised(data)
    if data["category"] == ClientCategory.OTHER:
        return data["category_other"] or str(ClientCategory.OTHER.label)
    if data["category"] in ClientCategory.values:
        return str(ClientCategory(data["category"]).label)
    return ""
