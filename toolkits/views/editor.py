"""What the student's page of the assessment toolkit (СӨЖ 3) shows: the target client category, the social-history
criteria and the instruments with their items as rows of form fields (each list with a spare empty row, for the page
without its script), the criteria × instruments coverage table, the presentation staged for the next hand-in, the
checks before hand-in and the versions handed in; once the task is closed, the toolkit as it stands, to read only.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portfolio.forms import StatementForm
from portfolio.models import ClientCategory
from portfolio.selectors import staged_files, student_progress, versions_with_pdf, working_copy_for
from portfolio.views.built import editor_text
from toolkits.data import (
    ANSWER_TYPES,
    DEFAULT_ANSWER,
    DEFAULT_SCALE,
    DEFAULT_TYPE,
    INSTRUMENT_TYPES,
    MAX_CRITERIA,
    MAX_INSTRUMENTS,
    MAX_ITEMS,
    MAX_NAME,
    MAX_TEXT,
    SCALE_HIGHEST,
    SCALE_LOWEST,
    coverage,
    new_key,
    normalised,
    toolkit_problems,
)
from toolkits.forms import PRESENTATION_EXTENSIONS, PresentationForm
from toolkits.services import toolkit_snapshot

# The form field that says a request carries the whole editor (so a hand-in saves it first).
EDITOR_FIELD = "toolkit_form"

ROW_NAMES = {
    "criteria": gettext_lazy("Criterion %(number)s"),
    "instruments": gettext_lazy("Instrument %(number)s"),
    "items": gettext_lazy("Item %(number)s"),
}
# An item's name where it must stand alone (a button read aloud): items are numbered within their instrument.
ITEM_NAME = gettext_lazy("Item %(number)s of instrument %(instrument)s")
ACTION_LABELS = {
    "up": gettext_lazy("Move up: %(row)s"),
    "down": gettext_lazy("Move down: %(row)s"),
    "remove": gettext_lazy("Remove: %(row)s"),
    "drag": gettext_lazy("Drag to move: %(row)s"),
}


def checklist(data, presentations):
    """What keeps the toolkit from being handed in, as the page lists it: the toolkit's checks, then the
    presentation."""
    problems = [problem.message for problem in toolkit_problems(data)]
    if not presentations:
        problems.append(_("Upload your presentation."))
    return problems


def coverage_html(data):
    """The coverage table of ``data`` as the page shows it (a save's answer brings it, drawn anew)."""
    return render_to_string("toolkits/includes/coverage.html", {"coverage": coverage(data)})


def page_context(*, task, student, data=None, errors=(), now):
    """The page holding ``data`` (or, when None, the saved working copy), with the messages ``errors`` of a save that
    was refused; once the task is closed, the saved copy as it stands, and the version it is, if it is one."""
    copy = working_copy_for(task=task, student=student)
    progress = student_progress(student=student, tasks=[task])[task.pk]
    is_closed = progress.deadline.is_closed(now)
    toolkit = normalised(copy.data if copy else {}) if data is None or is_closed else data
    presentations = staged_files(progress)
    context = {
        "course": task.course,
        "task": task,
        "saved": copy,
        "progress": progress,
        "versions": versions_with_pdf(progress),
        "presentations": presentations,
        "is_closed": is_closed,
        "is_late_now": progress.deadline.is_late(now),
        "errors": errors,
        "problems": checklist(toolkit, presentations),
        "coverage": coverage(toolkit),
    }
    if is_closed:
        content = toolkit_snapshot(toolkit)
        latest = progress.latest
        version = latest if latest and latest.content == content else None
        # The presentation beside a copy that is no version: the one staged for the next hand-in.
        staged = {"documents": [], "presentations": presentations, "shown_presentation": None}
        context.update(content=content, version=version, staged=None if version else staged)
    else:
        context.update(_editor(task, student, toolkit, copy))
    return context


def _editor(task, student, toolkit, copy):
    criteria = [*toolkit["criteria"], {"key": new_key("c"), "name": "", "definition": ""}]
    instruments = [*toolkit["instruments"], _empty_instrument()]
    rows = [_instrument_row(index, instrument) for index, instrument in enumerate(instruments)]
    rows[-1]["spare"] = True
    return {
        "category": toolkit["category"],
        "category_other": toolkit["category_other"],
        "category_choices": ClientCategory.choices,
        "criteria_rows": [_row("criteria", index, criterion) for index, criterion in enumerate(criteria)],
        "criterion_choices": _criterion_choices(toolkit["criteria"]),
        "instruments": rows,
        "instrument_types": list(dict(INSTRUMENT_TYPES).items()),
        "answer_types": list(dict(ANSWER_TYPES).items()),
        "scale_points": range(SCALE_LOWEST, SCALE_HIGHEST + 1),
        "templates": _templates(),
        "max_criteria": MAX_CRITERIA,
        "max_instruments": MAX_INSTRUMENTS,
        "max_items": MAX_ITEMS,
        "max_name": MAX_NAME,
        "max_text": MAX_TEXT,
        "presentation_form": PresentationForm(),
        "presentation_extensions": PRESENTATION_EXTENSIONS,
        "max_file_size": settings.PORTFOLIO_MAX_FILE_SIZE,
        "revision": copy.revision if copy else 0,
        "storage_key": f"toolkit:{task.pk}:{student.pk}",
        "editor_field": EDITOR_FIELD,
        "editor_text": _editor_text(),
        "statement_form": StatementForm(),
    }


def _empty_instrument():
    return {"key": new_key("i"), "type": DEFAULT_TYPE, "title": "", "purpose": "", "instructions": "", "items": []}


def _empty_item():
    return {"key": new_key("q"), "text": "", "criterion": "", "answer": DEFAULT_ANSWER, "options": []}


def _row(section, index, values, *, number=None, name=None):
    """A row of a list: its fields' prefix, its title, the name its buttons read aloud and their labels."""
    title = ROW_NAMES[section] % {"number": number or index + 1}
    name = name or title
    return {
        "prefix": f"{section}-{index}",
        "title": title,
        "name": name,
        "values": values,
        **{f"{action}_label": label % {"row": name} for action, label in ACTION_LABELS.items()},
    }


def _instrument_row(index, instrument, *, number=None):
    row = _row("instruments", index, instrument, number=number)
    items = [*instrument["items"], _empty_item()]
    row["items"] = [
        _item_row(row["prefix"], number or index + 1, position, item) for position, item in enumerate(items)
    ]
    return row


def _item_row(prefix, instrument_number, index, item, *, number=None):
    """An item: `<instrument's prefix>-items-<index>-<field>`, its anchors `…-anchor-<point>` for each point of its
    scale (or of the usual 1–5 one, ready for when the student makes it a scale)."""
    name = ITEM_NAME % {"number": number or index + 1, "instrument": instrument_number}
    row = _row("items", index, item, number=number, name=name)
    row["prefix"] = f"{prefix}-items-{index}"
    is_scale = item.get("answer") == "scale" and item.get("scale_from") is not None
    lowest, highest = (item["scale_from"], item["scale_to"]) if is_scale else DEFAULT_SCALE
    anchors = item.get("anchors") or {}
    row["scale_from"], row["scale_to"] = lowest, highest
    row["anchors"] = [(point, anchors.get(str(point), "")) for point in range(lowest, highest + 1)]
    row["options_text"] = "\n".join(item.get("options") or [])
    return row


def _criterion_choices(criteria):
    """The criteria an item may serve, as its choice lists them ("2. Family situation")."""
    return [
        (
            criterion["key"],
            f"{number}. {criterion['name']}" if criterion["name"] else ROW_NAMES["criteria"] % {"number": number},
        )
        for number, criterion in enumerate(criteria, start=1)
    ]


def _templates():
    """The rows and the instrument the script copies when one is added; it numbers and names the copy itself."""
    number = "__number__"
    instrument = _instrument_row("__index__", {**_empty_instrument(), "key": ""}, number=number)
    instrument["items"] = []  # the script adds the new instrument's first item itself
    return {
        "criterion": _row("criteria", "__index__", {"key": "", "name": "", "definition": ""}, number=number),
        "instrument": instrument,
        "item": _item_row("instruments-__index__", number, "__index__", {**_empty_item(), "key": ""}, number=number),
    }


def _editor_text():
    """What the script says, in the page's language."""
    return {
        "rows": {name: str(label) for name, label in ROW_NAMES.items()},
        "itemName": str(ITEM_NAME),
        **{action: str(label) for action, label in ACTION_LABELS.items()},
        "anchor": _("Anchor of point %(point)s"),
        **editor_text(),
    }
