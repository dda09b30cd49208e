"""A stored check report put into words for whoever reads it, in their language.

The report holds codes and values only (``portfolio.repository.check``); the sentences are chosen here when the
page is drawn, so a student reading in Kazakh and an instructor reading in Russian see the same report. Columns and
list values are named with the file's own words in the reader's language (the words the template shows).
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portfolio.repository.columns import CLIENT_CATEGORIES, COLUMNS_BY_KEY, REGIONS

REGION_CODES = {term.code for term in REGIONS.terms}

# code: (what is wrong, how to fix it). Values named in %(…)s come from the report's params.
PROBLEMS = {
    "required": (_("The cell is empty, and this column must be filled in."), _("Fill it in.")),
    "not_in_list": (
        _("«%(value)s» is not one of the values of this column's list."),
        _(
            "Choose a value from the drop-down list, or write it in Kazakh or Russian as the instruction sheet lists "
            "it."
        ),
    ),
    "too_long": (
        _("The text is %(length)s characters long; at most %(limit)s fit."),
        _("Shorten it."),
    ),
    "no_contact": (
        _("The row has no phone, e-mail or website."),
        _("Fill in at least one of them, so that a client can reach the organisation."),
    ),
    "phone_invalid": (
        _("«%(value)s» is not a phone number the portal can read."),
        _(
            "Write a Kazakhstan number with its code, such as +7 727 123 45 67 or 8 701 123 45 67; separate several "
            "numbers with «;»."
        ),
    ),
    "phone_not_kazakh": (
        _("«%(value)s» is not a Kazakhstan number."),
        _("Write a number that starts with +7 7 or 8 7 (or 8 800 for a free line), such as +7 727 123 45 67."),
    ),
    "phone_too_many": (
        _("The cell holds %(count)s numbers; at most %(limit)s are kept."),
        _("Keep the main numbers only."),
    ),
    "email_invalid": (
        _("«%(value)s» is not a well-formed e-mail address."),
        _("Write one address, such as info@example.kz."),
    ),
    "website_invalid": (
        _("«%(value)s» is not a website address."),
        _("Write the address of the site or page, such as example.kz or https://instagram.com/name."),
    ),
    "website_is_email": (
        _("«%(value)s» is an e-mail address, not a website."),
        _("Move it to the e-mail column."),
    ),
    "date_invalid": (
        _("«%(value)s» is not a date."),
        _("Write the day you checked the information, such as 15.09.2025."),
    ),
    "date_future": (
        _("%(value)s is a day in the future."),
        _("Write the day you actually checked the information."),
    ),
    "city_region": (
        _("%(city)s is in the region «%(expected)s», not «%(region)s»."),
        _("Correct the region or the city."),
    ),
    "city_own_region": (
        _("%(city)s is a city of republican significance: it is a region of its own."),
        _("Choose «%(expected)s» as the region."),
    ),
}

FATAL = {
    "unsupported_format": (
        _("Files of type .%(extension)s cannot be checked."),
        _("Save the repository as .xlsx and hand it in again."),
    ),
    "not_a_spreadsheet": (
        _("The file cannot be opened as a spreadsheet."),
        _("Open it in Excel or LibreOffice Calc, save it as .xlsx and hand it in again."),
    ),
    "zip_bomb": (
        _("The file would unpack to far more data than a repository holds, so it was not opened."),
        _("Hand in the filled template itself, saved as .xlsx."),
    ),
    "xml_bomb": (
        _("The file holds XML entity declarations, which a spreadsheet never needs, so it was not read."),
        _("Hand in the filled template itself, saved as .xlsx."),
    ),
    "too_many_elements": (
        _("The file holds far more cells and texts than a repository does, so it was not read to the end."),
        _("Hand in the filled template itself, saved as .xlsx, without other sheets or hidden data."),
    ),
    "too_slow": (
        _("Reading the file took too long, so it was not checked."),
        _("Hand in the filled template itself, saved as .xlsx, without other sheets or hidden data."),
    ),
    "unsafe_reader": (
        _("The portal cannot read spreadsheets safely at the moment, so the file was not checked."),
        _("Tell your instructor; the file itself is handed in."),
    ),
    "empty": (
        _("The file holds no data."),
        _("Fill in the template: one row for each service."),
    ),
    "no_rows": (
        _("The file has the template's headings but no services below them."),
        _("Add one row for each service below the headings."),
    ),
    "not_template": (
        _("This is not the repository template: no row of headings on the sheet «%(sheet)s» names %(missing)s."),
        _(
            "Download the template from the task page, copy your rows into it below the headings and hand it in "
            "again. The headings stay in the first row; the columns may come in any order."
        ),
    ),
    "too_many_rows": (
        _("The file lists more than %(limit)s services, so it was not checked."),
        _("Split the list: at most %(limit)s rows in one file."),
    ),
}

NOTES = {
    "example_skipped": _(
        "Row %(row)s is the template's example (its name starts with «МЫСАЛ / ПРИМЕР:»): not counted."
    ),
    "columns_missing": _("The file has no column for %(columns)s; those values are left empty."),
    "other_files": _("Only «%(file)s», the spreadsheet added last, was checked; not %(names)s."),
}


@dataclass
class Problem:
    row: int
    column: str
    heading: str
    what: str
    how: str


@dataclass
class Reformatted:
    row: int
    column: str
    heading: str
    before: str
    after: str


@dataclass
class ReportView:
    """A report as a page shows it."""

    file: str
    sheet: str
    fatal: tuple | None  # (what, how)
    rows_read: int = 0
    valid: int = 0
    with_problems: int = 0
    categories: list = field(default_factory=list)  # (words, count), every category
    problems: list = field(default_factory=list)
    more_problems: int = 0  # problems found but not kept in the report
    problems_total: int = 0
    reformatted: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def is_clean(self):
        return self.fatal is None and not self.with_problems


def _language():
    return (get_language() or "kk").split("-")[0]


def _heading(key, language):
    column = COLUMNS_BY_KEY.get(key)
    return column.words(language) if column is not None else key


def _params(params, language):
    """The params with codes put into the reader's words: regions, and the names of missing columns."""
    words = dict(params)
    for key in ("region", "expected"):
        if words.get(key) in REGION_CODES:
            words[key] = REGIONS.term(words[key]).words(language)
    contact = " / ".join(_heading(key, language) for key in ("phone", "email", "website"))
    if "missing" in words:
        words["missing"] = ", ".join(
            f"«{contact if key == 'contact' else _heading(key, language)}»" for key in words["missing"]
        )
    for key in ("limit", "length", "count"):
        if isinstance(words.get(key), int):
            words[key] = number_format(words[key], force_grouping=True)
    if "names" in words:
        words["names"] = ", ".join(f"«{name}»" for name in words["names"])
    if "fields" in words:
        words["columns"] = ", ".join(f"«{_heading(key, language)}»" for key in words["fields"])
    return words


def _sentence(text, params):
    try:
        return str(text) % params
    except (KeyError, TypeError, ValueError):  # a report written by an older check with other params
        return str(text).replace("%%", "%")


def report_view(report):
    """``report`` (a version's ``check_report``) for the page, in the active language; None if there is none."""
    if not report or "format" not in report:
        return None
    language = _language()
    fatal = report.get("fatal")
    view = ReportView(file=report.get("file", ""), sheet=report.get("sheet", ""), fatal=None)
    if fatal:
        what, how = FATAL.get(fatal["code"], FATAL["not_a_spreadsheet"])
        params = _params({"sheet": view.sheet, "file": view.file, **fatal.get("params", {})}, language)
        view.fatal = (_sentence(what, params), _sentence(how, params))
    view.rows_read, view.valid = report.get("rows_read", 0), report.get("valid", 0)
    view.with_problems = report.get("with_problems", 0)
    counts = report.get("by_category", {})
    view.categories = [(term.words(language), counts.get(term.code, 0)) for term in CLIENT_CATEGORIES.terms]
    for item in report.get("problems", []):
        what, how = PROBLEMS.get(item["code"], (item["code"], ""))
        params = _params(item.get("params", {}), language)
        heading = _heading(item["field"], language)
        view.problems.append(
            Problem(item["row"], item["column"], heading, _sentence(what, params), _sentence(how, params))
        )
    view.problems_total = report.get("problems_total", len(view.problems))
    view.more_problems = max(0, view.problems_total - len(view.problems))
    view.reformatted = [
        Reformatted(item["row"], item["column"], _heading(item["field"], language), item["before"], item["after"])
        for item in report.get("reformatted", [])
    ]
    for note in report.get("notes", []):
        if note["code"] in NOTES:
            view.notes.append(_sentence(NOTES[note["code"]], _params(note.get("params", {}), language)))
    return view
