"""The repository template (.xlsx) a student downloads from the task page and fills in.

The first sheet holds the headings (Kazakh above Russian, in one cell), one example row and drop-down lists for the
fixed columns; the second explains how to fill it in, in Kazakh and Russian; a hidden third sheet holds the lists
too long to be written into a data validation (Excel accepts at most 255 characters there), which the validations
name by range, as Excel and LibreOffice Calc both read them. The check reads the file back as it is.
"""

import datetime as dt
import io

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from portfolio.repository.columns import COLUMNS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 10_000  # rows of services a file may hold; the drop-down lists reach that far
SHEET_TITLE = "Репозиторий"
NOTES_TITLE = "Нұсқаулық - Инструкция"
LISTS_TITLE = "Тізімдер - Списки"
EXAMPLE_MARK = "МЫСАЛ / ПРИМЕР:"
INLINE_LIST_LIMIT = 255  # Excel's limit on the characters of a list written into the validation itself

HEADING_FONT = Font(bold=True)
HEADING_FILL = PatternFill("solid", fgColor="DCE6F1")
EXAMPLE_FONT = Font(italic=True, color="7F7F7F")
WRAP = Alignment(wrap_text=True, vertical="top")

EXAMPLE = {
    "organisation": f"{EXAMPLE_MARK} «Үміт» дағдарыс орталығы",
    "organisation_type": "ngo",
    "client_category": "domestic_violence",
    "services": "Уақытша баспана, психологиялық және заңгерлік кеңес / "
    "Временный приют, психологическая и юридическая помощь",
    "region": "almaty_city",
    "city": "Алматы",
    "address": "Мысал көшесі, 1 / ул. Примерная, 1",
    "phone": "+7 727 000 00 00",
    "email": "info@example.kz",
    "website": "https://example.kz",
    "eligibility": "Зорлық-зомбылықтан зардап шеккен әйелдер мен балалар / Пострадавшие от насилия женщины и дети",
    "cost": "free",
    "hours": "Тәулік бойы / Круглосуточно",
    "source": "Ұйымның ресми сайты / Официальный сайт организации",
    "checked_on": dt.date(2025, 9, 1),
}

NOTES = (
    _("How to fill in the service repository"),
    _(
        "One row for each service, below the headings of the first sheet. An organisation that serves two client "
        "categories takes two rows."
    ),
    _("Columns marked * must be filled in. Of the columns marked ** (phone, e-mail, website) fill in at least one."),
    _(
        "Row 2 is an example, marked «МЫСАЛ / ПРИМЕР:» at the start of the name: the portal does not count it. Delete "
        "it or leave it as it is; a row you write over it counts only once the mark is gone."
    ),
    _(
        "Organisation type, client category, region and cost: choose from the drop-down list (the values are listed "
        "below). The Kazakh or the Russian words alone are accepted too."
    ),
    _(
        "Region: Astana, Almaty and Shymkent are regions of their own. A service in the city of Almaty has the region "
        "«Алматы қаласы / город Алматы», not «Алматы облысы»."
    ),
    _(
        "Phone: a Kazakhstan number, such as +7 727 123 45 67, 8 (727) 123-45-67 or 8 701 123 4567; the portal writes "
        "it as +7 XXX XXX XX XX. Separate several numbers with «;». Short numbers such as 1414 or 150 are accepted."
    ),
    _(
        "E-mail: one address, such as info@example.kz. Website: the address of the organisation's site or page; "
        "https:// is added when it is missing."
    ),
    _("Date checked: the day you checked the information, such as 15.09.2025, and not a day in the future."),
    _("Only public contacts of organisations: never the personal phone or address of a private person."),
    _(
        "Keep the headings in the first row; the columns may come in any order. At most %(limit)s rows. Save the file "
        "as .xlsx (or .ods) and hand it in on the task page."
    ),
    _(
        "When you hand it in, the portal checks every row and shows a report: how many rows are valid, in each client "
        "category, and what to fix in the others, by row and column."
    ),
)


def _in_kazakh_and_russian(text):
    versions = []
    for language in ("kk", "ru"):
        with translation.override(language):
            versions.append(str(text) % {"limit": number_format(MAX_ROWS, force_grouping=True)})
    return versions


def repository_template_bytes():
    """The blank repository file (.xlsx): headings, an example row, drop-down lists and the instructions."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    lists = book.create_sheet(LISTS_TITLE)
    lists.sheet_state = "hidden"
    _write_headings(sheet)
    _write_example(sheet)
    _add_lists(sheet, lists)
    _write_notes(book.create_sheet(NOTES_TITLE, index=1))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _write_headings(sheet):
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.heading)
        cell.font, cell.fill, cell.alignment = HEADING_FONT, HEADING_FILL, WRAP
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key == "phone":
            # Numbers such as 87272000001 stay as typed, leading + included.
            sheet.column_dimensions[letter].number_format = "@"
        elif column.key == "checked_on":
            sheet.column_dimensions[letter].number_format = "DD.MM.YYYY"
    sheet.row_dimensions[1].height = 48
    sheet.freeze_panes = "B2"


def _write_example(sheet):
    for index, column in enumerate(COLUMNS, start=1):
        value = EXAMPLE[column.key]
        if column.vocabulary is not None:
            value = column.vocabulary.term(value).both
        cell = sheet.cell(row=2, column=index, value=value)
        cell.font, cell.alignment = EXAMPLE_FONT, WRAP
        if column.key == "checked_on":
            cell.number_format = "DD.MM.YYYY"


def _add_lists(sheet, lists):
    """A drop-down list on each fixed column, as far down as a file may go.

    A value outside the list gets a warning, not a refusal: pasted words ("Бесплатно") are read by the check too.
    """
    list_column = 0
    for index, column in enumerate(COLUMNS, start=1):
        if column.vocabulary is None:
            continue
        values = [term.both for term in column.vocabulary.terms]
        inline = ",".join(values)
        if len(inline) <= INLINE_LIST_LIMIT and not any("," in value or '"' in value for value in values):
            formula = f'"{inline}"'
        else:
            list_column += 1
            letter = get_column_letter(list_column)
            for row, value in enumerate(values, start=1):
                lists.cell(row=row, column=list_column, value=value)
            formula = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(values)}"
        title = " / ".join(dict.fromkeys((column.kk, column.ru)))[:32]
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showDropDown=False,  # False shows the arrow (the attribute's name says the opposite)
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=title,
            error="Тізімнен таңдаңыз.\nВыберите значение из списка.",
            showInputMessage=True,
            promptTitle=title,
            prompt="Тізімнен таңдаңыз.\nВыберите из списка.",
        )
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)


def _write_notes(notes):
    row = 1
    for index, note in enumerate(NOTES):
        for column, text in enumerate(_in_kazakh_and_russian(note), start=1):
            cell = notes.cell(row=row, column=column, value=text)
            cell.alignment = WRAP
            cell.font = HEADING_FONT if index == 0 else Font()
        row += 1
    for column in COLUMNS:
        if column.vocabulary is None:
            continue
        row += 1
        for position, words in enumerate((column.kk, column.ru), start=1):
            notes.cell(row=row, column=position, value=words).font = HEADING_FONT
        for term in column.vocabulary.terms:
            row += 1
            notes.cell(row=row, column=1, value=term.kk)
            notes.cell(row=row, column=2, value=term.ru)
    notes.column_dimensions["A"].width = notes.column_dimensions["B"].width = 70
