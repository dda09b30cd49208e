"""The row-by-row check of a handed-in repository file, giving its report and its valid rows.

The report is data (codes and values, JSON), kept with the version and put into words when someone reads it, in
their language (``portfolio.repository.report``). Rules:

- the sheet is the first whose headings (in one of its first HEADING_ROWS rows, any order, in Kazakh, Russian or
  English, or the template's two-line headings) name every required column and at least one contact column; a
  file without one is "not the template" and the report names what is missing;
- blank rows are skipped, a second heading row (Russian under Kazakh) and the template's example row are left out,
  and after BLANK_RUN blank rows in a row the list has ended; a file of more than MAX_ROWS rows is refused whole;
- in each row: the required columns are filled in, and at least one of phone, e-mail and website; the fixed
  columns hold a value of their list (case, spaces and punctuation ignored); phones are Kazakhstan numbers and
  are written +7 XXX XXX XX XX; e-mail and website are well formed (https:// is added to a website without a
  scheme); a known city lies in the region given (a city of republican significance is its own region); the date
  checked is a real date, not after ``today``; no text is longer than its field;
- a row with a problem is reported (sheet, row, column, what) and left out; the others become the valid rows.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import chain, islice
from urllib.parse import urlsplit

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from config.spreadsheets import cell_text, heading_columns
from portfolio.models import ClientCategory, RepositoryRow
from portfolio.repository.columns import (
    COLUMNS,
    CONTACTS,
    HEADINGS,
    REPUBLICAN_CITIES,
    REQUIRED,
    city_region,
    heading_key,
)
from portfolio.repository.reading import Unreadable, open_tables
from portfolio.repository.template import MAX_ROWS

REPORT_FORMAT = 1
HEADING_ROWS = 10  # the headings are looked for in this many rows at the top of a sheet
BLANK_RUN = 1000  # after so many blank rows one after another, the list has ended
MAX_PROBLEMS = 300  # problems kept in the report; the rest are counted
MAX_REFORMATTED = 20  # examples kept of values the check wrote differently (phones, websites)
MAX_VALUE = 80  # characters of a wrong value quoted in the report
MAX_PHONES = 3
EARLIEST_CHECK = dt.date(2000, 1, 1)

_EXAMPLE = re.compile(r"^\W*(мысал|пример|example)\W*(/\W*(мысал|пример|example)\W*)?:", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_PHONE_SEPARATORS = re.compile(r"[;,\n]")
_PHONE_FILLER = re.compile(r"[\s\-–—().\u00a0]")
_DIGITS = re.compile(r"\+?\d+")
_EMAIL = re.compile(
    r"^(?!\.)(?!.*\.\.)[\w.!#$%&'*+/=?^`{|}~-]+(?<!\.)@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$"
)
_HOST = re.compile(r"^(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}\.?$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y.%m.%d")
_MULTILINE = {"services", "eligibility"}


@dataclass
class CheckResult:
    """The report (JSON-ready) and the valid rows, as dicts of RepositoryRow fields with their ``line``."""

    report: dict
    rows: list = field(default_factory=list)


def repository_row_objects(rows, *, version):
    """The ``RepositoryRow`` objects (unsaved) of a check's valid rows, for ``version``.

    Built from positional values in the model's field order: about half the time keyword arguments take, which
    counts at thousands of rows."""
    names = [field.attname for field in RepositoryRow._meta.concrete_fields]
    objects = []
    for row in rows:
        values = {**row, "id": None, "version_id": version.pk}
        objects.append(RepositoryRow(*[values[name] for name in names]))
    return objects


def check_repository(fileobj, *, name, extension, today, budget=None):
    """Check every row of a repository file within ``budget`` (``reading.check_budget()`` by default); never raises
    on a bad file, the report says what is wrong (a file that takes more work than the budget included)."""
    extension = extension.lower().lstrip(".")
    if extension not in ("xlsx", "ods"):
        return CheckResult(_fatal_report(name, "unsupported_format", extension=extension))
    try:
        with open_tables(fileobj, extension, budget) as tables:
            return _check_tables(tables, name, today)
    except Unreadable as error:
        return CheckResult(_fatal_report(name, error.code))


def check_row(values, *, today):
    """Check one row typed into a form rather than a file: ``values`` maps column keys ("organisation", "phone", …)
    to what was typed (a key left out is an empty cell). The same rules as a file's row; returns (the row's fields as
    a RepositoryRow would hold them, the problems as the report lists them, each with its ``field``)."""
    letters = {column.key: get_column_letter(index) for index, column in enumerate(COLUMNS, start=1)}
    checker = _RowChecker(letters, today)
    return checker.check(1, [values.get(key) for key, *_rest in checker.plan])


def _fatal_report(name, code, sheet="", **params):
    report = _empty_report(name, sheet)
    report["fatal"] = {"code": code, "params": params}
    return report


def _empty_report(name, sheet="", header_row=None):
    return {
        "format": REPORT_FORMAT,
        "file": name,
        "sheet": sheet,
        "header_row": header_row,
        "fatal": None,
        "rows_read": 0,
        "valid": 0,
        "with_problems": 0,
        "by_category": dict.fromkeys(ClientCategory.values, 0),
        "problems": [],
        "problems_total": 0,
        "reformatted": [],
        "reformatted_total": 0,
        "notes": [],
    }


def _check_tables(tables, name, today):
    best = (-1, "", {})  # recognised columns, sheet, columns: the nearest miss, to explain it
    titles, any_value = [], False
    for table in tables:
        titles.append(table.title)
        head = list(islice(table.rows, HEADING_ROWS))
        any_value = any_value or any(cell_text(value) for values in head for value in values)
        for index, values in enumerate(head):
            columns = heading_columns(values, _heading)
            if all(key in columns for key in REQUIRED) and any(key in columns for key in CONTACTS):
                rows = chain(head[index + 1 :], table.rows)
                report = _empty_report(name, table.title, header_row=index + 1)
                return _check_rows(rows, columns, report, first_line=index + 2, today=today)
            if len(columns) > best[0]:
                best = (len(columns), table.title, columns)
    if not any_value:
        return CheckResult(_fatal_report(name, "empty"))
    found, sheet, columns = best
    missing = [key for key in REQUIRED if key not in columns]
    if not any(key in columns for key in CONTACTS):
        missing.append("contact")
    return CheckResult(_fatal_report(name, "not_template", sheet=sheet, missing=missing, sheets=titles, found=found))


def _heading(part):
    return HEADINGS.get(heading_key(part))


def _check_rows(rows, columns, report, first_line, today):
    keys = [column.key for column in COLUMNS if column.key in columns]
    positions = [columns[key] for key in keys]
    letters = {key: get_column_letter(columns[key] + 1) for key in keys}
    absent = [column.key for column in COLUMNS if column.key not in columns]
    if absent:
        report["notes"].append({"code": "columns_missing", "params": {"fields": absent}})
    checker = _RowChecker(letters, today)
    organisation_at = keys.index("organisation")
    valid, blank_run, data_rows = [], 0, 0
    for line, values in enumerate(rows, start=first_line):
        width = len(values)
        raw = [values[index] if index < width else None for index in positions]
        if not any(value is not None and (not isinstance(value, str) or value.strip()) for value in raw):
            blank_run += 1
            if blank_run == BLANK_RUN:
                break
            continue
        blank_run = 0
        organisation = cell_text(raw[organisation_at])
        if not data_rows and HEADINGS.get(heading_key(organisation.split("\n")[0])) == "organisation":
            continue  # a second heading row, such as Russian headings under Kazakh ones
        if _EXAMPLE.match(organisation):
            report["notes"].append({"code": "example_skipped", "params": {"row": line}})
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            return CheckResult(_fatal_report(report["file"], "too_many_rows", sheet=report["sheet"], limit=MAX_ROWS))
        row, problems = checker.check(line, raw)
        if problems:
            report["with_problems"] += 1
            report["problems_total"] += len(problems)
            room = MAX_PROBLEMS - len(report["problems"])
            report["problems"].extend(problems[:room])
        else:
            valid.append(row)
            report["by_category"][row["client_category"]] += 1
    report["rows_read"] = data_rows
    report["valid"] = len(valid)
    report["reformatted"] = checker.reformatted[:MAX_REFORMATTED]
    report["reformatted_total"] = len(checker.reformatted)
    if not data_rows:
        report["fatal"] = {"code": "no_rows", "params": {}}
    return CheckResult(report, valid)


def _quoted(text):
    text = _SPACES.sub(" ", text)
    return text if len(text) <= MAX_VALUE else f"{text[: MAX_VALUE - 1]}…"


class _RowChecker:
    """Checks one row at a time; remembers the values it wrote differently, to show a few in the report."""

    def __init__(self, letters, today):
        self.letters = letters
        self.today = today
        self.reformatted = []
        # What each column present is checked as, worked out once: (key, kind, required, vocabulary, longest).
        self.plan = [
            (column.key, _kind(column), column.required, column.vocabulary, column.max_length)
            for column in COLUMNS
            if column.key in letters
        ]
        self.absent = {"address": "", "phone": "", "email": "", "website": "", "eligibility": "", "cost": "",
                       "hours": "", "source": "", "checked_on": None}  # fmt: skip

    def check(self, line, raw):
        """The row's fields, and its problems; ``raw`` holds the cells of the columns present, in ``plan``'s order."""
        row, wrong = {"line": line, **self.absent}, []  # wrong: (field, code, params)
        for (key, kind, required, vocabulary, longest), value in zip(self.plan, raw, strict=True):
            if kind == "date" and isinstance(value, dt.date):
                row[key], problem = _date(value, "", self.today)
                if problem:
                    wrong.append((key, *problem))
                continue
            if value.__class__ is str:
                text = value.strip() if kind == "multiline" else " ".join(value.split())
            else:
                text = cell_text(value)
            problem = None
            if not text:
                row[key] = None if kind == "date" else ""
                if required:
                    problem = ("required", {})
            elif kind == "list":
                row[key] = vocabulary.code_of(text)
                if row[key] is None:
                    problem = ("not_in_list", {"value": _quoted(text)})
            elif kind == "text" or kind == "multiline":
                row[key] = text
                if len(text) > longest:
                    problem = ("too_long", {"length": len(text), "limit": longest})
            elif kind == "email":
                row[key] = text
                if len(text) > longest or not _EMAIL.match(text):
                    problem = ("email_invalid", {"value": _quoted(text)})
            elif kind == "date":
                row[key], problem = _date(value, text, self.today)
            else:  # phone, website: kept as the portal writes them
                row[key], problem = (_phone if kind == "phone" else _website)(text)
                if row[key] and row[key] != text:
                    self._reformatted(line, key, text, row[key])
            if problem:
                wrong.append((key, *problem))
        if not (row["phone"] or row["email"] or row["website"]) and not any(key in CONTACTS for key, *_ in wrong):
            wrong.append((next(key for key in CONTACTS if key in self.letters), "no_contact", {}))
        if row.get("region") and row.get("city") and (problem := _city_problem(row["city"], row["region"])):
            wrong.append(("region", *problem))
        problems = [
            {"row": line, "column": self.letters[key], "field": key, "code": code, "params": params}
            for key, code, params in wrong
        ]
        if len(problems) > 1:
            problems.sort(key=lambda item: (len(item["column"]), item["column"]))
        return row, problems

    def _reformatted(self, line, key, before, after):
        self.reformatted.append(
            {"row": line, "column": self.letters[key], "field": key, "before": _quoted(before), "after": after}
        )


def _kind(column):
    if column.vocabulary is not None:
        return "list"
    kinds = {"phone": "phone", "email": "email", "website": "website", "checked_on": "date"}
    return kinds.get(column.key, "multiline" if column.key in _MULTILINE else "text")


def _phone(text):
    """(the numbers of ``text`` as +7 XXX XXX XX XX, short numbers such as 1414 as they are, joined by "; "; what is
    wrong or None)."""
    numbers = [part for part in (part.strip() for part in _PHONE_SEPARATORS.split(text)) if part]
    if len(numbers) > MAX_PHONES:
        return "", ("phone_too_many", {"count": len(numbers), "limit": MAX_PHONES})
    written = []
    for number in numbers:
        digits = _PHONE_FILLER.sub("", number)
        if not _DIGITS.fullmatch(digits):
            return "", ("phone_invalid", {"value": _quoted(number)})
        if len(digits) in (3, 4) and digits.startswith("1"):
            written.append(digits)  # a short service number: 1414, 150, 111
            continue
        if digits.startswith("+7") and len(digits) == 12:
            national = digits[2:]
        elif digits.startswith("+"):
            return "", ("phone_not_kazakh", {"value": _quoted(number)})
        elif len(digits) == 11 and digits[0] in "78":
            national = digits[1:]
        elif len(digits) == 10:
            national = digits
        else:
            return "", ("phone_invalid", {"value": _quoted(number)})
        if not (national.startswith("7") or national.startswith("800")):
            return "", ("phone_not_kazakh", {"value": _quoted(number)})
        written.append(f"+7 {national[:3]} {national[3:6]} {national[6:8]} {national[8:]}")
    return "; ".join(written), None


def _website(text):
    """(the address with its scheme, https:// when none was written; what is wrong or None)."""
    address = text if _SCHEME.match(text) and "://" in text else f"https://{text.removeprefix('//')}"
    try:
        parts = urlsplit(address)
        host = parts.hostname or ""
        parts.port  # noqa: B018 — a port that is not a number raises ValueError here
    except ValueError:
        parts, host = None, ""
    if parts is not None and "@" in parts.netloc and _EMAIL.match(text):
        return "", ("website_is_email", {"value": _quoted(text)})
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or " " in text
        or "@" in parts.netloc
        or not _HOST.match(host)
        or len(address) > 300
    ):
        return "", ("website_invalid", {"value": _quoted(text)})
    return address, None


def _date(value, text, today):
    """(the day of a date cell, an Excel day number or a date written as text; what is wrong or None)."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool) and 36526 <= value < 80000:
        day = from_excel(value).date()  # a date typed into a cell without a date format: Excel's day number
    else:
        day = None
        for pattern in _DATE_FORMATS:
            try:
                day = dt.datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
    if day is None or day < EARLIEST_CHECK:
        return None, ("date_invalid", {"value": _quoted(text or day.strftime("%d.%m.%Y"))})
    if day > today:
        return None, ("date_future", {"value": day.strftime("%d.%m.%Y")})
    return day, None


def _city_problem(city, region):
    """What is wrong when a known city does not lie in the region given (a city of republican significance is its
    own region), or None."""
    known = city_region(city)
    if known is None or known == region:
        return None
    code = "city_own_region" if known in REPUBLICAN_CITIES else "city_region"
    return code, {"city": _quoted(city), "region": region, "expected": known}
