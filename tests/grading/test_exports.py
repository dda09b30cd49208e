"""The gradebook's exports: who may download them, then what the workbook, the grade sheet and the record hold."""

import datetime as dt
import io
import re
import subprocess
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from accounts.i18n import kazakh_sort_key
from accounts.models import Role
from coursework.models import Enrollment
from grading.documents.gradebook import grade_sheet_html, grade_sheet_pdf, student_record_pdf_bytes, workbook_bytes
from grading.models import Grade
from grading.selectors.gradebook import build_gradebook
from grading.services.gradebook import control_scores_save, gradebook_lock, gradebook_sign_off
from grading.services.grades import grade_release, grade_save
from portfolio import services as portfolio_services
from portfolio.models import Submission, Version
from tests.conftest import make_user
from tests.grading.conftest import GOOD_PICKS, hand_in, scores_for
from tests.portfolio.conftest import at, xlsx

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
INJECTED_NAME = '=HYPERLINK("http://x","y")'
INJECTED_GROUPS = ["+77-23", "@SUM(1+1)", "-2+3", "=1+1"]
LATE_FOR_SOZH_1 = at(dt.date(2025, 10, 6), 9, 15)  # СӨЖ 1 is due Sunday 5 October, 23:59


@pytest.fixture
def graded(cast, essay):
    """The student: the essay (15.2 of 20) and СӨЖ 1 (20 of 22, late) released, РК1 80, РК2 70, exam 90.

    The classmate: the essay graded the same way but still a draft. The tasks with points: 20 + 22 + 22 + 18 = 82.
    """
    own = hand_in(essay, cast.student)
    grade = grade_save(
        version=own, grader=cast.instructor, expected_lock_version=0, scores=scores_for(essay.rubric, GOOD_PICKS)
    )
    grade_release(grade=grade, by=cast.instructor, notify=False)
    grade_save(
        version=hand_in(essay, cast.classmate),
        grader=cast.instructor,
        expected_lock_version=0,
        scores=scores_for(essay.rubric, GOOD_PICKS),
    )
    repository = cast.tasks["СӨЖ 1"]
    portfolio_services.draft_add_files(task=repository, student=cast.student, uploads=[xlsx()], now=LATE_FOR_SOZH_1)
    version = portfolio_services.draft_submit(
        task=repository, student=cast.student, statement_accepted=True, now=LATE_FOR_SOZH_1
    )
    grade = grade_save(version=version, grader=cast.instructor, expected_lock_version=0, points=20)
    grade_release(grade=grade, by=cast.instructor, notify=False)
    control_scores_save(
        course=cast.course,
        by=cast.instructor,
        scores={
            (cast.student.pk, "rk1"): Decimal(80),
            (cast.student.pk, "rk2"): Decimal(70),
            (cast.student.pk, "exam"): 90,
        },
    )
    return cast


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


def enrol_graded(cast, count, start=0):
    """``count`` more students, each with a released grade for СӨЖ 1 and a РК1 score, written directly."""
    task = cast.tasks["СӨЖ 1"]
    moment = at(dt.date(2025, 10, 1))
    for number in range(start, start + count):
        student = make_user(f"extra{number}", Role.STUDENT, cast.department, last_name=f"Студент {number:02d}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group=f"СЖ-23-0{number % 2 + 1}")
        submission = Submission.objects.create(task=task, student=student)
        version = Version.objects.create(
            submission=submission, number=1, state="submitted", submitted_at=moment, statement_accepted=True
        )
        points = Decimal(number % 23)
        Grade.objects.create(
            version=version,
            submission=submission,
            state=Grade.State.RELEASED,
            released_at=moment,
            points=points,
            percent=(points * 100 / 22).quantize(Decimal("0.01")),
        )
        control_scores_save(course=cast.course, by=None, scores={(student.pk, "rk1"): Decimal(60)})


def xlsx_url(cast, group=None):
    url = reverse("grading:gradebook_xlsx", args=[cast.course.pk])
    return f"{url}?group={quote(group)}" if group else url


def pdf_url(cast, group=None):
    url = reverse("grading:gradebook_pdf", args=[cast.course.pk])
    return f"{url}?group={quote(group)}" if group else url


def record_url(cast, student):
    return reverse("grading:student_record_pdf", args=[cast.course.pk, student.pk])


def staff_book(cast, group=None):
    return build_gradebook(cast.course, include_drafts=True, group=group, sort="group")


def layout_text(content):
    """The PDF's text as pdftotext lays it out: one printed line per line, columns kept apart by spaces."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def reading_text(content):
    """The PDF's text in reading order, whitespace collapsed, so that a cell wrapped over lines reads whole."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return flat(result.stdout.decode())


def flat(text):
    return " ".join(text.split())


def page_count(content):
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[-1])


def open_sheet(content):
    workbook = load_workbook(io.BytesIO(content), read_only=False, data_only=False)
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def header_row(sheet):
    """The number of the table's header row: the one that starts with "Студент"."""
    return next(cell.row for cell in sheet["A"] if cell.value == "Студент")


def headings(sheet):
    return [cell.value for cell in sheet[header_row(sheet)]]


def row_of(sheet, name):
    return next(row for row in sheet.iter_rows(min_row=header_row(sheet) + 1) if row[0].value == name)


def column(sheet, heading):
    return headings(sheet).index(heading)


def gettext_kk(message):
    with translation.override("kk"):
        return translation.gettext(message)


# Access first -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [xlsx_url, pdf_url])
def test_anonymous_visitors_are_sent_to_sign_in_for_the_course_exports(client, cast, url):
    response = client.get(url(cast))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitors_are_sent_to_sign_in_for_a_record(client, cast):
    response = client.get(record_url(cast, cast.student))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [xlsx_url, pdf_url])
@pytest.mark.parametrize("who", ["student", "classmate", "other_student"])
def test_students_do_not_get_the_course_exports(login, cast, url, who):
    assert login(getattr(cast, who)).get(url(cast)).status_code in (403, 404)


@pytest.mark.parametrize("url", [xlsx_url, pdf_url])
@pytest.mark.parametrize("who", ["other_instructor", "other_dept_admin"])
def test_another_departments_admin_and_another_courses_instructor_get_404(login, cast, url, who):
    assert login(getattr(cast, who)).get(url(cast)).status_code == 404


def test_an_instructor_of_the_department_who_does_not_teach_the_course_gets_404(login, cast):
    colleague = make_user("colleague", Role.INSTRUCTOR, cast.department)
    assert login(colleague).get(xlsx_url(cast)).status_code == 404


@pytest.mark.parametrize("url", [xlsx_url, pdf_url])
@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
def test_the_courses_instructor_and_its_departments_admin_get_the_course_exports(login, cast, url, who):
    assert login(getattr(cast, who)).get(url(cast)).status_code == 200


def test_the_exports_answer_only_get(login, cast):
    client = login(cast.instructor)
    assert client.post(xlsx_url(cast)).status_code == 405
    assert client.post(pdf_url(cast)).status_code == 405
    assert client.post(record_url(cast, cast.student)).status_code == 405


def test_a_student_gets_their_own_record(login, cast):
    response = login(cast.student).get(record_url(cast, cast.student))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("who", ["student", "other_student"])
def test_a_student_does_not_get_a_classmates_record(login, cast, who):
    assert login(getattr(cast, who)).get(record_url(cast, cast.classmate)).status_code == 404


@pytest.mark.parametrize("who", ["other_instructor", "other_dept_admin"])
def test_another_departments_staff_do_not_get_a_record(login, cast, who):
    assert login(getattr(cast, who)).get(record_url(cast, cast.student)).status_code == 404


@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
def test_the_courses_staff_get_any_of_its_students_records(login, cast, who):
    assert login(getattr(cast, who)).get(record_url(cast, cast.classmate)).status_code == 200


def test_the_staff_do_not_get_the_record_of_someone_not_on_the_roster(login, cast):
    assert login(cast.instructor).get(record_url(cast, cast.other_student)).status_code == 404


# The responses ------------------------------------------------------------------------------


def test_the_workbook_is_a_private_download_named_for_the_course_and_the_group(login, cast):
    response = login(cast.instructor).get(xlsx_url(cast, "СЖ-23-01"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    name = gettext_kk("%(code)s — %(group)s — gradebook") % {"code": "CM-7B11401", "group": "СЖ-23-01"}
    assert quote(f"{name}.xlsx") in disposition


def test_the_grade_sheet_is_a_private_pdf_download(login, cast):
    response = login(cast.instructor).get(pdf_url(cast))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")
    expected = gettext_kk("%(code)s — %(group)s — gradebook") % {
        "code": "CM-7B11401",
        "group": gettext_kk("all groups"),
    }
    assert quote(f"{expected}.pdf") in response["Content-Disposition"]


def test_the_record_is_a_private_pdf_named_for_the_student(login, cast):
    response = login(cast.student).get(record_url(cast, cast.student))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert quote("CM-7B11401 — Әбілқасымова Әсел.pdf") in response["Content-Disposition"]


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


def test_a_draft_grade_is_marked_and_left_out_of_the_total(graded):
    book = staff_book(graded)
    sheet = open_sheet(workbook_bytes(book, language="kk"))
    cells = row_of(sheet, "Бекмұратов Нұрлан")
    assert cells[2].value == "15,2 *"  # as the page shows it: a draft, seen by staff only
    assert cells[2].data_type == "s"
    assert next(row for row in book.rows if row.student == graded.classmate).total == 0


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


def test_a_group_filter_exports_that_group_only(login, graded):
    response = login(graded.instructor).get(xlsx_url(graded, "СЖ-23-02"))
    sheet = open_sheet(response.content)
    names = [row[0].value for row in sheet.iter_rows(min_row=header_row(sheet) + 1)]
    assert names == ["Бекмұратов Нұрлан"]


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
    assert text.count("РД") >= pages  # the table's header on every page


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


def test_the_students_own_record_shows_released_grades_only(login, graded):
    text = flat(layout_text(login(graded.classmate).get(record_url(graded, graded.classmate)).content))
    assert "15,2" not in text  # the classmate's essay grade is still a draft
    staff = flat(layout_text(login(graded.instructor).get(record_url(graded, graded.classmate)).content))
    assert "15,2 *" in staff


def test_the_record_carries_the_sign_off(graded):
    gradebook_lock(course=graded.course, by=graded.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    gradebook_sign_off(course=graded.course, by=graded.dept_admin)
    text = flat(layout_text(student_record_pdf_bytes(graded.course, graded.student, language="kk")))
    assert "Нұрғалиев Ерлан" in text


# Queries ------------------------------------------------------------------------------------


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "most"),
    [(xlsx_url, 14), (pdf_url, 14), (lambda cast: record_url(cast, cast.student), 16)],
    ids=["xlsx", "pdf", "record"],
)
def test_an_exports_queries_do_not_grow_with_the_class(login, cast, url, most, django_assert_max_num_queries):
    """Session, user, course, the gradebook's fixed queries, sign-off and instructors: at 3 and at 30 students."""
    client = login(cast.instructor)
    enrol_graded(cast, 1)  # three students
    queries_for(client, url(cast))  # warm caches such as the content types
    with django_assert_max_num_queries(most):
        assert client.get(url(cast)).status_code == 200
    small = queries_for(client, url(cast))
    enrol_graded(cast, 27, start=1)  # thirty students
    with django_assert_max_num_queries(most):
        assert client.get(url(cast)).status_code == 200
    assert queries_for(client, url(cast)) == small
