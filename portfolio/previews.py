"""What an instructor sees of an uploaded file without downloading it.

Uploads are hostile input: every XML part is read through defusedxml, streamed with ``iterparse`` so that finished
elements are forgotten, and only after the zip says the part is at most 50 MB. Anything that cannot be read gives
``Preview("none")`` and the page offers the download instead.
"""

import datetime as dt
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import openpyxl
from defusedxml.ElementTree import iterparse

logger = logging.getLogger(__name__)

MAX_MEMBER_SIZE = 50 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_P, W_T = f"{_W}p", f"{_W}t"

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TEXT_P, TEXT_H, TEXT_S, TEXT_TAB, TEXT_LINE_BREAK = (
    f"{_TEXT}p",
    f"{_TEXT}h",
    f"{_TEXT}s",
    f"{_TEXT}tab",
    f"{_TEXT}line-break",
)
OFFICE_ANNOTATION = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation"

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TABLE_TABLE, TABLE_NAME, TABLE_ROW, TABLE_CELL, TABLE_COVERED_CELL = (
    f"{_TABLE}table",
    f"{_TABLE}name",
    f"{_TABLE}table-row",
    f"{_TABLE}table-cell",
    f"{_TABLE}covered-table-cell",
)
ROWS_REPEATED, COLUMNS_REPEATED = f"{_TABLE}number-rows-repeated", f"{_TABLE}number-columns-repeated"

# Elements that stand for whitespace; a run of spaces (text:s text:c="3") is shown as one.
_ODF_SPACES = {TEXT_S: " ", TEXT_TAB: "\t", TEXT_LINE_BREAK: "\n"}

_WORD = re.compile(r"\w+(?:[-‐'’]\w+)*")


@dataclass(frozen=True)
class Preview:
    """``kind`` is "pdf" (shown inline by the browser), "text" (paragraphs), "table" (rows of the first sheet) or
    "none" (nothing to show)."""

    kind: str
    paragraphs: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    truncated: bool = False
    sheet_name: str = ""


class _Unreadable(Exception):
    pass


def build_preview(fileobj, extension: str, *, max_paragraphs=400, max_rows=200, max_columns=30) -> Preview:
    """Read what can be shown of an upload; never raises on a damaged or hostile file, it gives kind "none"."""
    extension = extension.lower().lstrip(".")
    if extension == "pdf":
        return Preview("pdf")
    try:
        if extension == "docx":
            return _paragraph_preview(fileobj, "word/document.xml", _docx_paragraphs, max_paragraphs)
        if extension == "odt":
            return _paragraph_preview(fileobj, "content.xml", _odf_paragraphs, max_paragraphs)
        if extension == "xlsx":
            return _xlsx_preview(fileobj, max_rows, max_columns)
        if extension == "ods":
            return _ods_preview(fileobj, max_rows, max_columns)
    # The parsers below us (zipfile, zlib, expat, openpyxl) raise many unrelated types on crafted input; a preview
    # is a convenience, so any failure means "download it instead".
    except Exception:
        logger.info("No preview for an uploaded .%s file", extension, exc_info=True)
    return Preview("none")


def word_count(preview: Preview) -> int:
    """Words in a text preview, in any script (a hyphenated compound counts once); 0 for other kinds."""
    if preview.kind != "text":
        return 0
    return sum(len(_WORD.findall(unicodedata.normalize("NFC", paragraph))) for paragraph in preview.paragraphs)


# Paragraph documents (docx, odt)


def _paragraph_preview(fileobj, member, paragraphs_of, max_paragraphs):
    paragraphs = []
    truncated = False
    with zipfile.ZipFile(fileobj) as archive, _open_member(archive, member) as stream:
        for text in paragraphs_of(_events(stream)):
            text = text.strip()
            if not text:
                continue
            if len(paragraphs) == max_paragraphs:
                truncated = True
                break
            paragraphs.append(text)
    return Preview("text", paragraphs=tuple(paragraphs), truncated=truncated)


def _docx_paragraphs(events):
    """The text of each w:p as it closes; a nested paragraph (a text box) is given on its own."""
    open_paragraphs = []
    for event, element in events:
        if element.tag == W_P:
            if event == "start":
                open_paragraphs.append([])
            else:
                yield "".join(open_paragraphs.pop())
        elif element.tag == W_T and event == "end" and open_paragraphs:
            open_paragraphs[-1].append(element.text or "")


def _odf_paragraphs(events):
    reader = _OdfText()
    for event, element in events:
        if (text := reader.feed(event, element)) is not None:
            yield text


class _OdfText:
    """Follows parse events and gives the text of each text:p or text:h as it closes.

    ODF puts words both inside elements and between them (``text`` and ``tail``). Elements are forgotten once they
    close, so the text is taken in document order as it becomes known: an element's ``text`` when its first child
    opens or it closes, a child's ``tail`` when the next sibling opens or the parent closes.
    """

    def __init__(self):
        self._open = []
        self._in_annotation = 0

    def feed(self, event, element):
        if event == "start":
            parts = None
            if self._open:
                parent = self._open[-1]
                parent.flush()
                parent.last_child = element
                parts = parent.parts
            if element.tag in _ODF_SPACES and parts is not None:
                parts.append(_ODF_SPACES[element.tag])
            if element.tag in (TEXT_P, TEXT_H):
                parts = []
            elif element.tag == OFFICE_ANNOTATION:
                self._in_annotation += 1
                parts = None
            self._open.append(_OpenElement(element, parts))
            return None
        closed = self._open.pop()
        closed.flush()
        if element.tag == OFFICE_ANNOTATION:
            self._in_annotation -= 1
        elif element.tag in (TEXT_P, TEXT_H) and not self._in_annotation:
            return "".join(closed.parts)
        return None


class _OpenElement:
    """An element being read and the list its own text goes to (None outside paragraphs and in comments)."""

    __slots__ = ("element", "last_child", "parts")

    def __init__(self, element, parts):
        self.element = element
        self.parts = parts
        self.last_child = None

    def flush(self):
        """Keep the text that came just before now: the element's own text, or the tail of its last child."""
        text = self.element.text if self.last_child is None else self.last_child.tail
        if text and self.parts is not None:
            self.parts.append(text)


# Spreadsheets (xlsx, ods)


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


def _xlsx_preview(fileobj, max_rows, max_columns):
    with zipfile.ZipFile(fileobj) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                _check_size(info)
    workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True, keep_links=False)
    try:
        if not workbook.worksheets:
            return Preview("none")
        sheet = workbook.worksheets[0]
        # The declared dimension may be wrong or hostile; rows are padded only to their own last cell.
        sheet.reset_dimensions()
        rows = _Capped(max_rows, ())
        cells_truncated = False
        # One row past the limit is read to tell whether anything was cut; reading no further keeps a sheet whose
        # row numbers jump to the billions from costing anything.
        for values in sheet.iter_rows(max_row=max_rows + 1, values_only=True):
            cells = _Capped(max_columns, "")
            for value in values:
                cells.add(_cell_text(value))
            cells_truncated |= cells.truncated
            rows.add(tuple(cells.values))
        return Preview(
            "table",
            rows=tuple(rows.values),
            truncated=rows.truncated or cells_truncated,
            sheet_name=sheet.title,
        )
    finally:
        workbook.close()


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


def _ods_preview(fileobj, max_rows, max_columns):
    sheet_name = None
    tables_open = 0
    text = _OdfText()
    rows = _Capped(max_rows, ())
    cells = _Capped(max_columns, "")
    cells_truncated = False
    paragraphs = []
    with zipfile.ZipFile(fileobj) as archive, _open_member(archive, "content.xml") as stream:
        for event, element in _events(stream):
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
    if sheet_name is None:
        return Preview("none")
    return Preview("table", rows=tuple(rows.values), truncated=rows.truncated or cells_truncated, sheet_name=sheet_name)


def _repeat(element, attribute):
    return max(1, int(element.get(attribute, "1")))


# Reading zip parts safely


def _check_size(info):
    if info.file_size > MAX_MEMBER_SIZE:
        raise _Unreadable(f"{info.filename} declares {info.file_size} bytes")


def _open_member(archive, name):
    info = archive.getinfo(name)
    _check_size(info)
    # zipfile stops at the declared size, so the check also bounds what a lying header can inflate to.
    return archive.open(info)


def _events(stream):
    """``iterparse`` start and end events, each element dropped from the tree once the caller has seen it close, so
    memory stays flat however long the part is."""
    open_elements = []
    for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            open_elements.append(element)
        else:
            open_elements.pop()
        yield event, element
        if event == "end" and open_elements:
            open_elements[-1].remove(element)
