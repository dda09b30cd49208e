"""The gradebook's exports: the Excel workbook and one student's course record (the PDF grade sheet, ведомость, is
``grading.documents.grade_sheet``).

Rules:
- Every number comes from ``grading.selectors.gradebook.build_gradebook``; these functions only lay it out, in the
  reader's language. Draft grades appear marked and are never counted, as on the page.
- In the workbook, figures are numbers, draft grades included. The total of a row is a formula adding the row's
  cells of the tasks that have maximum points, except the cells holding a draft: the SUM names only the columns
  whose grade is released (or empty), so the sheet never counts a draft, and a reader who corrects a counted
  cell sees the total and the percentage (a formula of the total) follow. Every other computed value is a plain
  number. A percentage recorded for a task that has points is not points: it is written as text ("76%"), which
  SUM leaves out.
- The page's marks travel as cell comments, with a look that shows without opening them: a draft in grey
  italics ("not released, not counted"), late work in orange, missing work on red, work handed in and not
  graded yet on yellow; a row without a letter because work waits for grading says so on its letter cell.
- The workbook asks the spreadsheet to recalculate every formula when it is opened (``fullCalcOnLoad``): the
  file carries formulas without cached results.
- No text that a person typed (names, groups, titles, labels, notes) ever becomes a formula: text starting
  with a character a spreadsheet reads as the start of a formula is stored as a string marked as text.
- A student's record shows released grades only, unless it is built for staff (``include_drafts``).
- Bytes only: who may have which document is the business of ``grading.views.exports``.
"""

import io
import math
import re

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from accounts.i18n import kazakh_sort_key
from config.pdf import (
    css_counter_content,
    css_string,
    render_pdf,
)
from config.spreadsheets import text_cell
from coursework.models import Extension
from grading.models import ControlKind
from grading.selectors.gradebook import build_gradebook
from grading.selectors.rollup import LABELS
from grading.templatetags.grading_numbers import figure

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STUDENT_RECORD_TEMPLATE = "grading/student_record_pdf.html"
CREDIT_COLUMNS = ("tk1", "rk1", "r1", "tk2", "rk2", "r2", "rd")  # labelled by LABELS, in the reader's language
# Characters Excel refuses in a sheet's name.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
FILENAME_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


# What every export prints around the table -----------------------------------------------------------------


def document_facts(book):
    """The facts printed above and below the table: instructors, the sign-off, the groups covered, the date.

    The groups are those of the rows shown, so a document filtered to one group names that group.
    """
    course = book.course
    sign_off = book.sign_off
    instructors = [user.display_name for user in course.instructors.all()]
    groups = sorted({row.group for row in book.rows}, key=kazakh_sort_key)
    return {
        "course": course,
        "department": course.department,
        "instructors": instructors,
        "groups": groups,
        "sign_off": sign_off,
        "sign_off_line": _sign_off_line(sign_off),
        "generated": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
    }


def _sign_off_line(sign_off):
    if sign_off is None:
        return ""
    return _("Signed off by %(name)s on %(date)s") % {
        "name": sign_off.signed_by.display_name,
        "date": formats.date_format(timezone.localtime(sign_off.signed_at), "DATE_FORMAT"),
    }


def _task_heading(task):
    maximum = figure(task.max_points) if task.max_points is not None else "%"
    return f"{task.display_label} ({maximum})"


# Excel --------------------------------------------------------------------------------------------------------


THIN = Side(style="thin", color="808080")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
DRAFT_FONT = Font(italic=True, color="808080")
LATE_FONT = Font(color="B45309")
MISSING_FILL = PatternFill("solid", fgColor="F8D7DA")
WAITING_FILL = PatternFill("solid", fgColor="FFF3CD")


def _number(value):
    """A Decimal as Excel keeps numbers: an int when whole, a float otherwise."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _sheet_title(text):
    return SHEET_TITLE_FORBIDDEN.sub(" ", text).strip("' ")[:31] or "Sheet"


def _note(texts):
    comment = Comment("\n".join(texts), _("Course portal"))
    comment.width, comment.height = 220, 20 + 16 * len(texts)
    return comment


def _cell_value(sheet, cell, task):
    """A task's cell as the sheet holds it: the figure the page shows as a number (a draft's too), the page's marks
    as a comment and a look (see the module's rules)."""
    if cell.value is None:
        value = None
    elif cell.in_percent and task.max_points is not None:
        value = f"{figure(cell.value)}%"  # a percentage is not points: text, which SUM leaves out
    else:
        value = _number(cell.value)
    notes, style = [], {}
    if cell.draft:
        notes.append(_("Draft grade: not released, not counted in the total"))
        style["font"] = DRAFT_FONT
    elif cell.waiting:
        notes.append(_("Handed in, not graded yet"))
        style["fill"] = WAITING_FILL
    if cell.missing:
        notes.append(_("Missing (past the due moment)"))
        style["fill"] = MISSING_FILL
    if cell.late:
        notes.append(_("Handed in late"))
        style.setdefault("font", LATE_FONT)
    if not notes:
        return value
    marked = WriteOnlyCell(sheet, value)
    for name, setting in style.items():
        setattr(marked, name, setting)
    marked.comment = _note(notes)
    return marked


def _total_formula(row, number, pointed):
    """The row's total: SUM over the columns of tasks with points whose cell holds no draft."""
    counted = [column for column, cell in pointed if not row.cells[cell].draft]
    if not counted:
        return "=SUM(0)"
    parts = ",".join(f"{a}{number}" if a == b else f"{a}{number}:{b}{number}" for a, b in _ranges(counted))
    return f"=SUM({parts})"


def _letter_values(sheet, row):
    letter = row.letter
    if letter is None:
        if not row.waiting:
            return [None, None, None]
        waiting = WriteOnlyCell(sheet, None)
        waiting.comment = _note([_("No letter while work waits for grading")])
        return [waiting, None, None]
    shown = f"{letter.letter} ~" if row.provisional else letter.letter
    return [text_cell(sheet, shown), _number(letter.gpa), text_cell(sheet, letter.get_traditional_display())]


def _ranges(columns):
    """Column numbers as the shortest argument list of SUM: runs of neighbours become ranges ("C{r}:E{r}")."""
    runs = []
    for column in columns:
        if runs and runs[-1][1] == column - 1:
            runs[-1][1] = column
        else:
            runs.append([column, column])
    return [(get_column_letter(first), get_column_letter(last)) for first, last in runs]


def _yes_no(sheet, value):
    if value is None:
        return None
    return text_cell(sheet, _("Yes") if value else _("No"))


def workbook_bytes(book, *, language):
    """The gradebook as an Excel workbook (one sheet, a title block, then the table), every label in ``language``."""
    with translation.override(language):
        return _workbook_bytes([(_("Gradebook"), book)])


def department_workbook_bytes(books, *, language, progress=None):
    """Several courses' gradebooks in one workbook, a sheet each named by its course's code (and year when two
    share a code). ``progress(done)`` is called after each sheet."""
    with translation.override(language):
        codes = [book.course.code for book in books]
        titles = [
            f"{book.course.code} {book.course.academic_year}" if codes.count(book.course.code) > 1 else book.course.code
            for book in books
        ]
        return _workbook_bytes(list(zip(titles, books, strict=True)), progress=progress)


def _workbook_bytes(sheets, *, progress=None):
    workbook = Workbook(write_only=True)
    used = set()
    for done, (title, book) in enumerate(sheets, start=1):
        name = _sheet_title(title)
        while name.casefold() in used:  # Excel compares sheet names without case
            name = _sheet_title(f"{name[:27]} ({done})")
        used.add(name.casefold())
        _write_sheet(workbook.create_sheet(name), book)
        if progress:
            progress(done)
    workbook.calculation.fullCalcOnLoad = True  # no cached results in the file: the spreadsheet computes them
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, book):
    """One course's (or group's) gradebook on ``sheet``: a title block, then the table."""
    document = document_facts(book)
    formula = book.assessment.uses_credit_formula

    headings = [_("Student"), _("Group")]
    widths = [max([len(row.student.display_name) for row in book.rows] + [20]) + 2, 14]
    for task in book.tasks:
        headings.append(_task_heading(task))
        widths.append(max(len(task.display_label) + 6, 9))
    headings += [_("Total (%(max)s)") % {"max": figure(book.max_total)}, "%"]
    widths += [11, 9]
    if formula:
        headings += [*(str(LABELS[key]) for key in CREDIT_COLUMNS), _("Admitted"), _("Exam"), _("Final")]
        widths += [8] * len(CREDIT_COLUMNS) + [11, 9, 9]
    headings += [_("Letter"), "GPA", _("Traditional grade")]
    widths += [8, 7, 22]

    course = document["course"]
    department = document["department"]
    groups = document["groups"]
    bold, title_font, quiet = Font(bold=True), Font(bold=True, size=12), Font(italic=True, color="555555")
    legend = _(
        "Notes on the cells: a draft grade (grey italics) is not released and not counted in the total; late "
        "work is orange, missing work red, work handed in and not graded yet yellow · ~ provisional letter, from "
        "what counts so far"
    )
    # The title block: one line per row, then facts as label (column A) and value (column B).
    title_rows = [
        [(department.display_university, title_font)],
        [(department.display_faculty, None)],
        [(department.display_name, None)],
        [(_("Gradebook: %(course)s (%(code)s)") % {"course": course.display_title, "code": course.code}, bold)],
        [(_("Educational programme"), None), (course.display_programme, None)],
        [(_("Academic year"), None), (course.academic_year, None)],
        [(_("Term"), None), (course.get_term_display(), None)],
        [(_("Academic group") if len(groups) == 1 else _("Academic groups"), None), (", ".join(groups), None)],
        [(_("Instructors"), None), (", ".join(document["instructors"]), None)],
        [(document["sign_off_line"], bold)],
        [(_("Generated on %(moment)s") % {"moment": document["generated"]}, quiet)],
        [(legend, quiet)],
    ]
    title_rows = [row for row in title_rows if row[-1][0]]
    header_row = len(title_rows) + 2  # one blank row between the title block and the table
    last_column = get_column_letter(len(headings))

    # Column widths, the header's height, frozen panes, filter and print setup are written before the first row.
    # A column is at least as wide as the longest word of its heading, so headings wrap between words.
    widths = [
        min(max(width, *(len(word) + 2 for word in heading.split())), 45)
        for width, heading in zip(widths, headings, strict=True)
    ]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    lines = max(math.ceil(len(heading) / (width - 1)) for width, heading in zip(widths, headings, strict=True))
    sheet.row_dimensions[header_row].height = 15 * max(lines, 1)
    sheet.freeze_panes = f"B{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + max(len(book.rows), 1)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    for cells in title_rows:
        sheet.append([text_cell(sheet, text, font=font) if font else text_cell(sheet, text) for text, font in cells])
    sheet.append([])
    sheet.append(
        [
            text_cell(
                sheet, heading, font=HEADER_FONT, fill=HEADER_FILL, border=HEADER_BORDER, alignment=HEADER_ALIGNMENT
            )
            for heading in headings
        ]
    )

    first_task_column = 3
    # (column number, index of the row's cell) of each task with maximum points
    pointed = [
        (first_task_column + index, index) for index, task in enumerate(book.tasks) if task.max_points is not None
    ]
    total_column = get_column_letter(first_task_column + len(book.tasks))
    max_total = _number(book.max_total)
    for number, row in enumerate(book.rows, start=header_row + 1):
        values = [text_cell(sheet, row.student.display_name), text_cell(sheet, row.group)]
        values += [_cell_value(sheet, cell, task) for cell, task in zip(row.cells, book.tasks, strict=True)]
        if pointed:
            values.append(_total_formula(row, number, pointed))
            values.append(f"=ROUND({total_column}{number}*100/{max_total},2)")
        else:
            values += [0, None]
        if formula:
            values += [
                _number(row.tk1),
                _number(row.controls.get(ControlKind.RK1)),
                _number(row.r1),
                _number(row.tk2),
                _number(row.controls.get(ControlKind.RK2)),
                _number(row.r2),
                _number(row.rd),
                _yes_no(sheet, row.admitted),
                _number(row.controls.get(ControlKind.EXAM)),
                _number(row.final),
            ]
        values += _letter_values(sheet, row)
        sheet.append(values)


# PDF ----------------------------------------------------------------------------------------------------------


def page_counter():
    """The ``content`` of the page-number box: "page X of Y" in the reader's language."""
    return css_counter_content(_("page %(page)s of %(pages)s"))


def _pdf(html):
    return render_pdf(html)


def _task_status(cell):
    if cell.late:
        return _("Handed in late")
    if cell.submitted:
        return _("Handed in on time")
    if cell.missing:
        return _("Missing")
    return _("Not handed in yet")


def student_record_pdf_bytes(course, student, *, language, include_drafts=False):
    """One student's course record: each task with its state and points, the totals, the roll-up and letter.

    ``include_drafts``: staff see draft grades, marked and not counted; the student sees released grades only.
    """
    with translation.override(language):
        book = build_gradebook(course, include_drafts=include_drafts, student=student)
        if not book.rows:
            raise ValueError(f"{student} is not on the roster of {course}")
        row = book.rows[0]
        extensions = {
            extension.task_id: extension.due_at
            for extension in Extension.objects.filter(task__course=course, student=student)
        }
        tasks = [
            {
                "task": task,
                "cell": cell,
                "due": extensions.get(task.pk, task.due_at),
                "extended": task.pk in extensions,
                "status": _task_status(cell),
            }
            for task, cell in zip(book.tasks, row.cells, strict=True)
        ]
        document = document_facts(book)
        context = {
            **document,
            "book": book,
            "row": row,
            "student_name": student.display_name,
            "tasks": tasks,
            "formula": book.assessment.uses_credit_formula,
            "labels": LABELS,
            "page_counter": page_counter(),
            "running_title": css_string(f"{course.code} · {student.display_name}"),
            "has_drafts": any(cell.draft for cell in row.cells),
        }
        html = render_to_string(STUDENT_RECORD_TEMPLATE, context)
    return _pdf(html)


def gradebook_filename(course, group, extension):
    what = _("%(code)s — %(group)s — gradebook") % {"code": course.code, "group": group or _("all groups")}
    return FILENAME_FORBIDDEN.sub("_", what) + extension


def student_record_filename(course, student):
    return FILENAME_FORBIDDEN.sub("_", f"{course.code} — {student.display_name}") + ".pdf"
