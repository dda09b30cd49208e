"""What the student's page of the analytical work shows: the editor of the comparison, the SWOT analysis and the
references as rows and columns of form fields (each list with a spare empty row, for the page without its script),
each reference formatted in the course's style, the course's reading list, the report staged for the next hand-in,
the checks before hand-in and the versions handed in; once the task is closed, the work as it stands, to read only.
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analysis.data import (
    KIND_CHOICES,
    LANGUAGE_CHOICES,
    MAX_CRITERIA,
    MAX_MODELS,
    MAX_QUADRANT_ITEMS,
    MAX_REFERENCES,
    MIN_MODELS,
    QUADRANTS,
    REFERENCE_FIELDS,
    SUGGESTED_CRITERIA,
    SUGGESTED_MODELS,
    Kind,
    analysis_problems,
    analysis_warnings,
    new_key,
    normalised,
)
from analysis.forms import REPORT_EXTENSIONS, ReportForm
from analysis.references import format_reference_html, reading_list_entry
from analysis.services import analysis_snapshot
from coursework.models import ReferenceStyle
from coursework.selectors.courses import course_document
from portfolio.forms import StatementForm
from portfolio.selectors import staged_files, student_progress, versions_with_pdf, working_copy_for
from portfolio.views.built import editor_text

# The form field that says a request carries the whole editor (so a hand-in saves it first).
EDITOR_FIELD = "analysis_form"

ROW_NAMES = {
    "models": gettext_lazy("Model %(number)s"),
    "criteria": gettext_lazy("Criterion %(number)s"),
    "strengths": gettext_lazy("Strength %(number)s"),
    "weaknesses": gettext_lazy("Weakness %(number)s"),
    "opportunities": gettext_lazy("Opportunity %(number)s"),
    "threats": gettext_lazy("Threat %(number)s"),
    "references": gettext_lazy("Reference %(number)s"),
}
ADD_LABELS = {
    "strengths": gettext_lazy("Add a strength"),
    "weaknesses": gettext_lazy("Add a weakness"),
    "opportunities": gettext_lazy("Add an opportunity"),
    "threats": gettext_lazy("Add a threat"),
}
MOVE_LABELS = {
    "up": gettext_lazy("Move up: %(row)s"),
    "down": gettext_lazy("Move down: %(row)s"),
    "left": gettext_lazy("Move left: %(row)s"),
    "right": gettext_lazy("Move right: %(row)s"),
    "remove": gettext_lazy("Remove: %(row)s"),
}
BOOKKEEPING = ("kind", "language")  # a reference's fields that alone do not make an entry


def checklist(data, reports):
    """What keeps the work from being handed in, as the page lists it: the analysis's checks, then the report."""
    problems = [problem.message for problem in analysis_problems(data, today=timezone.localdate())]
    if not reports:
        problems.append(_("Upload your analytical report."))
    return problems


def has_content(entry):
    """Whether a reference's fields say anything beyond its kind and language (an empty row is dropped)."""
    return any(str(value).strip() for field, value in entry.items() if field not in BOOKKEEPING)


def page_context(*, task, student, data, errors, now):
    """The page holding ``data`` (or, when None, the saved working copy), with the messages ``errors`` of a save that
    was refused; once the task is closed, the saved copy as it stands, and the version it is, if it is one."""
    copy = working_copy_for(task=task, student=student)
    progress = student_progress(student=student, tasks=[task])[task.pk]
    is_closed = progress.deadline.is_closed(now)
    analysis = normalised(copy.data if copy else {}) if data is None or is_closed else data
    reports = staged_files(progress)
    context = {
        "course": task.course,
        "task": task,
        "saved": copy,
        "progress": progress,
        "versions": versions_with_pdf(progress),
        "reports": reports,
        "is_closed": is_closed,
        "is_late_now": progress.deadline.is_late(now),
        "errors": errors,
        "problems": checklist(analysis, reports),
        "warnings": analysis_warnings(analysis),
        "style": ReferenceStyle(task.course.reference_style).label,
    }
    if is_closed:
        content = analysis_snapshot(course=task.course, data=analysis)
        latest = progress.latest
        context.update(content=content, version=latest if latest and latest.content == content else None)
    else:
        context.update(_editor(task, student, analysis, copy))
    return context


def _editor(task, student, analysis, copy):
    columns = _model_columns(analysis["models"])
    criteria = [*analysis["criteria"], {"key": new_key("c"), "name": ""}]
    style = task.course.reference_style
    references = [*analysis["references"], _empty_reference()]
    document = course_document(task.course)
    return {
        "models": columns,
        "criteria_rows": [
            _criterion_row(index, criterion, columns, analysis["cells"]) for index, criterion in enumerate(criteria)
        ],
        "criterion_choices": _criterion_choices(analysis["criteria"]),
        "quadrants": [_quadrant(name, label, analysis["swot"][name]) for name, label in QUADRANTS.items()],
        "references": [_reference_row(index, entry, style) for index, entry in enumerate(references)],
        "templates": _templates(),
        "suggested_models": SUGGESTED_MODELS,
        "suggested_criteria": SUGGESTED_CRITERIA,
        "kind_choices": KIND_CHOICES,
        "language_choices": LANGUAGE_CHOICES,
        "reading_list": document.sections,
        "reading_entries": {
            str(number): reading_list_entry(reference)
            for section in document.sections
            for number, reference in section.entries
        },
        "max_models": MAX_MODELS,
        "max_criteria": MAX_CRITERIA,
        "max_items": MAX_QUADRANT_ITEMS,
        "max_references": MAX_REFERENCES,
        "report_form": ReportForm(),
        "report_extensions": REPORT_EXTENSIONS,
        "max_file_size": settings.PORTFOLIO_MAX_FILE_SIZE,
        "today": timezone.localdate(),
        "revision": copy.revision if copy else 0,
        "storage_key": f"analysis:{task.pk}:{student.pk}",
        "editor_field": EDITOR_FIELD,
        "editor_text": _editor_text(),
        "statement_form": StatementForm(),
    }


def _row(section, index, values, number=None):
    """A row of a list (or a column of the table): its fields' prefix, title and the labels of its buttons."""
    title = ROW_NAMES[section] % {"number": number or index + 1}
    before, after = ("left", "right") if section == "models" else ("up", "down")
    return {
        "prefix": f"{section}-{index}",
        "title": title,
        "values": values,
        "before_label": MOVE_LABELS[before] % {"row": title},
        "after_label": MOVE_LABELS[after] % {"row": title},
        "remove_label": MOVE_LABELS["remove"] % {"row": title},
    }


def _model_columns(models):
    """The models as the table's columns: at least two; without the script, one spare column while there is room
    (the script takes a spare column away while it is empty: the student adds one when they want it)."""
    columns = [dict(model) for model in models]
    while len(columns) < MIN_MODELS:
        columns.append({"key": new_key("m"), "name": ""})
    spare = len(columns) < MAX_MODELS
    if spare:
        columns.append({"key": new_key("m"), "name": ""})
    rows = [_row("models", index, column) for index, column in enumerate(columns)]
    if spare:
        rows[-1]["spare"] = True
    return rows


def _criterion_row(index, criterion, columns, cells):
    row = _row("criteria", index, criterion)
    row["cells"] = [
        {
            "model": column["values"]["key"],
            "name": f"cell-{criterion['key']}-{column['values']['key']}",
            "value": cells.get(criterion["key"], {}).get(column["values"]["key"], ""),
            "criterion_name": criterion["name"] or row["title"],
            "model_name": column["values"]["name"] or column["title"],
        }
        for column in columns
    ]
    return row


def _criterion_choices(criteria):
    """The criteria a SWOT item may follow from, as its choice lists them ("2. Target group")."""
    return [
        (
            criterion["key"],
            f"{number}. {criterion['name']}" if criterion["name"] else ROW_NAMES["criteria"] % {"number": number},
        )
        for number, criterion in enumerate(criteria, start=1)
    ]


def _quadrant(name, label, items):
    rows = [*items, {"text": "", "criterion": ""}]
    return {
        "name": name,
        "label": label,
        "rows": [_row(name, index, item) for index, item in enumerate(rows)],
        "add_label": ADD_LABELS[name],
    }


def _empty_reference():
    language = translation.get_language()
    return dict.fromkeys(REFERENCE_FIELDS, "") | {
        "kind": Kind.BOOK,
        "language": language if language in dict(LANGUAGE_CHOICES) else "kk",
    }


def _reference_row(index, entry, style):
    row = _row("references", index, entry)
    row["preview"] = format_reference_html(entry, style=style) if has_content(entry) else ""
    return row


def _templates():
    """The rows and the column the script copies when one is added; it numbers the copy itself."""
    number = {"number": "__number__"}
    return {
        "model": _row("models", "__index__", {"key": "", "name": ""}, **number),
        "criterion": {**_row("criteria", "__index__", {"key": "", "name": ""}, **number), "cells": []},
        "quadrants": [
            {"name": name, "row": _row(name, "__index__", {"text": "", "criterion": ""}, **number)}
            for name in QUADRANTS
        ],
        "reference": {**_row("references", "__index__", _empty_reference(), **number), "preview": ""},
    }


def _editor_text():
    """What the script says, in the page's language."""
    return {
        "rows": {name: str(label) for name, label in ROW_NAMES.items()},
        **{action: str(label) for action, label in MOVE_LABELS.items()},
        **editor_text(),
        "suggestedAdded": _("Suggested criteria added: %(count)s."),
        "noSuggestions": _("Every suggested criterion is in the table already."),
        "fullCriteria": _("The table holds as many criteria as it can (%(limit)s)."),
        "readingAdded": _("Added as %(row)s: check its fields against the source."),
        "fullReferences": _("The list holds as many references as it can."),
        "readingAdd": _("Add"),
        "readingDone": _("Added"),
    }
