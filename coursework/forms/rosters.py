"""The roster file: its columns, the template to fill in, and the upload form that reads a filled-in file.

Reading checks that the upload is a table the portal can read safely, and turns it into rows of text (the rules of
what a row may contain are ``coursework.services.rosters``'):
- an .xlsx (checked as a zip archive first: a file that would unpack to far more than a roster holds is refused
  before any of it is parsed; then read by ``config.xlsx`` within a work budget, so many XML elements, shared
  strings and seconds, since a few hundred kilobytes can hold ten million empty shared strings) or a .csv in UTF-8,
  with or without BOM, or Windows-1251, separated by ";" or ",";
- its headings in Kazakh, Russian or English, in any order and case, in one of its first rows (a title may come
  before them); a heading cell may hold the Kazakh and the Russian heading on two lines, as the template's do;
- at most MAX_ROWS students: a longer file is refused as soon as the row after the last allowed one is read;
- every cell is text: text that looks like a formula is kept as the characters it holds and never evaluated; a
  formula cell of an .xlsx counts as the value the spreadsheet last showed for it (as openpyxl's ``data_only``).
"""

import contextlib
import csv
import functools
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import PurePath

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.models import Language
from config.budget import OverBudget, WorkBudget
from config.forms import FileField
from config.spreadsheets import cell_text, heading_columns
from config.xlsx import open_workbook

MB = 1024 * 1024
MAX_ROWS = 10_000
MAX_FILE_SIZE = 10 * MB
# An .xlsx is a zip archive: its parts together may unpack to at most MAX_UNPACKED, and a part of more than
# SUSPECT_SIZE may unpack to at most MAX_RATIO times its packed size (a real sheet packs 5-20 times).
MAX_UNPACKED = 50 * MB
SUSPECT_SIZE = 1 * MB
MAX_RATIO = 100
MAX_PARTS = 1000
MAX_COLUMNS = 50  # columns read from each row; headings further right are ignored
HEADING_ROWS = 10  # the headings are looked for in this many rows at the top
BLANK_RUN = 1000  # after so many blank rows one after another, the list has ended
CSV_SNIFF = 64 * 1024
# The work reading an .xlsx may take: MAX_ROWS rows of MAX_COLUMNS cells of a few elements each, and twenty texts of
# their own a row (a roster has five columns, a registrar's export a dozen more); a roster of MAX_ROWS rows is read
# in well under a second.
READ_SECONDS = 10.0
READ_ELEMENTS = 3_000_000
READ_STRINGS = 20 * MAX_ROWS
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Everything zipfile and zlib raise on a damaged archive.
BROKEN_ARCHIVE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError)


@dataclass(frozen=True)
class Column:
    """A column of the roster file: its heading in the template and the headings registrars give it."""

    key: str
    label: str
    aliases: str  # separated by "|"
    required: bool = True


def heading_key(text):
    """A heading or a code as compared: lower case, without spaces, punctuation or a note in brackets."""
    return re.sub(r"[\W_]+", "", re.sub(r"\(.*?\)", "", str(text)).casefold())


COLUMNS = (
    Column(
        "name",
        gettext_lazy("Full name"),
        "Аты-жөні|Толық аты-жөні|Тегі, аты, әкесінің аты|Студенттің аты-жөні|Білім алушының аты-жөні|ФИО|"
        "Фамилия, имя, отчество|ФИО студента|Full name|Name|Student name|Student",
    ),
    Column(
        "number",
        gettext_lazy("Student ID"),
        "Студенттің ID|Студенттің ID-і|Студент ID|ID нөмірі|Студенттік билет нөмірі|ID студента|Студенческий ID|"
        "Номер студента|Номер студенческого билета|ID|Student ID|Student number|Student No.",
    ),
    Column(
        "group",
        gettext_lazy("Academic group"),
        "Топ|Академиялық топ|Топ нөмірі|Группа|Академическая группа|Номер группы|Group|Academic group",
    ),
    Column(
        "email",
        gettext_lazy("E-mail"),
        "E-mail|Email|Электрондық пошта|Эл. пошта|Эл. почта|Электронная почта|E-mail address",
    ),
    Column(
        "language",
        gettext_lazy("Preferred language"),
        "Тіл|Қалаған тіл|Қалаған тілі|Оқу тілі|Интерфейс тілі|Язык|Предпочитаемый язык|Язык обучения|Language|"
        "Preferred language",
        required=False,
    ),
)
ALIASES = {heading_key(alias): column.key for column in COLUMNS for alias in column.aliases.split("|")}
LANGUAGES = {
    heading_key(word): code.value
    for code, words in (
        (Language.KAZAKH, ("kk", "kz", "қаз", "каз", "қазақ", "қазақша", "қазақ тілі", "казахский", "Kazakh")),
        (Language.RUSSIAN, ("ru", "рус", "орыс", "орысша", "орыс тілі", "русский", "Russian")),
        (Language.ENGLISH, ("en", "eng", "англ", "ағылшын", "ағылшынша", "ағылшын тілі", "английский", "English")),
    )
    for word in words
}


# Reading a file -----------------------------------------------------------------------------------------------


def _refuse(message, code, **params):
    return forms.ValidationError(message, code=code, params=params)


def _not_a_table(name):
    return _refuse(
        _(
            "“%(name)s” is not a table the portal can read. Upload the roster as .xlsx or .csv; the template is a good "
            "start."
        ),
        "not_a_table",
        name=name,
    )


def read_roster(upload):
    """The students listed in ``upload``, as dicts of text (line, name, number, group, email, language).

    Raises ValidationError with a message for the person who uploaded it when the file cannot be read as a roster.
    """
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if getattr(upload, "too_large", False) or upload.size > MAX_FILE_SIZE:
        raise _refuse(
            _("The file is %(size)s; a roster file may be at most %(limit)s."),
            "too_large",
            size=filesizeformat(upload.size),
            limit=filesizeformat(MAX_FILE_SIZE),
        )
    if extension == ".xls":
        raise _refuse(
            _("“%(name)s” is in the old Excel format (.xls). Open it in Excel, save it as .xlsx and upload that."),
            "old_excel",
            name=name,
        )
    if extension == ".csv":
        with _csv_table(upload, name) as table:
            return _read_tables([table])
    if extension == ".xlsx":
        with _workbook(upload, name) as book:
            return _read_tables(_sheet_table(book, part, name) for _title, part in book.sheets)
    raise _refuse(_("Upload the roster as an .xlsx or .csv file."), "extension")


def _too_much_work(name):
    return _refuse(
        _(
            "“%(name)s” would take far more work to read than a roster needs, so it was not read. Save the roster "
            "again from your spreadsheet program, or as .csv, and upload that."
        ),
        "too_much_work",
        name=name,
    )


def _read_tables(tables):
    """The students of the first table whose headings name every required column."""
    best = {}
    for rows in tables:
        head = list(islice(rows, HEADING_ROWS))
        for index, values in enumerate(head):
            columns = heading_columns(values, _heading)
            if all(column.key in columns for column in COLUMNS if column.required):
                return _students(chain(head[index + 1 :], rows), columns, first_line=index + 2)
            best = max(best, columns, key=len)
    missing = ", ".join(str(column.label) for column in COLUMNS if column.required and column.key not in best)
    raise _refuse(
        _("The file has no column for: %(columns)s. Head the columns in the first row as the template does."),
        "columns",
        columns=missing,
    )


def _heading(part):
    return ALIASES.get(heading_key(part))


def _students(rows, columns, first_line):
    keys = list(columns)
    indexes = [columns[key] for key in keys]
    students = []
    blank_run = 0
    for line, values in enumerate(rows, start=first_line):
        width = len(values)
        texts = [cell_text(values[index]) if index < width else "" for index in indexes]
        if not any(texts):
            blank_run += 1
            if blank_run == BLANK_RUN:
                break
            continue
        blank_run = 0
        row = dict(zip(keys, texts, strict=True))
        if not students and ALIASES.get(heading_key(row["name"])) == "name":
            continue  # a second heading row, such as Russian headings under Kazakh ones
        if len(students) == MAX_ROWS:
            raise _refuse(
                _("The file lists more than %(limit)s students. Split it into files of at most %(limit)s rows."),
                "too_many_rows",
                limit=number_format(MAX_ROWS, force_grouping=True),
            )
        row["line"] = line
        row["language"] = _language(row.get("language", ""))
        students.append(row)
    if not students:
        raise _refuse(_("The file has the column headings but no students below them."), "no_rows")
    return students


@functools.lru_cache(maxsize=64)
def _language(text):
    """The code of a language as a registrar writes it ("орысша", "Russian" → "ru"); anything else as it is."""
    return LANGUAGES.get(heading_key(text), text) if text else ""


def _guarded(rows, problem):
    """``rows``, raising ``problem`` instead of whatever a damaged file makes the reader raise on the way."""
    try:
        yield from rows
    except Exception as error:  # openpyxl, the XML parser, zlib and csv raise many kinds
        raise problem from error


@contextlib.contextmanager
def _csv_table(upload, name):
    upload.seek(0)
    head = upload.read(CSV_SNIFF)
    if not head.strip():
        raise _refuse(_("The file is empty."), "empty")
    if b"\x00" in head:
        raise _not_a_table(name)
    encoding = "utf-8-sig" if _is_utf8(head) else "cp1251"
    first_line = head.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()[0]
    delimiter = max(";,\t", key=first_line.count)
    upload.seek(0)
    text = io.TextIOWrapper(upload.file, encoding=encoding, newline="")
    problem = _refuse(
        _("“%(name)s” is not UTF-8 or Windows-1251 text. Save it as “CSV UTF-8” and upload it again."),
        "encoding",
        name=name,
    )
    try:
        yield _guarded(csv.reader(text, delimiter=delimiter), problem)
    finally:
        text.detach()  # the upload stays open for whoever owns it


def _is_utf8(head):
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end inside a character: only an error before its last three bytes counts.
        return error.start >= len(head) - 3 and len(head) == CSV_SNIFF
    return True


@contextlib.contextmanager
def _workbook(upload, name):
    """The workbook of an .xlsx upload (``config.xlsx``), once its zip archive has been found safe to unpack, read
    within the roster's work budget."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except BROKEN_ARCHIVE as error:
        raise _not_a_table(name) from error
    unpacked = sum(part.file_size for part in parts)
    if (
        len(parts) > MAX_PARTS
        or unpacked > MAX_UNPACKED
        or any(part.file_size > SUSPECT_SIZE and part.file_size > MAX_RATIO * part.compress_size for part in parts)
    ):
        raise _refuse(
            _("“%(name)s” would unpack to far more data than a roster holds, so it is not opened."),
            "zip_bomb",
            name=name,
        )
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise _not_a_table(name)  # another Office file (a .docx renamed, say)
    upload.seek(0)
    budget = WorkBudget(seconds=READ_SECONDS, max_elements=READ_ELEMENTS, max_strings=READ_STRINGS)
    with contextlib.ExitStack() as stack:
        try:
            archive = stack.enter_context(zipfile.ZipFile(upload))
            book = stack.enter_context(open_workbook(archive, budget))
        except OverBudget as error:
            raise _too_much_work(name) from error
        except Exception as error:  # zipfile, the XML parser and the workbook's parts raise many kinds
            raise _not_a_table(name) from error
        yield book


def _sheet_table(book, part, name):
    """The rows of the sheet in ``part``, the first MAX_COLUMNS cells of each: the size a sheet declares is not
    trusted, only the rows it holds are read."""
    try:
        yield from book.rows(part, max_columns=MAX_COLUMNS)
    except OverBudget as error:
        raise _too_much_work(name) from error
    except Exception as error:  # the XML parser and zlib raise many kinds
        raise _not_a_table(name) from error


class RosterUploadForm(forms.Form):
    file = FileField(
        label=gettext_lazy("Roster file"),
        error_messages={
            "required": gettext_lazy("Choose the roster file to upload."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx or .csv file of at most %(size)s with the columns full name, student ID, academic group, "
            "e-mail and, if you wish, preferred language: at most %(limit)s students."
        ) % {"size": filesizeformat(MAX_FILE_SIZE), "limit": number_format(MAX_ROWS, force_grouping=True)}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file") is not None:
            try:
                cleaned["rows"] = read_roster(cleaned["file"])
            except forms.ValidationError as error:
                self.add_error("file", error)
        return cleaned


# The template ---------------------------------------------------------------------------------------------

TEMPLATE_NOTES = (
    gettext_lazy("How to fill in the roster"),
    gettext_lazy(
        "One row per student, below the headings. Keep the headings in the first row; the columns may come in any "
        "order."
    ),
    gettext_lazy("Full name: surname, given name and patronymic, as the registrar writes them."),
    gettext_lazy("Student ID: the registrar's ID. The portal recognises a student by it; it is also the username."),
    gettext_lazy("Academic group: as the registrar writes it, for example СЖ-23-01."),
    gettext_lazy("E-mail: the student's own address. A new student gets a link there to set a password."),
    gettext_lazy("Preferred language: kk, ru or en, the language of the portal's e-mails. Empty means Kazakh."),
    gettext_lazy("At most %(limit)s students in one file. Save it as .xlsx (or as .csv)."),
    gettext_lazy(
        "Uploading writes nothing yet: the portal shows what it will do with each row, and you apply it after checking."
    ),
)
HEADING_FONT = Font(bold=True)
HEADING_FILL = PatternFill("solid", fgColor="DCE6F1")
WRAP = Alignment(wrap_text=True, vertical="top")


def _kazakh_and_russian(text, **params):
    """``text`` in Kazakh and in Russian: the template is read by registrars who work in either."""
    versions = []
    for language in (Language.KAZAKH, Language.RUSSIAN):
        with translation.override(language):
            versions.append(
                str(text) % {key: number_format(value, force_grouping=True) for key, value in params.items()}
            )
    return versions


def _both(text, separator):
    """``text`` in Kazakh and Russian joined by ``separator``, or once where the two are the same."""
    return separator.join(dict.fromkeys(_kazakh_and_russian(text)))


def roster_template_bytes():
    """The roster file to fill in (.xlsx): the columns headed in Kazakh with Russian beneath, a drop-down list of
    the languages, and a sheet of instructions in Kazakh and Russian. The importer reads it as it is."""
    book = Workbook()
    sheet = book.active
    sheet.title = _both(gettext_lazy("Roster"), " - ")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=_both(column.label, "\n"))
        cell.font, cell.fill, cell.alignment = HEADING_FONT, HEADING_FILL, WRAP
        sheet.column_dimensions[get_column_letter(index)].width = 40 if column.key in ("name", "email") else 20
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"
    # IDs such as 00123 keep their zeros: the column is text.
    sheet.column_dimensions[get_column_letter(_position("number"))].number_format = "@"
    letter = get_column_letter(_position("language"))
    kk_prompt, ru_prompt = _kazakh_and_russian(gettext_lazy("kk, ru or en; empty means Kazakh."))
    kk_error, ru_error = _kazakh_and_russian(gettext_lazy("Choose kk, ru or en from the list."))
    choices = DataValidation(
        type="list",
        formula1=f'"{",".join(Language.values)}"',
        allow_blank=True,
        showDropDown=False,
        promptTitle=_both(gettext_lazy("Language"), " / ")[:32],
        prompt=f"{kk_prompt}\n{ru_prompt}",
        errorTitle=_both(gettext_lazy("Language"), " / ")[:32],
        error=f"{kk_error}\n{ru_error}",
        showInputMessage=True,
        showErrorMessage=True,
    )
    choices.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.add_data_validation(choices)
    notes = book.create_sheet(_both(gettext_lazy("Instructions"), " - "))
    for index, note in enumerate(TEMPLATE_NOTES, start=1):
        for column, text in enumerate(_kazakh_and_russian(note, limit=MAX_ROWS), start=1):
            cell = notes.cell(row=index, column=column, value=text)
            cell.alignment = WRAP
            cell.font = HEADING_FONT if index == 1 else Font()
    notes.column_dimensions["A"].width = notes.column_dimensions["B"].width = 70
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _position(key):
    return next(index for index, column in enumerate(COLUMNS, start=1) if column.key == key)
