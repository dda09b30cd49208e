"""Reading an .xlsx workbook's sheets as rows of values, within a ``WorkBudget``.

openpyxl reads a workbook's whole table of shared strings when it opens the file, before a single row is asked for:
a few hundred kilobytes of zip holding ten million empty ``<si/>`` entries keep it busy for a minute, and nothing
can stop it midway. This reader parses the parts itself, streamed through defusedxml and counted by the budget, and
reads the shared strings lazily, only as far as the highest entry a row read so far refers to: a preview of the
first rows of a sheet reads the first few entries, whatever follows them.

Values are what openpyxl gives in read-only mode with ``data_only=True``: text, int or float, bool, a datetime (or
a timedelta) for a number in a date (or duration) format, the cached result of a formula, an error as its text
("#N/A"). Rows missing from the sheet are given as empty tuples, so a row's place is its row number.
"""

import contextlib
import itertools
import posixpath

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from config.budget import OverBudget

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
ROW, CELL, VALUE, INLINE, TEXT, PHONETIC = (f"{_MAIN}{name}" for name in ("row", "c", "v", "is", "t", "rPh"))
SHARED, SHEET, WORKBOOK_PR = f"{_MAIN}si", f"{_MAIN}sheet", f"{_MAIN}workbookPr"
NUMBER_FORMATS, NUMBER_FORMAT, CELL_FORMATS, FORMAT = (
    f"{_MAIN}{name}" for name in ("numFmts", "numFmt", "cellXfs", "xf")
)
RELATIONSHIP = f"{_RELS}Relationship"
_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_OFFICE_DOCUMENT = f"{_TYPES}officeDocument"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


class Workbook:
    """An .xlsx archive's sheets, read within ``budget``: ``sheets`` lists (title, part) in the workbook's order,
    ``rows(part)`` reads one. Everything a damaged file makes the parts' readers raise is left to the caller
    (zipfile's, the XML parser's, KeyError, IndexError, ValueError); ``OverBudget`` says the work ran out."""

    def __init__(self, archive, budget):
        self.archive = archive
        self.budget = budget
        workbook = _workbook_part(archive, budget)
        relationships = _relationships(archive, budget, workbook)
        with budget.open_part(archive, workbook) as stream:
            root = budget.tree(stream)
        properties = root.find(WORKBOOK_PR)
        date1904 = properties is not None and properties.get("date1904") in ("1", "true", "True")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.sheets = []
        for sheet in root.iter(SHEET):
            kind, part = relationships.get(sheet.get(_R_ID), ("", ""))
            # A chart sheet has no cells, and openpyxl leaves it out of the worksheets too.
            if kind == f"{_TYPES}worksheet" and part in _names(archive):
                self.sheets.append((sheet.get("name", ""), part))
        # Where openpyxl looks: the styles at their usual place, the shared strings by their declared content type.
        self.date_styles, self.timedelta_styles = self._number_styles("xl/styles.xml")
        strings = _shared_strings_part(archive, budget, relationships)
        self._strings = _SharedStrings(archive, budget, strings)

    def close(self):
        self._strings.close()

    def _number_styles(self, part):
        """The indexes of the cell formats that show a number as a date (and, of those, as a duration)."""
        if part not in _names(self.archive):
            return frozenset(), frozenset()
        custom, formats, inside = {}, [], None
        with self.budget.open_part(self.archive, part) as stream:
            for event, element in self.budget.flat_events(stream):
                tag = element.tag
                if tag in (NUMBER_FORMATS, CELL_FORMATS):
                    inside = tag if event == "start" else None
                elif event == "end":
                    continue
                elif tag == NUMBER_FORMAT and inside == NUMBER_FORMATS:
                    custom[int(element.get("numFmtId"))] = element.get("formatCode")
                elif tag == FORMAT and inside == CELL_FORMATS:
                    formats.append(int(element.get("numFmtId", 0)))
        codes = [custom[number] if number in custom else BUILTIN_FORMATS.get(number) for number in formats]
        dates = frozenset(index for index, code in enumerate(codes) if is_date_format(code))
        return dates, frozenset(index for index in dates if is_timedelta_format(codes[index]))

    def rows(self, part, *, max_columns):
        """The rows of the sheet in ``part``, each a tuple of the values of its first ``max_columns`` columns up to
        its last cell; ``self.cut`` becomes true once a value stood further right."""
        self.cut = False
        with self.budget.open_part(self.archive, part) as stream:
            yield from self._rows(self.budget.flat_events(stream), max_columns)

    def _rows(self, events, max_columns):
        budget, expected, number, column, cells = self.budget, 1, 0, 0, {}
        kind = style = text = inline = None
        phonetic = 0
        for event, element in events:
            tag = element.tag
            if event == "start":
                if tag == CELL:
                    reference = element.get("r")
                    column = _column(reference) if reference else column + 1
                    kind, style, text, inline = element.get("t", "n"), element.get("s"), None, None
                elif tag == INLINE:
                    inline = []
                elif tag == PHONETIC:
                    phonetic += 1
                elif tag == ROW:
                    reference = element.get("r")
                    number = _row_number(reference) if reference else number + 1
                    column, cells = 0, {}
                continue
            if tag == VALUE:
                text = element.text
            elif tag == TEXT:
                if inline is not None and not phonetic:
                    inline.append(element.text or "")
            elif tag == PHONETIC:
                phonetic -= 1
            elif tag == CELL:
                value = self._value(kind, text, inline, style)
                if column <= max_columns:
                    cells[column] = value
                elif value is not None and value != "":
                    self.cut = True
            elif tag == ROW and number >= expected:
                # Rows the sheet leaves out are empty rows; given one at a time, so a reader that stops early (after
                # so many blank rows, say) never pays for a gap of a million.
                while expected < number:
                    budget.count_rows()
                    expected += 1
                    yield ()
                budget.count_rows()
                expected += 1
                width = max(cells, default=0)
                yield tuple(cells.get(index) for index in range(1, width + 1))

    def _value(self, kind, text, inline, style):
        if kind == "inlineStr":
            return None if inline is None else "".join(inline)
        if not text:
            return None
        if kind == "n":
            number = float(text) if "." in text or "e" in text or "E" in text else int(text)
            style = int(style) if style else 0
            if style not in self.date_styles:
                return number
            try:
                return from_excel(number, self.epoch, timedelta=style in self.timedelta_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"  # a date beyond the calendar, as openpyxl gives it
        if kind == "s":
            return self._strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text), "e" (an error such as #N/A), or a type no one writes


@contextlib.contextmanager
def open_workbook(archive, budget):
    """A ``Workbook`` of ``archive`` (a zipfile.ZipFile), its shared strings closed on leaving."""
    book = Workbook(archive, budget)
    try:
        yield book
    finally:
        book.close()


class _SharedStrings:
    """The workbook's table of shared strings, read only as far as the entries asked for so far."""

    def __init__(self, archive, budget, part):
        self.archive, self.budget, self.part = archive, budget, part
        self.strings = []
        self.stream = self.reader = None
        if part is not None:
            self.stream = budget.open_part(archive, part)
            events = budget.flat_events(self.stream)
            # The first event is read now: a document type declaration (an entity bomb) is refused on opening, as
            # openpyxl refuses it, even when no cell ever refers to a shared string.
            self.reader = self._read(itertools.chain([next(events)], events))

    def __getitem__(self, index):
        if index < 0:
            raise IndexError(index)
        while index >= len(self.strings):
            if self.reader is None:
                raise IndexError(index)
            self.strings.append(next(self.reader, None))
            if self.strings[-1] is None:
                raise IndexError(index)
        return self.strings[index]

    def _read(self, events):
        parts, phonetic, count = None, 0, 0
        for event, element in events:
            tag = element.tag
            if tag == SHARED:
                if event == "start":
                    parts = []
                    continue
                count += 1
                if count > self.budget.max_strings:
                    raise _too_many_strings(self.budget)
                # openpyxl drops "x005F_" from shared strings (an escaped underscore); kept so, values read the same.
                yield "".join(parts).replace("x005F_", "")
                parts = None
            elif tag == PHONETIC:
                phonetic += 1 if event == "start" else -1
            elif tag == TEXT and event == "end" and parts is not None and not phonetic:
                parts.append(element.text or "")

    def close(self):
        if self.reader is not None:
            self.reader.close()
        if self.stream is not None:
            self.stream.close()


def _too_many_strings(budget):
    return OverBudget(OverBudget.TOO_MANY_ELEMENTS, f"over {budget.max_strings} shared strings")


def _shared_strings_part(archive, budget, relationships):
    """The shared strings' part: the one [Content_Types].xml declares (as openpyxl finds it), else the workbook's
    relationship to one; None for a workbook without (openpyxl writes its text into the cells)."""
    if "[Content_Types].xml" in _names(archive):
        with budget.open_part(archive, "[Content_Types].xml") as stream:
            root = budget.tree(stream)
        for each in root.iter(f"{_CONTENT_TYPES}Override"):
            if each.get("ContentType") == _SHARED_STRINGS_TYPE:
                return each.get("PartName", "").lstrip("/")
    for kind, part in relationships.values():
        if kind == f"{_TYPES}sharedStrings":
            return part
    return None


def _workbook_part(archive, budget):
    """The workbook's part, as the package's relationships name it (xl/workbook.xml when they do not)."""
    if "_rels/.rels" in _names(archive):
        for kind, part in _relationships(archive, budget, "", "_rels/.rels").values():
            if kind == _OFFICE_DOCUMENT:
                return part
    return "xl/workbook.xml"


def _relationships(archive, budget, source, name=None):
    """{id: (type, part)} of the relationships of the part ``source``; a target is relative to its folder."""
    folder = posixpath.dirname(source)
    name = name or posixpath.join(folder, "_rels", f"{posixpath.basename(source)}.rels")
    if name not in _names(archive):
        return {}
    with budget.open_part(archive, name) as stream:
        root = budget.tree(stream)
    found = {}
    for each in root.iter(RELATIONSHIP):
        target = each.get("Target", "")
        if each.get("TargetMode") == "External":
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[each.get("Id")] = (each.get("Type", ""), part)
    return found


def _names(archive):
    return archive.NameToInfo  # zipfile's own index of the members by name: a lookup, not a list to search


def _column(reference):
    """The column number of a cell reference such as "AB12" (28)."""
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            number = number * 26 + ord(char) - 96
        else:
            break
    if not number:
        raise ValueError(f"{reference!r} is not a cell reference")
    return number


def _row_number(text):
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise
        return int(number)
