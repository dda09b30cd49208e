"""The gradebook's documents (grading/documents/gradebook.py and grade_sheet.py): what the workbook, the grade sheet
and the record hold.

Who may download them, and what the request decides, is in test_exports_views.py."""

import datetime as dt
import io
import re
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.utils import formats, timezone, translation
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from accounts.i18n import kazakh_sort_key
from accounts.models import Role
from coursework.models import Enrollment
from grading.documents.grade_sheet import grade_sheet_html, grade_sheet_pdf
from grading.documents.gradebook import student_record_pdf_bytes, workbook_bytes
from grading.selectors.gradebook import build_gradebook
from grading.services.gradebook import gradebook_lock, gradebook_sign_off
from tests.conftest import make_user
from tests.grading.conftest import (
    KAZAKH_LETTERS,
    enrol_graded,
    flat,
    gettext_kk,
    hand_in_work,
    header_row,
    layout_text,
    open_sheet,
)

pytestmark = pytest.mark.django_db

INJECTED_NAME = '=HYPERLINK("http://x","y")'
INJECTED_GROUPS = ["+77-23", "@SUM(1+1)", "-2+3", "=1+1"]


@pytest.fixture
def kazakh_named(cast):
    """A student whose name holds every letter of the Kazakh alphabet beyond the Russian one."""
    student = make_user("kazakh", Role.STUDENT, cast.department, first_name="Әсем", last_name=KAZAKH_LETTERS)
    Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-01")
    return student


@pytest.fixture
def injected(cast):
    """Students whose name or group a spreadsheet would read as a formula, were it written as typed."""
    students = []
    for number, group in enumerate(INJECTED_GROUPS):
        student = make_user(f"inject{number}", Role.STUDENT, cast.department, last_name=INJECTED_NAME)
        Enrollment.objects.create(course=cast.course, student=student, academic_group=group)
        students.append(student)
    return students


def staff_book(cast, group=None):
    return build_gradebook(cast.course, include_drafts=True, group=group, sort="group")


def reading_text(content):
    """The PDF's text in reading order, whitespace collapsed, so that a cell wrapped over lines reads whole."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return flat(result.stdout.decode())


def page_count(content):
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[-1])


def headings(sheet):
    return [cell.value for cell in sheet[header_row(sheet)]]


def row_of(sheet, name):
    return next(row for row in sheet.iter_rows(min_row=header_row(sheet) + 1) if row[0].value == name)


def column(sheet, heading):
    return headings(sheet).index(heading)


# The workbook -------------------------------------------------------------------------------


def test_the_header_row_is_in_kazakh_with_each_tasks_maximum_and_the_credit_columns(graded):
    sheet = open_sheet(workbook_bytes(staff_book(graded), language="kk"))
    assert sheet.title == gettext_kk("Gradebook")
    assert headings(sheet) == [
        "Студент",
        "Топ",
        "СОӨЖ 1 (20)",
        "СӨЖ 1 (22)",
        "СОӨЖ 2-3 (%)",
        "СӨЖ 4 (22)",
        "СОӨЖ 4-5 (%)",
        "СӨЖ 3 (18)",
        gettext_kk("Total (%(max)s)") % {"max": "82"},
        "%",
        "ТК1",
        "РК1",
        "Р1",
        "ТК2",
        "РК2",
        "Р2",
        "РД",
        gettext_kk("Admitted"),
        gettext_kk("Exam"),
        gettext_kk("Final"),
        gettext_kk("Letter"),
        "GPA",
        gettext_kk("Traditional grade"),
    ]


def title_block(sheet):
    """The rows above the table: each as the list of its non-empty values."""
    return [
        [cell.value for cell in row if cell.value is not None] for row in sheet.iter_rows(max_row=header_row(sheet) - 1)
    ]


def test_the_title_block_names_the_university_department_course_term_and_instructors(graded):
    sheet = open_sheet(workbook_bytes(staff_book(graded), language="kk"))
    title = title_block(sheet)
    assert title[:3] == [
        ["Әл-Фараби атындағы Қазақ ұлттық университеті"],
        ["Философия және саясаттану факультеті"],
        ["Әлеуметтану және әлеуметтік жұмыс кафедрасы"],
    ]
    assert "Кейс-менеджмент (Тәжірбелік қолдану)" in title[3][0] and "CM-7B11401" in title[3][0]
    assert ["Білім беру бағдарламасы", "7В11401 – Әлеуметтік жұмыс"] in title
    assert ["Оқу жылы", "2025-2026"] in title
    assert ["Семестр", "Күзгі семестр"] in title
    assert [gettext_kk("Academic groups"), "СЖ-23-01, СЖ-23-02"] in title
    assert ["Оқытушылар", "Жақыпова Сәуле"] in title
    today = formats.date_format(timezone.localtime(), "DATE_FORMAT")
    assert any(today in row[0] for row in title if row)


def test_the_title_block_carries_the_sign_off_once_the_department_signs(graded):
    gradebook_lock(course=graded.course, by=graded.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    sign_off = gradebook_sign_off(course=graded.course, by=graded.dept_admin)
    sheet = open_sheet(workbook_bytes(staff_book(graded), language="kk"))
    with translation.override("kk"):
        line = translation.gettext("Signed off by %(name)s on %(date)s") % {
            "name": "Нұрғалиев Ерлан",
            "date": formats.date_format(timezone.localtime(sign_off.signed_at), "DATE_FORMAT"),
        }
    assert [line] in title_block(sheet)


def test_figures_are_numbers_as_the_page_shows_them(graded):
    book = staff_book(graded)
    sheet = open_sheet(workbook_bytes(book, language="kk"))
    page_row = next(row for row in book.rows if row.student == graded.student)
    cells = row_of(sheet, "Әбілқасымова Әсел")
    assert cells[1].value == "СЖ-23-01"
    assert cells[2].value == pytest.approx(15.2) and isinstance(cells[2].value, float)
    assert cells[3].value == 20 and isinstance(cells[3].value, int)
    assert cells[4].value is None  # nothing handed in: missing or not yet due, empty either way
    roll_up = [page_row.tk1, Decimal(80), page_row.r1, page_row.tk2, Decimal(70), page_row.r2, page_row.rd]
    first = column(sheet, "ТК1")
    for offset, expected in enumerate(roll_up):
        value = cells[first + offset].value
        assert isinstance(value, int | float)
        assert Decimal(str(value)) == expected
    assert cells[column(sheet, gettext_kk("Admitted"))].value == gettext_kk("Yes")
    assert cells[column(sheet, gettext_kk("Exam"))].value == 90
    assert Decimal(str(cells[column(sheet, gettext_kk("Final"))].value)) == page_row.final
    assert cells[column(sheet, gettext_kk("Letter"))].value == page_row.letter.letter
    assert Decimal(str(cells[column(sheet, "GPA")].value)) == page_row.letter.gpa


def test_the_total_is_a_sum_of_the_tasks_with_points_and_the_percentage_a_formula_of_it(graded):
    book = staff_book(graded)
    sheet = open_sheet(workbook_bytes(book, language="kk"))
    for page_row in book.rows:
        cells = row_of(sheet, page_row.student.display_name)
        total = cells[column(sheet, gettext_kk("Total (%(max)s)") % {"max": "82"})]
        percent = cells[column(sheet, "%")]
        assert total.data_type == "f" and total.value.startswith("=SUM(")
        assert percent.data_type == "f" and total.coordinate in percent.value and "82" in percent.value
        # What the formula adds up is what the page counts: the task columns with points, drafts left out.
        added = Decimal(0)
        for reference in re.findall(r"[A-Z]+\d+(?::[A-Z]+\d+)?", total.value.removeprefix("=SUM")):
            first, _colon, last = reference.partition(":")
            for cell in sheet[first : last or first][0]:
                assert headings(sheet)[cell.column - 1].endswith(("(20)", "(22)", "(18)"))
                added += Decimal(str(cell.value)) if isinstance(cell.value, int | float) else 0
        assert added == page_row.total


def test_a_draft_grade_is_a_grey_number_with_a_note_and_the_total_leaves_it_out(graded):
    book = staff_book(graded)
    sheet = open_sheet(workbook_bytes(book, language="kk"))
    cells = row_of(sheet, "Бекмұратов Нұрлан")
    draft = cells[2]
    assert draft.value == pytest.approx(15.2) and draft.data_type == "n"  # a number, as the page shows it
    assert draft.font.i and draft.font.color.rgb.endswith("808080")
    assert gettext_kk("Draft grade: not released, not counted in the total") in draft.comment.text
    total = cells[column(sheet, gettext_kk("Total (%(max)s)") % {"max": "82"})]
    assert "C" not in re.sub(r"SUM|ROUND", "", total.value)  # column C (СОӨЖ 1) is not in this row's SUM
    released = row_of(sheet, "Әбілқасымова Әсел")[column(sheet, gettext_kk("Total (%(max)s)") % {"max": "82"})]
    assert re.search(r"\bC\d+", released.value)  # the student's released СОӨЖ 1 is
    assert next(row for row in book.rows if row.student == graded.classmate).total == 0


def test_the_pages_marks_travel_as_notes_on_the_cells(graded):
    hand_in_work(graded.tasks["СӨЖ 4"], graded.classmate)  # handed in, not graded yet
    sheet = open_sheet(workbook_bytes(staff_book(graded), language="kk"))
    student, classmate = row_of(sheet, "Әбілқасымова Әсел"), row_of(sheet, "Бекмұратов Нұрлан")
    late = student[column(sheet, "СӨЖ 1 (22)")]
    assert late.value == 20 and gettext_kk("Handed in late") in late.comment.text
    missing = classmate[column(sheet, "СӨЖ 1 (22)")]
    assert missing.value is None and gettext_kk("Missing (past the due moment)") in missing.comment.text
    waiting = classmate[column(sheet, "СӨЖ 4 (22)")]
    assert waiting.value is None and gettext_kk("Handed in, not graded yet") in waiting.comment.text
    letter = classmate[column(sheet, gettext_kk("Letter"))]
    assert letter.value is None and gettext_kk("No letter while work waits for grading") in letter.comment.text
    assert student[column(sheet, gettext_kk("Letter"))].comment is None
    assert student[0].comment is None and student[2].comment is None  # nothing to say: no note


def test_the_workbook_recalculates_its_formulas_when_opened(graded):
    content = workbook_bytes(staff_book(graded), language="kk")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.calculation.fullCalcOnLoad is True
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert 'fullCalcOnLoad="1"' in archive.read("xl/workbook.xml").decode()


def test_english_readers_get_english_credit_columns(graded):
    sheet = open_sheet(workbook_bytes(staff_book(graded), language="en"))
    header = next(cell.row for cell in sheet["A"] if cell.value == "Student")
    assert [cell.value for cell in sheet[header]][10:17] == ["CA1", "MT1", "R1", "CA2", "MT2", "R2", "AR"]


def test_text_that_looks_like_a_formula_comes_back_as_the_same_plain_text(cast, injected):
    cast.course.title = "=1+2"
    cast.course.save()
    sheet = open_sheet(workbook_bytes(staff_book(cast), language="kk"))
    rows = [row for row in sheet.iter_rows(min_row=header_row(sheet) + 1) if row[0].value == INJECTED_NAME]
    assert len(rows) == len(INJECTED_GROUPS)
    assert sorted(row[1].value for row in rows) == sorted(INJECTED_GROUPS)
    for row in rows:
        assert row[0].data_type == "s" and row[1].data_type == "s"
    heading = sheet.cell(row=4, column=1)
    assert "=1+2" in heading.value and heading.data_type == "s"
    groups = ", ".join(sorted(["СЖ-23-01", "СЖ-23-02", *INJECTED_GROUPS], key=kazakh_sort_key))
    assert [gettext_kk("Academic groups"), groups] in title_block(sheet)


def test_no_cell_but_the_total_and_percentage_holds_a_formula(graded, injected):
    sheet = open_sheet(workbook_bytes(staff_book(graded), language="kk"))
    allowed = {column(sheet, gettext_kk("Total (%(max)s)") % {"max": "82"}) + 1, column(sheet, "%") + 1}
    formulas = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas  # one total and one percentage per student
    assert {cell.column for cell in formulas} == allowed
    assert all(cell.row > header_row(sheet) for cell in formulas)


def test_the_header_row_is_frozen_with_the_names_and_the_table_has_a_filter(graded):
    sheet = open_sheet(workbook_bytes(staff_book(graded), language="kk"))
    header = header_row(sheet)
    assert sheet.freeze_panes == f"B{header + 1}"
    first, last = sheet.auto_filter.ref.split(":")
    assert first == f"A{header}"
    assert column_index_from_string(re.sub(r"\d", "", last)) == len(headings(sheet))
    assert int(re.sub(r"\D", "", last)) == header + 2  # two students
    assert sheet.column_dimensions["A"].width >= 20


def test_the_russian_reader_gets_russian_content(graded):
    sheet = open_sheet(workbook_bytes(staff_book(graded), language="ru"))
    title = title_block(sheet)
    assert title[0] == ["Казахский национальный университет имени аль-Фараби"]
    assert ["Кафедра социологии и социальной работы"] in title
    assert "Кейс-менеджмент (практическое применение)" in title[3][0]


# The grade sheet ----------------------------------------------------------------------------


def test_the_grade_sheet_shows_the_institution_the_course_and_kazakh_headings(graded, kazakh_named):
    text = flat(layout_text(grade_sheet_pdf(staff_book(graded), language="kk")))
    assert "Әл-Фараби атындағы Қазақ ұлттық университеті".upper() in text
    assert "Философия және саясаттану факультеті" in text
    assert "Әлеуметтану және әлеуметтік жұмыс кафедрасы" in text
    assert "Кейс-менеджмент (Тәжірбелік қолдану) (CM-7B11401)" in text
    assert "7В11401 – Әлеуметтік жұмыс" in text
    assert "2025-2026" in text and "Күзгі семестр" in text
    assert "Жақыпова Сәуле" in text
    for heading in ("Студент", "ТК1", "РК1", "Р1", "ТК2", "РК2", "Р2", "РД", "GPA"):
        assert heading in text
    assert "СОӨЖ" in text and "СӨЖ 1" in text and "СӨЖ 4" in text  # "СОӨЖ 2-3" wraps in its narrow column
    html = grade_sheet_html(staff_book(graded), language="kk")
    for label, maximum in (("СОӨЖ 1", "20"), ("СӨЖ 1", "22"), ("СОӨЖ 2-3", "%"), ("СӨЖ 3", "18")):
        assert f'{label}<span class="max">{maximum}</span>' in html


def test_each_students_row_reads_on_one_line_with_its_total_and_letter(graded):
    book = staff_book(graded)
    lines = layout_text(grade_sheet_pdf(book, language="kk")).splitlines()
    page_row = next(row for row in book.rows if row.student == graded.student)
    line = next(line for line in lines if "Әбілқасымова Әсел" in line)
    for figure in ("15,2", "20L", "35,2", "80", "70", "90"):  # L: handed in late
        assert f" {figure} " in f" {line} "
    assert f" {page_row.letter.letter} " in line and page_row.provisional is False
    draft_line = next(line for line in lines if "Бекмұратов Нұрлан" in line)
    assert "15,2*" in draft_line


def test_every_kazakh_letter_survives_into_the_grade_sheet(graded, kazakh_named):
    text = layout_text(grade_sheet_pdf(staff_book(graded), language="kk"))
    assert f"{KAZAKH_LETTERS} Әсем" in text


def test_the_grade_sheet_carries_the_sign_off_once_the_department_signs(graded):
    before = flat(layout_text(grade_sheet_pdf(staff_book(graded), language="kk")))
    gradebook_lock(course=graded.course, by=graded.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    sign_off = gradebook_sign_off(course=graded.course, by=graded.dept_admin, note="Тексерілді")
    with translation.override("kk"):
        line = translation.gettext("Signed off by %(name)s on %(date)s") % {
            "name": "Нұрғалиев Ерлан",
            "date": formats.date_format(timezone.localtime(sign_off.signed_at), "DATE_FORMAT"),
        }
    assert line not in before
    text = flat(layout_text(grade_sheet_pdf(staff_book(graded), language="kk")))
    assert line in text
    assert "Тексерілді" in text


def test_the_grade_sheet_ends_with_signature_lines_for_the_instructor_and_the_head(graded):
    text = layout_text(grade_sheet_pdf(staff_book(graded), language="kk"))
    assert re.search(r"_{10,} / Жақыпова Сәуле /", text)
    assert re.search(r"_{10,} / _{10,} /", text)
    assert gettext_kk("Head of department") in text


def test_a_long_class_repeats_the_header_and_numbers_the_pages(cast):
    enrol_graded(cast, 70)
    content = grade_sheet_pdf(staff_book(cast), language="en")
    pages = page_count(content)
    assert pages >= 2
    text = layout_text(content)
    for page in range(1, pages + 1):
        assert f"page {page} of {pages}" in text
    assert len(re.findall(r"\bAR\b", text)) >= pages  # the table's header on every page (РД in English)


def test_the_grade_sheet_of_one_group_names_the_group(graded):
    html = grade_sheet_html(staff_book(graded, "СЖ-23-01"), language="kk")
    text = flat(layout_text(grade_sheet_pdf(staff_book(graded, "СЖ-23-01"), language="kk")))
    assert "СЖ-23-01" in html and "СЖ-23-01" in text
    assert "Бекмұратов" not in text


def test_the_grade_sheet_uses_dejavu_fonts_only(graded):
    content = grade_sheet_pdf(staff_book(graded), language="kk")
    fonts = subprocess.run(["pdffonts", "-"], input=content, capture_output=True, check=True).stdout.decode()
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all("DejaVu" in name for name in names), names


# The student's record -----------------------------------------------------------------------


def test_the_record_lists_each_task_with_its_state_points_and_the_roll_up(graded):
    content = student_record_pdf_bytes(graded.course, graded.student, language="kk")
    text = reading_text(content)
    book = build_gradebook(graded.course, include_drafts=False, student=graded.student)
    row = book.rows[0]
    assert "Әбілқасымова Әсел" in text and "СЖ-23-01" in text
    assert "Кейс-менеджменттің даму тарихы мен теориялық негіздері" in text  # the essay's title
    for task in graded.tasks:
        assert task in text
    assert gettext_kk("Handed in on time") in text and gettext_kk("Handed in late") in text
    assert gettext_kk("Missing") in text
    assert "15,2" in text and "35,2" in text and "82" in text
    assert "ТК1" in text and "РД" in text
    assert row.letter.letter in text


def test_the_record_carries_the_sign_off(graded):
    gradebook_lock(course=graded.course, by=graded.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    gradebook_sign_off(course=graded.course, by=graded.dept_admin)
    text = flat(layout_text(student_record_pdf_bytes(graded.course, graded.student, language="kk")))
    assert "Нұрғалиев Ерлан" in text
