"""Spreadsheets in and out: text that goes in, whoever typed it, never becomes a formula; cells and headings read
back the same way wherever a table is imported."""

import datetime as dt
import re

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A spreadsheet reads text starting with one of these as a formula (or a command) when it is typed or imported.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def as_text(value):
    """``value`` for a CSV cell: text a spreadsheet would read as a formula gets a leading apostrophe."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def text_cell(sheet, value, **style):
    """A cell of a write-only sheet holding ``value`` as text that no spreadsheet reads as a formula.

    openpyxl would store text starting with "=" as a formula; such text (and any starting with another character a
    spreadsheet reads as the start of a formula, such as a phone's "+7") is stored as a string and marked as text, so
    that editing the cell in Excel or LibreOffice keeps it text too. Plain text without ``style`` stays a plain value.
    """
    value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if not style and not value.startswith(FORMULA_PREFIXES):
        return value
    cell = WriteOnlyCell(sheet, value)
    if value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def cell_text(value):
    """A cell read back as text: a number as written (an ID or a phone read as 201945001.0 is 201945001), a date as
    2025-09-01, a moment as 2025-09-01 10:00:00, anything else stripped of surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return str(value).strip()


def heading_columns(values, lookup):
    """Which column of a heading row holds what, as {key: index}: ``lookup`` names the key of a heading's part (a
    heading may carry several languages, one per line or split by "/") or None; the first column of a key counts."""
    columns = {}
    for index, value in enumerate(values):
        if isinstance(value, str):
            for part in re.split(r"[\n/]", value):
                key = lookup(part)
                if key is not None:
                    columns.setdefault(key, index)
                    break
    return columns
