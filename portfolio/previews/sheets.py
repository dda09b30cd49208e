"""Spreadsheets (xlsx, ods) as the rows of their first sheet."""

import datetime as dt
import zipfile

from config.budget import OverBudget
from config.xlsx import open_workbook
from portfolio.previews.base import MAX_PREVIEW_TEXT, MAX_SHEET_NAME, MAX_TEXT, Clip, Preview, Reason, Room, shortened
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
        """Add ``value`` ``repeat`` times; how many copies of it were kept."""
        if self.truncated:
            return 0
        if value == self.empty:
            self.pending_empty += repeat
            return 0
        room = self.limit - len(self.values)
        fill = min(self.pending_empty, room)
        copies = min(repeat, room - fill)
        self.values.extend([self.empty] * fill)
        self.values.extend([value] * copies)
        self.truncated = self.pending_empty + repeat > room
        self.pending_empty = 0
        return copies


class _Table:
    """The rows of a sheet's preview as they are read (each cell already cut at MAX_TEXT characters), until the rows
    hold more than MAX_PREVIEW_TEXT characters (``done``): the reading stops there, and ``preview()`` cuts the last
    ones to fit."""

    def __init__(self, max_rows):
        self.rows = _Capped(max_rows, ())
        self.chars = 0
        self.cells_truncated = False

    def add(self, cells, repeat=1):
        self.cells_truncated |= cells.truncated
        row = tuple(cells.values)
        self.chars += self.rows.add(row, repeat) * sum(map(len, row))

    @property
    def done(self):
        return self.rows.truncated or self.chars > MAX_PREVIEW_TEXT

    def preview(self, sheet_name, *, cut=False):
        room, rows = Room(), []
        for row in self.rows.values:
            rows.append(tuple(room.take(cell) for cell in row))
            if room.full:
                break
        truncated = cut or self.rows.truncated or self.cells_truncated or room.full
        return Preview("table", rows=tuple(rows), truncated=truncated, sheet_name=shortened(sheet_name, MAX_SHEET_NAME))


def xlsx_preview(fileobj, max_rows, max_columns, budget):
    """The first sheet's first rows. Only the shared strings those rows refer to are read (``config.xlsx``)."""
    with zipfile.ZipFile(fileobj) as archive, open_workbook(archive, budget) as book:
        if not book.sheets:
            return Preview("none", reason=Reason.DAMAGED)
        title, part = book.sheets[0]
        table = _Table(max_rows)
        # One row past the limit is read to tell whether anything was cut.
        reading = book.rows(part, max_columns=max_columns)
        try:
            for _number, values in zip(range(max_rows + 1), reading, strict=False):
                cells = _Capped(max_columns, "")
                for value in values:
                    text = _cell_text(value)
                    table.cells_truncated |= len(text) > MAX_TEXT
                    cells.add(shortened(text))
                table.add(cells)
                if table.done:
                    break
        except OverBudget:
            if not table.rows.values:
                raise
            table.rows.truncated = True
        finally:
            reading.close()
        return table.preview(title, cut=book.cut)


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
    table = _Table(max_rows)
    cells = _Capped(max_columns, "")
    cell = Clip()
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
                        table.add(cells, _repeat(element, ROWS_REPEATED))
                        if table.done:
                            break
                elif element.tag in (TABLE_CELL, TABLE_COVERED_CELL):
                    if event == "start":
                        cell = Clip()
                    else:
                        value = cell.text()
                        table.cells_truncated |= cell.cut
                        cells.add(value, _repeat(element, COLUMNS_REPEATED))
                elif paragraph is not None:
                    # A cell's paragraphs are its lines.
                    if cell.size:
                        cell.append("\n")
                    cell.append(paragraph.text())
                    cell.cut |= paragraph.cut
        except OverBudget:
            if not table.rows.values:
                raise
            table.rows.truncated = True
    if sheet_name is None:
        return Preview("none", reason=Reason.DAMAGED)
    return table.preview(sheet_name)


def _repeat(element, attribute):
    return max(1, int(element.get(attribute, "1")))
