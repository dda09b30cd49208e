"""Opening a handed-in repository file safely, as tables of cell values.

An upload is hostile until shown otherwise. Before any XML is parsed the file must be a zip archive whose parts
together unpack to at most MAX_UNPACKED, none suspiciously more than its packed size (a real sheet packs 5–20
times); every XML part is then parsed by defusedxml (openpyxl uses it when it is installed, and this module refuses
to read if openpyxl says it is not), so entity tricks such as "billion laughs" are refused, not expanded. Sheets are
streamed (openpyxl's read-only mode; ``iterparse`` for .ods), their declared size is not trusted, and only the first
MAX_COLUMNS cells of a row are kept. Whatever a damaged file makes a reader raise becomes ``Unreadable``.
"""

import contextlib
import datetime as dt
import warnings
import zipfile
import zlib
from dataclasses import dataclass

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from openpyxl import load_workbook

MB = 1024 * 1024
MAX_UNPACKED = 100 * MB
SUSPECT_SIZE = 1 * MB
MAX_RATIO = 100
MAX_PARTS = 1000
MAX_COLUMNS = 40
MAX_EMPTY_REPEAT = 2000  # more than the check's BLANK_RUN
MAX_REPEAT = 100  # identical rows one after another
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
    """The file cannot be read as a spreadsheet; ``code`` says why (not_a_spreadsheet, zip_bomb, xml_bomb)."""

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


@contextlib.contextmanager
def open_tables(fileobj, extension):
    """The sheets of an .xlsx or .ods file, in their order, each read as it is iterated. Raises ``Unreadable``."""
    _checked_archive(fileobj, extension)
    if extension == "ods":
        with zipfile.ZipFile(fileobj) as archive, archive.open("content.xml") as content:
            yield _ods_tables(content)
        return
    if openpyxl.DEFUSEDXML is not True:  # openpyxl parses with the standard library, which expands entities
        raise Unreadable("unsafe_reader")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it does not read (styles, extensions)
            book = load_workbook(fileobj, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl, the XML parser and zipfile raise many kinds
        raise _unreadable(error) from error
    try:
        yield (Table(sheet.title, _xlsx_rows(sheet)) for sheet in book.worksheets)
    finally:
        book.close()


def _guarded(rows):
    """``rows``, raising ``Unreadable`` instead of whatever a damaged file makes the reader raise on the way."""
    try:
        yield from rows
    except Unreadable:
        raise
    except Exception as error:  # openpyxl, the XML parser and zlib raise many kinds
        raise _unreadable(error) from error


def _unreadable(error):
    """``Unreadable`` for what a reader raised: "xml_bomb" when defusedxml refused the XML, even wrapped by openpyxl
    in an error of its own."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return Unreadable("xml_bomb")
        error = error.__cause__ or error.__context__
    return Unreadable("not_a_spreadsheet")


def _xlsx_rows(sheet):
    # The size a sheet declares is not trusted: only the rows it holds are read, and only MAX_COLUMNS of each.
    sheet.reset_dimensions()
    return _guarded(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True))


def _ods_tables(content):
    events = _guarded(_ods_events(content))
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


def _ods_events(content):
    """("table", name), ("row", (values, repeat)) and ("end_table", None) for the sheets of content.xml, streamed:
    a finished row is dropped from the tree, so memory stays flat however long the sheet is."""
    stack = []
    depth_in_cell = 0
    tables_open = 0
    values = []
    for event, element in iterparse(content, events=("start", "end"), forbid_dtd=True):
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
