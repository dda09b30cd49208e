"""The directory as an Excel workbook: the entries a search found, one row each, labelled in the reader's language.

Rules:
- One sheet: the headings on the first row (frozen, with a filter), then one row per entry in the order found.
- No text that a student typed ever becomes a formula: text starting with a character a spreadsheet reads as the
  start of a formula (a phone's "+7", a name's "=") is stored as a string and marked as text.
- Entries are read in chunks, so a directory of tens of thousands of entries is written in bounded memory.
- Bytes only: who may export what is the business of ``directory.views``.
"""

import io

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from config.spreadsheets import text_cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1000
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
WRAP = Alignment(wrap_text=True, vertical="top")


def _columns(include_hidden):
    """(heading, width, the entry's value) of each column."""
    columns = [
        (_("Organisation"), 40, lambda entry: entry.name),
        (_("Organisation type"), 24, lambda entry: str(entry.type_label)),
        (_("Client categories"), 32, lambda entry: "; ".join(str(item) for item in entry.categories.all())),
        (_("Services offered"), 50, lambda entry: "\n".join(entry.service_list)),
        (_("Region"), 24, lambda entry: str(entry.region_label)),
        (_("City or settlement"), 18, lambda entry: entry.city),
        (_("Address"), 30, lambda entry: entry.address),
        (_("Phones"), 20, lambda entry: "\n".join(entry.phone_list)),
        (_("E-mail"), 26, lambda entry: entry.email),
        (_("Website"), 26, lambda entry: entry.website),
        (_("Who is eligible"), 36, lambda entry: "\n".join(entry.eligibility_list)),
        (_("Cost"), 14, lambda entry: str(entry.cost_label)),
        (_("Working hours"), 20, lambda entry: entry.hours),
        (_("Students who listed it"), 12, lambda entry: entry.student_count),
        (_("Last checked on"), 14, lambda entry: entry.checked_on),
    ]
    if include_hidden:
        columns.append((_("Hidden from students"), 12, lambda entry: _("Yes") if entry.is_hidden else ""))
    return columns


def directory_workbook_bytes(entries, *, language, include_hidden):
    """The entries as an .xlsx, every heading and label in ``language``; a column saying which entries are hidden
    when the reader is staff (``include_hidden``)."""
    with translation.override(language):
        columns = _columns(include_hidden)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Directory of social services")[:31])
        for index, (_heading, width, _value) in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "B2"
        count = 0
        sheet.append(
            [text_cell(sheet, heading, font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP) for heading, *_ in columns]
        )
        for entry in entries.iterator(chunk_size=CHUNK):
            sheet.append([_cell(sheet, value(entry)) for _heading, _width, value in columns])
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
        output = io.BytesIO()
        workbook.save(output)
    return output.getvalue()


def _cell(sheet, value):
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return text_cell(sheet, value, alignment=WRAP) if "\n" in value else text_cell(sheet, value)
    return value


def directory_filename(*, language):
    """The export's file name: the directory and the day, in ``language``."""
    with translation.override(language):
        day = formats.date_format(timezone.localdate(), "Y-m-d")
        return _("directory of social services %(day)s.xlsx") % {"day": day}
