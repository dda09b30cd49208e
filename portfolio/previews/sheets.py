"""Spreadsheets (xlsx, ods) as the rows of their first sheet."""

import datetime as dt
import zipfile

from config.budget import OverBudget
from config.xlsx import open_workbook
from portfolio.previews.base import Preview, Reason
from portfolio.previews.documents import OdfText

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TABLE_TABLE, TABLE_NAME, TABLE_ROW, TABLE_CELL, TABLE_COVERED_CELL = (
    f"{_TABLE}table",
    f"{_TABLE}name",
    f"{_TABLE}table-row",
    f"{_TABLE}table-cell",
    f"{_TABLE}covered-table-cell",
)
ROWS_REPEATED, COLUMNS_REPEATED = f"{_TABLE}number-rows-repeated", f"{_TABLE}number-columns-repeated"


class _Capped:
    """Values gathered from (value, repeat) runs up to ``limit``, trailing empty values dropped.

    Empty runs are only counted, and a repeat is multiplied out only as far as the limit, so a sheet that claims a
    million repeated empty rows costs nothing.
    """

    def __init__(self, limit, empty):
        self.limit = limit
        self.empty = empty
        self.values = []
        self.pending_empty = 0
        self.truncated = False

    def add(self, value, repeat=1):
        if self.truncated:
            return
        if value == self.empty:
            self.pending_empty += repeat
            return
        room = self.limit - len(self.values)
        fill = min(self.pending_empty, room)
        self.values.extend([self.empty] * fill)
        self.values.extend([value] * min(repeat, room - fill))
        self.truncated = self.pending_empty + repeat > room
        self.pending_empty = 0


def xlsx_preview(fileobj, max_rows, max_columns, budget):
    """The first sheet's first rows. Only the shared strings those rows refer to are read (``config.xlsx``)."""
    with zipfile.ZipFile(fileobj) as archive, open_workbook(archive, budget) as book:
        if not book.sheets:
            return Preview("none", reason=Reason.DAMAGED)
        title, part = book.sheets[0]
        rows = _Capped(max_rows, ())
        cells_truncated = False
        # One row past the limit is read to tell whether anything was cut.
        reading = book.rows(part, max_columns=max_columns)
        try:
            for _number, values in zip(range(max_rows + 1), reading, strict=False):
                cells = _Capped(max_columns, "")
                for value in values:
                    cells.add(_cell_text(value))
                cells_truncated |= cells.truncated
                rows.add(tuple(cells.values))
        except OverBudget:
            if not rows.values:
                raise
            rows.truncated = True
        finally:
            reading.close()
        return Preview(
            "table", rows=tuple(rows.values), truncated=rows.truncated or cells_truncated or book.cut, sheet_name=title
        )


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def ods_preview(fileobj, max_rows, max_columns, budget):
    sheet_name = None
    tables_open = 0
    text = OdfText()
    rows = _Capped(max_rows, ())
    cells = _Capped(max_columns, "")
    cells_truncated = False
    paragraphs = []
    with zipfile.ZipFile(fileobj) as archive, budget.open_part(archive, "content.xml") as stream:
        try:
            for event, element in budget.flat_events(stream):
                paragraph = text.feed(event, element)
                if element.tag == TABLE_TABLE:
                    if event == "start":
                        tables_open += 1
                        if sheet_name is None:
                            sheet_name = element.get(TABLE_NAME, "")
                    else:
                        tables_open -= 1
                        if tables_open == 0:
                            break  # only the first sheet is shown
                elif tables_open != 1:
                    continue  # before the first sheet, or a table inside one of its cells
                elif element.tag == TABLE_ROW:
                    if event == "start":
                        cells = _Capped(max_columns, "")
                    else:
                        # Rows are counted as written: a repeated run of empty rows is one row of work.
                        budget.count_rows()
                        cells_truncated |= cells.truncated
                        rows.add(tuple(cells.values), _repeat(element, ROWS_REPEATED))
                        if rows.truncated:
                            break
                elif element.tag in (TABLE_CELL, TABLE_COVERED_CELL):
                    if event == "start":
                        paragraphs = []
                    else:
                        cells.add("\n".join(paragraphs), _repeat(element, COLUMNS_REPEATED))
                elif paragraph is not None:
                    paragraphs.append(paragraph)
        except OverBudget:
            if not rows.values:
                raise
            rows.truncated = True
    if sheet_name is None:
        return Preview("none", reason=Reason.DAMAGED)
    return Preview("table", rows=tuple(rows.values), truncated=rows.truncated or cells_truncated, sheet_name=sheet_name)


def _repeat(element, attribute):
    return max(1, int(element.get(attribute, "1")))
