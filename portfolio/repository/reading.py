"""Opening a handed-in repository file safely, as tables of cell values.

An upload is hostile until shown otherwise. Before any XML is parsed the file must be a zip archive whose parts
together unpack to at most MAX_UNPACKED, none suspiciously more than its packed size (a real sheet packs 5–20
times); every XML part is then parsed by defusedxml, so entity tricks such as "billion laughs" are refused, not
expanded. Bytes are not the whole story (a few hundred kilobytes can hold ten million empty elements), so all the
reading is done within a ``WorkBudget``: so many elements a part, so many shared strings, CHECK_SECONDS in all.
Sheets are streamed (``config.xlsx``, which reads the shared strings only as far as the rows need them;
``iterparse`` for .ods), their declared size is not trusted, and only the first MAX_COLUMNS cells of a row are kept.
Whatever a damaged file makes a reader raise becomes ``Unreadable``, and so does a file that takes more work than
the budget ("too_many_elements", "too_slow").
"""

import contextlib
import datetime as dt
import zipfile
import zlib
from dataclasses import dataclass

from defusedxml import DefusedXmlException

from config.budget import OverBudget, WorkBudget
from config.xlsx import open_workbook

MB = 1024 * 1024
MAX_UNPACKED = 100 * MB
SUSPECT_SIZE = 1 * MB
MAX_RATIO = 100
MAX_PARTS = 1000
MAX_COLUMNS = 40
MAX_EMPTY_REPEAT = 2000  # more than the check's BLANK_RUN
MAX_REPEAT = 100  # identical rows one after another
# A repository of MAX_ROWS rows takes one or two seconds to read; the check runs while the student hands in.
CHECK_SECONDS = 10.0
CHECK_ELEMENTS = 3_000_000  # in one part: MAX_ROWS rows of MAX_COLUMNS cells of a few elements each, and room
CHECK_STRINGS = 400_000  # MAX_ROWS rows of MAX_COLUMNS different texts
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Everything zipfile and zlib raise on a damaged archive.
BROKEN_ARCHIVE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError)

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE, ROW, CELL, COVERED_CELL = (
    f"{_TABLE}{name}" for name in ("table", "table-row", "table-cell", "covered-table-cell")
)
ROWS_REPEATED, COLUMNS_REPEATED = f"{_TABLE}number-rows-repeated", f"{_TABLE}number-columns-repeated"
TEXT_P, TEXT_H, TEXT_S, TEXT_TAB, TEXT_BREAK = (f"{_TEXT}{name}" for name in ("p", "h", "s", "tab", "line-break"))
ANNOTATION = f"{_OFFICE}annotation"


class Unreadable(Exception):
    """The file cannot be read as a spreadsheet; ``code`` says why (not_a_spreadsheet, zip_bomb, xml_bomb,
    too_many_elements, too_slow)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


@dataclass
class Table:
    """A sheet: its name and an iterator over its rows, each a tuple of values (str, float, int, bool, datetime)."""

    title: str
    rows: object


def _checked_archive(fileobj, extension):
    """Refuse what is not a zip archive of the kind claimed, or would unpack to far more than a repository holds."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
            if (
                len(parts) > MAX_PARTS
                or sum(part.file_size for part in parts) > MAX_UNPACKED
                or any(_suspect(part) for part in parts)
            ):
                raise Unreadable("zip_bomb")
            if extension == "ods":
                if "mimetype" not in names or "content.xml" not in names:
                    raise Unreadable("not_a_spreadsheet")
                with archive.open("mimetype") as member:
                    if member.read(len(ODS_MIMETYPE) + 1).strip() != ODS_MIMETYPE:
                        raise Unreadable("not_a_spreadsheet")
            elif "xl/workbook.xml" not in names:
                raise Unreadable("not_a_spreadsheet")  # another Office file (a .docx renamed, say)
    except BROKEN_ARCHIVE as error:
        raise Unreadable("not_a_spreadsheet") from error
    finally:
        fileobj.seek(0)


def _suspect(part):
    return part.file_size > SUSPECT_SIZE and part.file_size > MAX_RATIO * part.compress_size


def check_budget():
    return WorkBudget(seconds=CHECK_SECONDS, max_elements=CHECK_ELEMENTS, max_strings=CHECK_STRINGS)


@contextlib.contextmanager
def open_tables(fileobj, extension, budget=None):
    """The sheets of an .xlsx or .ods file, in their order, each read as it is iterated, all within ``budget``
    (``check_budget()`` by default). Raises ``Unreadable``."""
    _checked_archive(fileobj, extension)
    budget = budget or check_budget()
    with contextlib.ExitStack() as stack:
        try:
            archive = stack.enter_context(zipfile.ZipFile(fileobj))
            if extension == "ods":
                content = stack.enter_context(budget.open_part(archive, "content.xml"))
                tables = _ods_tables(content, budget)
            else:
                book = stack.enter_context(open_workbook(archive, budget))
                tables = (
                    Table(title, _guarded(book.rows(part, max_columns=MAX_COLUMNS))) for title, part in book.sheets
                )
        except Exception as error:  # zipfile, the XML parser and the workbook's parts raise many kinds
            raise _unreadable(error) from error
        yield tables


def _guarded(rows):
    """``rows``, raising ``Unreadable`` instead of whatever a damaged file makes the reader raise on the way."""
    try:
        yield from rows
    except Unreadable:
        raise
    except Exception as error:  # openpyxl, the XML parser and zlib raise many kinds
        raise _unreadable(error) from error


def _unreadable(error):
    """``Unreadable`` for what a reader raised: "xml_bomb" when defusedxml refused the XML, the budget's code when
    the work ran out ("too_large" is a zip bomb by another road), "not_a_spreadsheet" for anything else."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return Unreadable("xml_bomb")
        if isinstance(error, OverBudget):
            return Unreadable(_BUDGET_CODES.get(error.code, "too_many_elements"))
        error = error.__cause__ or error.__context__
    return Unreadable("not_a_spreadsheet")


_BUDGET_CODES = {OverBudget.TOO_SLOW: "too_slow", OverBudget.TOO_LARGE: "zip_bomb"}


def _ods_tables(content, budget):
    events = _guarded(_ods_events(content, budget))
    for event, name in events:
        if event == "table":
            rows = _ods_rows(events)
            yield Table(name, rows)
            for _row in rows:  # the rest of the sheet, if the caller left it
                pass


def _ods_rows(events):
    """The rows of the sheet just opened in ``events``, until it ends. Repeated rows are given as often as they are
    repeated, up to a limit: LibreOffice writes the end of a sheet as a million repeated empty rows, and the check
    stops long before (after BLANK_RUN blank rows), so the line numbers of the rows it reads stay right."""
    for event, row in events:
        if event == "end_table":
            return
        values, repeat = row
        empty = not any(value not in (None, "") for value in values)
        for _copy in range(min(repeat, MAX_EMPTY_REPEAT if empty else MAX_REPEAT)):
            yield values


def _ods_events(content, budget):
    """("table", name), ("row", (values, repeat)) and ("end_table", None) for the sheets of content.xml, streamed:
    a finished row is dropped from the tree, so memory stays flat however long the sheet is."""
    stack = []
    depth_in_cell = 0
    tables_open = 0
    values = []
    for event, element in budget.events(content):
        tag = element.tag
        if event == "start":
            stack.append(element)
            if depth_in_cell:
                depth_in_cell += 1
            elif tag in (CELL, COVERED_CELL):
                depth_in_cell = 1
            elif tag == TABLE:
                tables_open += 1
                if tables_open == 1:
                    yield "table", element.get(f"{_TABLE}name", "")
            elif tag == ROW:
                values = []
            continue
        stack.pop()
        if depth_in_cell > 1:
            depth_in_cell -= 1
            continue
        if depth_in_cell == 1:
            depth_in_cell = 0
            if len(values) < MAX_COLUMNS:
                repeat = min(_repeat(element, COLUMNS_REPEATED), MAX_COLUMNS - len(values))
                values.extend([_ods_value(element)] * repeat)
        elif tag == ROW and tables_open == 1:
            budget.count_rows()
            while values and values[-1] in (None, ""):
                values.pop()
            yield "row", (tuple(values), _repeat(element, ROWS_REPEATED))
        elif tag == TABLE:
            tables_open -= 1
            if tables_open == 0:
                yield "end_table", None
        if stack:
            stack[-1].remove(element)


def _repeat(element, attribute):
    try:
        return max(1, int(element.get(attribute, "1")))
    except ValueError:
        return 1


def _ods_value(cell):
    kind = cell.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(cell.get(f"{_OFFICE}value", "0"))
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if kind == "date":
        text = cell.get(f"{_OFFICE}date-value", "")
        try:
            return dt.datetime.fromisoformat(text[:19])
        except ValueError:
            return text
    if kind == "boolean":
        return cell.get(f"{_OFFICE}boolean-value") == "true"
    paragraphs = [_odf_text(child) for child in cell if child.tag in (TEXT_P, TEXT_H)]
    return "\n".join(paragraphs) if paragraphs else None


def _odf_text(element):
    parts = [element.text or ""]
    for child in element:
        if child.tag == TEXT_S:
            parts.append(" " * _repeat(child, f"{_TEXT}c"))
        elif child.tag == TEXT_TAB:
            parts.append("\t")
        elif child.tag == TEXT_BREAK:
            parts.append("\n")
        elif child.tag != ANNOTATION:
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
