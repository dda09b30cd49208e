"""The roster import (coursework/forms/rosters.py reads the file, coursework/services/rosters.py plans and applies).

The helpers at the top make roster files; tests/coursework/test_roster_views.py and tests/e2e/test_roster_import.py
use them too.
"""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from accounts.models import Role, User
from coursework.forms import rosters as roster_forms
from coursework.forms.rosters import MAX_ROWS, RosterUploadForm, read_roster, roster_template_bytes
from coursework.models import Enrollment, RosterImport
from coursework.services.rosters import Outcome, reason_text, roster_import_apply, roster_import_create, roster_plan
from tests.conftest import make_user
from tests.portfolio import bombs

pytestmark = pytest.mark.django_db

HEADINGS = ("Аты-жөні", "Студенттің ID", "Топ", "Электрондық пошта", "Тіл")
# Women on even rows, men on odd rows; the lists' lengths (6, 5, 7) keep 420 names apart.
NAMES = (
    (
        ("Әбілқасымова", "Жақыпова", "Серікбаева", "Иванова", "Нұрғалиева", "Омарова"),
        ("Әсел", "Сәуле", "Айгүл", "Мария", "Гүлнар"),
        ("Нұрланқызы", "Ерланқызы", "Маратқызы", "Сергеевна", "Болатқызы", "Асқарқызы", "Викторовна"),
    ),
    (
        ("Бекмұратов", "Құдайбергенов", "Ким", "Өмірзақов", "Ұлықбеков", "Сейітов"),
        ("Нұрлан", "Ерлан", "Дәурен", "Олег", "Қайрат"),
        ("Серікұлы", "Болатұлы", "Қайратұлы", "Ильич", "Маратұлы", "Ержанұлы", "Андреевич"),
    ),
)


def full_name(n):
    surnames, given, patronymics = NAMES[n % 2]
    k = n // 2
    return f"{surnames[k % 6]} {given[k % 5]} {patronymics[k % 7]}"


def student_rows(count, start=0, groups=("СЖ-23-01", "СЖ-23-02")):
    """``count`` realistic rows: full name, student ID, group, e-mail, language."""
    return [
        (full_name(n), f"2023{n:05d}", groups[n % len(groups)], f"student{n}@example.kz", ("kk", "ru", "en", "")[n % 4])
        for n in range(start, start + count)
    ]


def xlsx_bytes(rows, headings=HEADINGS, above=()):
    """An .xlsx of ``rows`` under ``headings`` (and any rows ``above`` them, such as a title)."""
    book = Workbook()
    sheet = book.active
    for row in (*above, headings, *rows):
        sheet.append(list(row))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def xlsx_file(rows, name="тізім.xlsx", **options):
    return SimpleUploadedFile(name, xlsx_bytes(rows, **options))


def csv_file(rows, headings=HEADINGS, delimiter=";", encoding="utf-8", name="тізім.csv"):
    text = "\r\n".join(delimiter.join(row) for row in (headings, *rows)) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding))


def with_sheet(xlsx, write):
    """``xlsx`` with its first sheet's XML replaced by what ``write(stream)`` writes (streamed, deflated)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            if part.filename == "xl/worksheets/sheet1.xml":
                with target.open(part.filename, "w", force_zip64=True) as stream:
                    write(stream)
            else:
                target.writestr(part, source.read(part.filename))
    return output.getvalue()


def sheet_of_rows(rows):
    """A writer of sheet XML with ``rows`` (tuples of text) in inline strings, its size declared as Excel does."""

    def write(stream):
        stream.write(b'<?xml version="1.0" encoding="UTF-8"?>')
        stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        stream.write(f'<dimension ref="A1:E{len(rows)}"/><sheetData>'.encode())
        for index, row in enumerate(rows, start=1):
            cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in row)
            stream.write(f'<row r="{index}">{cells}</row>'.encode())
        stream.write(b"</sheetData></worksheet>")

    return write


def plan(cast, upload):
    return roster_plan(course=cast.course, inputs=read_roster(upload))


def imported(cast, upload):
    return roster_import_create(
        course=cast.course, file_name=upload.name, inputs=read_roster(upload), uploaded_by=cast.dept_admin
    )


def outcomes(rows):
    return [row["outcome"] for row in rows]


def codes(row):
    return [reason["code"] for reason in row["errors"]]


def refused(upload):
    with pytest.raises(ValidationError) as caught:
        read_roster(upload)
    return caught.value


# Reading files ----------------------------------------------------------------------------------------------


def test_the_template_reads_back_with_the_rows_written_under_its_headings():
    book = load_workbook(io.BytesIO(roster_template_bytes()))
    sheet = book.worksheets[0]
    for row in student_rows(3):
        sheet.append(list(row))
    output = io.BytesIO()
    book.save(output)
    rows = read_roster(SimpleUploadedFile("template.xlsx", output.getvalue()))
    assert [row["number"] for row in rows] == ["202300000", "202300001", "202300002"]
    assert rows[0] == {
        "line": 2,
        "name": "Әбілқасымова Әсел Нұрланқызы",
        "number": "202300000",
        "group": "СЖ-23-01",
        "email": "student0@example.kz",
        "language": "kk",
    }


def test_the_template_offers_the_languages_as_a_drop_down_and_explains_itself():
    book = load_workbook(io.BytesIO(roster_template_bytes()))
    roster, notes = book.worksheets
    assert roster.max_row == 1  # headings only: nothing to delete before filling it in
    (choices,) = roster.data_validations.dataValidation
    assert choices.type == "list"
    assert choices.formula1 == '"kk,ru,en"'
    assert str(choices.sqref) == f"E2:E{MAX_ROWS + 1}"
    with translation.override("kk"):
        kk = translation.gettext("How to fill in the roster")
    with translation.override("ru"):
        ru = translation.gettext("How to fill in the roster")
    assert (notes["A1"].value, notes["B1"].value) == (kk, ru)
    assert notes.max_row >= 8


@pytest.mark.parametrize(
    "headings",
    [
        ("E-mail", "Топ", "Аты-жөні", "Тіл", "Студенттің ID"),
        ("Эл. почта", "Группа", "ФИО", "Язык", "ID студента"),
        ("e-mail", "group", "FULL NAME", "Language", "student id"),
        (" электронная  почта ", "ГРУППА", "Ф.И.О.", "язык обучения", "Студенттің  id"),
    ],
)
def test_registrar_headings_in_kazakh_russian_or_english_in_any_order_are_recognised(headings):
    row = ("student@example.kz", "СЖ-23-01", "Бекмұратов Нұрлан Серікұлы", "орысша", "202300001")
    (read,) = read_roster(xlsx_file([row], headings=headings))
    assert read == {
        "line": 2,
        "name": "Бекмұратов Нұрлан Серікұлы",
        "number": "202300001",
        "group": "СЖ-23-01",
        "email": "student@example.kz",
        "language": "ru",
    }


def test_the_headings_may_come_below_a_title_and_the_language_column_is_optional():
    rows = read_roster(
        xlsx_file(
            [("Жақыпова Сәуле", 202300007.0, "СЖ-23-02", "saule@example.kz")],
            headings=("ФИО", "ID студента", "Группа", "E-mail"),
            above=[("Список студентов группы СЖ-23-02",), ()],
        )
    )
    assert rows == [
        {
            "line": 4,
            "name": "Жақыпова Сәуле",
            "number": "202300007",  # a number cell, read as 202300007.0
            "group": "СЖ-23-02",
            "email": "saule@example.kz",
            "language": "",
        }
    ]


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("utf-8", ";", False), ("utf-8", ",", True), ("cp1251", ";", False), ("cp1251", ",", False)],
)
def test_csv_is_read_in_utf8_with_or_without_bom_or_windows_1251_with_either_delimiter(encoding, delimiter, bom):
    upload = csv_file(
        [("Иванова Мария Сергеевна", "202300001", "СЖ-23-01", "maria@example.kz", "ru")],
        headings=("ФИО", "ID студента", "Группа", "Эл. почта", "Язык"),
        delimiter=delimiter,
        encoding=encoding,
    )
    if bom:
        upload = SimpleUploadedFile(upload.name, b"\xef\xbb\xbf" + upload.read())
    (row,) = read_roster(upload)
    assert (row["name"], row["group"], row["email"], row["language"]) == (
        "Иванова Мария Сергеевна",
        "СЖ-23-01",
        "maria@example.kz",
        "ru",
    )


def test_a_cell_that_looks_like_a_formula_is_kept_as_the_text_it_holds():
    upload = csv_file([('=HYPERLINK("http://x") Әсел', "202300001", "+СЖ-23-01", "a@example.kz", "")])
    (row,) = read_roster(upload)
    assert row["name"] == '=HYPERLINK("http://x") Әсел'
    assert row["group"] == "+СЖ-23-01"


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("тізім.xlsx", bytes(range(256)) * 40),
        SimpleUploadedFile("тізім.csv", bytes(range(256)) * 40),
        SimpleUploadedFile("тізім.xlsx", b"PK\x03\x04 not really a zip archive"),
    ],
    ids=["random bytes as xlsx", "random bytes as csv", "a broken zip"],
)
def test_a_file_that_is_not_a_table_is_refused(upload):
    assert refused(upload).code == "not_a_table"


def test_a_word_document_renamed_to_xlsx_or_csv_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert refused(SimpleUploadedFile("тізім.xlsx", output.getvalue())).code == "not_a_table"
    assert refused(SimpleUploadedFile("тізім.csv", output.getvalue())).code == "not_a_table"


def test_an_empty_file_is_refused_by_the_form_with_its_own_message():
    form = RosterUploadForm(files={"file": SimpleUploadedFile("тізім.xlsx", b"")})
    assert not form.is_valid()
    assert form.errors["file"] == [translation.gettext("«%(name)s» is empty.") % {"name": "тізім.xlsx"}]
    assert refused(SimpleUploadedFile("тізім.csv", b" \r\n")).code == "empty"


def test_other_kinds_of_file_are_refused_with_what_to_do():
    assert refused(SimpleUploadedFile("тізім.xls", b"\xd0\xcf\x11\xe0")).code == "old_excel"
    assert refused(SimpleUploadedFile("тізім.pdf", b"%PDF-1.4")).code == "extension"


def test_missing_columns_are_named():
    error = refused(xlsx_file([("Ким Олег", "СЖ-23-01")], headings=("ФИО", "Группа")))
    assert error.code == "columns"
    assert error.params["columns"] == ", ".join(translation.gettext(text) for text in ("Student ID", "E-mail"))


def test_a_table_without_any_known_heading_names_every_required_column():
    error = refused(csv_file([("1", "2")], headings=("A", "B")))
    assert error.params["columns"].count(",") == 3


def test_headings_without_students_are_refused():
    assert refused(xlsx_file([])).code == "no_rows"


def test_an_xlsx_zip_bomb_is_refused_before_openpyxl_unpacks_it():
    def hundreds_of_megabytes(stream):
        row = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
        stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        chunk = row * 1000
        for _ in range(300):  # 300 × 1000 rows of a kilobyte: about 310 MB
            stream.write(chunk)
        stream.write(b"</sheetData></worksheet>")

    bomb = with_sheet(xlsx_bytes([]), hundreds_of_megabytes)
    assert len(bomb) < 2 * 1024 * 1024
    started = time.perf_counter()
    error = refused(SimpleUploadedFile("тізім.xlsx", bomb))
    assert error.code == "zip_bomb"
    assert time.perf_counter() - started < 1


def test_a_workbook_of_millions_of_empty_shared_strings_is_refused_quickly_with_a_message():
    # The workbook of issue 15 (its one row refers to the last of ten million shared strings), packed under the zip
    # check's ratio, so that only the work reading it would take can stop it.
    bomb = SimpleUploadedFile("тізім.xlsx", bombs.shared_strings_bomb(noise=0.03))
    assert bomb.size < 1024 * 1024
    started = time.perf_counter()
    with translation.override("en"):
        form = RosterUploadForm(files={"file": bomb})
        valid = form.is_valid()

    # Well inside READ_SECONDS (10 s): the count of elements stops it, not the clock (about 0.3 s on an idle machine;
    # the bound leaves room for a machine busy with other tests).
    assert time.perf_counter() - started < 8
    assert not valid and form.errors.as_data()["file"][0].code == "too_much_work"
    assert form.errors["file"] == [
        "“тізім.xlsx” would take far more work to read than a roster needs, so it was not read. Save the roster again "
        "from your spreadsheet program, or as .csv, and upload that."
    ]


@pytest.fixture(scope="module")
def hundred_thousand_rows():
    return with_sheet(xlsx_bytes([]), sheet_of_rows([HEADINGS, *student_rows(100_000)]))


def test_a_file_of_100000_rows_is_refused_quickly(hundred_thousand_rows):
    started = time.perf_counter()
    error = refused(SimpleUploadedFile("тізім.xlsx", hundred_thousand_rows))
    assert error.code == "too_many_rows"
    assert error.params["limit"] == "10\xa0000"  # 10 000, as Kazakh writes it
    # Reading stops at the row after the limit: about a second here (the rest of the file is never parsed).
    assert time.perf_counter() - started < 20


def test_refusing_a_long_file_holds_only_a_few_rows_in_memory(hundred_thousand_rows, monkeypatch):
    monkeypatch.setattr(roster_forms, "MAX_ROWS", 1000)  # the same reading, ten times shorter under tracemalloc
    tracemalloc.start()
    try:
        error = refused(SimpleUploadedFile("тізім.xlsx", hundred_thousand_rows))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "too_many_rows"
    assert peak < 8 * 1024 * 1024  # the file unpacks to 31 MB; its 100,000 rows as dicts would take far more


def test_a_csv_of_100000_rows_is_refused_too():
    assert refused(csv_file(student_rows(100_000))).code == "too_many_rows"


def test_a_file_over_the_size_limit_is_refused():
    assert refused(SimpleUploadedFile("тізім.csv", b"x" * (roster_forms.MAX_FILE_SIZE + 1))).code == "too_large"
    marked = SimpleUploadedFile("тізім.csv", b"x" * 10)
    marked.too_large = True  # as portfolio.uploads.HashingUploadHandler marks a file past its own cap
    assert refused(marked).code == "too_large"


# Planning -----------------------------------------------------------------------------------------------------


def test_a_good_file_plans_a_new_account_for_everyone_and_writes_nothing(cast):
    users = User.objects.count()
    roster_import = imported(cast, xlsx_file(student_rows(4)))
    assert outcomes(roster_import.rows) == [Outcome.NEW] * 4
    assert roster_import.rows[0]["username"] == "202300000"
    assert roster_import.applied_at is None
    assert User.objects.count() == users
    assert cast.course.enrollments.count() == 2


def test_existing_accounts_are_recognised_by_student_id(cast):
    User.objects.filter(pk=cast.student.pk).update(student_number="202300000")  # СЖ-23-01 already
    User.objects.filter(pk=cast.classmate.pk).update(student_number="202300001")  # СЖ-23-02, file says СЖ-23-01
    User.objects.filter(pk=cast.other_student.pk).update(student_number="202300002")  # another course's student
    rows = plan(cast, xlsx_file(student_rows(3, groups=("СЖ-23-01",))))
    assert outcomes(rows) == [Outcome.ENROLLED, Outcome.GROUP, Outcome.ENROL]
    assert rows[1]["previous_group"] == "СЖ-23-02"
    assert [row["user"] for row in rows] == [cast.student.pk, cast.classmate.pk, cast.other_student.pk]


BAD_ROWS = [
    (("", "202300001", "СЖ-23-01", "a@example.kz", ""), "name_missing"),
    (("Бекмұратов", "202300001", "СЖ-23-01", "a@example.kz", ""), "name_incomplete"),
    (("Б?км?ратов Н?рлан", "202300001", "СЖ-23-01", "a@example.kz", ""), "name_mangled"),
    (("Бекмұратов Нұрлан", "", "СЖ-23-01", "a@example.kz", ""), "number_missing"),
    (("Бекмұратов Нұрлан", "2023 #1", "СЖ-23-01", "a@example.kz", ""), "number_invalid"),
    (("Бекмұратов Нұрлан", "202300001", "", "a@example.kz", ""), "group_missing"),
    (("Бекмұратов Нұрлан", "202300001", "С" * 31, "a@example.kz", ""), "group_too_long"),
    (("Бекмұратов Нұрлан", "202300001", "СЖ-23-01", "", ""), "email_missing"),
    (("Бекмұратов Нұрлан", "202300001", "СЖ-23-01", "a@example", ""), "email_invalid"),
    (("Бекмұратов Нұрлан", "202300001", "СЖ-23-01", "a@example.kz", "немісше"), "language_unknown"),
]


@pytest.mark.parametrize(("row", "code"), BAD_ROWS, ids=[code for _row, code in BAD_ROWS])
def test_each_kind_of_bad_row_is_an_error_with_its_reason(cast, row, code):
    good = student_rows(1, start=5)
    rows = plan(cast, xlsx_file([*good, row]))
    assert outcomes(rows) == [Outcome.NEW, Outcome.ERROR]
    assert codes(rows[1]) == [code]
    assert reason_text(rows[1]["errors"][0])  # a sentence for every code


def test_an_id_or_e_mail_written_twice_makes_both_rows_errors(cast):
    rows = plan(
        cast,
        xlsx_file(
            [
                ("Ким Олег Ильич", "202300001", "СЖ-23-01", "oleg@example.kz", ""),
                ("Ким Мария", "202300001", "СЖ-23-01", "maria@example.kz", ""),
                ("Иванова Мария", "202300002", "СЖ-23-01", "OLEG@example.kz", ""),
            ]
        ),
    )
    assert outcomes(rows) == [Outcome.ERROR] * 3
    assert codes(rows[0]) == ["number_repeated", "email_repeated"]
    assert rows[0]["errors"][0]["params"] == {"lines": "3"}
    assert codes(rows[1]) == ["number_repeated"]
    assert codes(rows[2]) == ["email_repeated"]


def test_a_value_repeated_on_every_line_is_reported_briefly_and_quickly(cast):
    rows = [(full_name(n), f"2023{n:05d}", "СЖ-23-01", "none@example.kz", "") for n in range(MAX_ROWS)]
    started = time.perf_counter()
    planned = roster_plan(course=cast.course, inputs=read_roster(csv_file(rows)))
    assert time.perf_counter() - started < 20
    assert planned[0]["errors"] == [{"code": "email_repeated", "params": {"lines": "3, 4, 5, 6, 7, …"}}]


def test_an_id_of_a_staff_account_and_an_e_mail_of_another_person_are_errors(cast):
    User.objects.filter(pk=cast.instructor.pk).update(student_number="202300000")
    User.objects.filter(pk=cast.student.pk).update(email="Asel@Example.kz")
    rows = plan(
        cast,
        xlsx_file(
            [
                ("Жақыпова Сәуле", "202300000", "СЖ-23-01", "saule@example.kz", ""),
                ("Жаңа Студент", "202300009", "СЖ-23-01", "asel@example.kz", ""),
            ]
        ),
    )
    assert codes(rows[0]) == ["number_not_student"]
    assert rows[0]["errors"][0]["params"] == {"name": "Жақыпова Сәуле"}
    assert codes(rows[1]) == ["email_taken"]


def test_a_student_id_taken_as_someone_elses_username_gets_a_suffix(cast):
    make_user("202300000", Role.STUDENT, cast.department)
    make_user("202300000-2", Role.STUDENT, cast.department)
    (row,) = plan(cast, xlsx_file(student_rows(1)))
    assert row["username"] == "202300000-3"


def test_reasons_are_kept_as_codes_and_read_in_the_readers_language(cast):
    roster_import = imported(cast, xlsx_file([("Ким", "202300001", "СЖ-23-01", "oleg@example.kz", "")]))
    reason = roster_import.rows[0]["errors"][0]
    assert reason == {"code": "name_incomplete", "params": {}}
    with translation.override("ru"):
        russian = reason_text(reason)
        assert russian == translation.gettext("Write the surname and the given name (and the patronymic, if any).")


# Applying -----------------------------------------------------------------------------------------------------


def test_applying_a_good_file_creates_accounts_enrols_and_mails_set_password_links(
    cast, client, django_capture_on_commit_callbacks
):
    roster_import = imported(cast, xlsx_file(student_rows(4)))
    with django_capture_on_commit_callbacks(execute=True):
        counts = roster_import_apply(roster_import=roster_import, applied_by=cast.dept_admin)
    assert counts[Outcome.NEW] == 4
    new = User.objects.get(student_number="202300001")
    assert (new.last_name, new.first_name, new.middle_name) == ("Бекмұратов", "Нұрлан", "Серікұлы")
    assert (new.username, new.email, new.preferred_language) == ("202300001", "student1@example.kz", "ru")
    assert (new.role, new.department) == (Role.STUDENT, cast.department)
    assert not is_password_usable(new.password)
    assert Enrollment.objects.get(course=cast.course, student=new).academic_group == "СЖ-23-02"
    assert cast.course.enrollments.count() == 6
    roster_import.refresh_from_db()
    assert roster_import.applied_by == cast.dept_admin
    assert roster_import.rows[1]["user"] == new.pk

    assert sorted(message.to[0] for message in mail.outbox) == [f"student{n}@example.kz" for n in range(4)]
    (russian,) = [message for message in mail.outbox if message.to == ["student1@example.kz"]]
    with translation.override("ru"):
        assert russian.subject == translation.gettext("Set your password for the course portal")
    link = next(line for line in russian.body.splitlines() if "/accounts/reset/" in line).strip()

    # The link works: it opens the set-password form, the password is set, and the student signs in with it.
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Көктем-2025-бақ", "new_password2": "Көктем-2025-бақ"}
    )
    assert response.status_code == 302
    signed_in = client.post(reverse("login"), {"username": "202300001", "password": "Көктем-2025-бақ"})
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session
    assert not client.get(link, follow=True).context["validlink"]  # used once


def test_applying_the_same_file_twice_changes_nothing_the_second_time(cast, django_capture_on_commit_callbacks):
    upload = xlsx_bytes(student_rows(5))
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_apply(
            roster_import=imported(cast, SimpleUploadedFile("a.xlsx", upload)), applied_by=cast.dept_admin
        )
    users, enrolments, sent = User.objects.count(), Enrollment.objects.count(), len(mail.outbox)
    again = imported(cast, SimpleUploadedFile("a.xlsx", upload))
    assert outcomes(again.rows) == [Outcome.ENROLLED] * 5
    with django_capture_on_commit_callbacks(execute=True):
        counts = roster_import_apply(roster_import=again, applied_by=cast.dept_admin)
    assert counts[Outcome.ENROLLED] == 5
    assert (User.objects.count(), Enrollment.objects.count(), len(mail.outbox)) == (users, enrolments, sent)


def test_an_import_is_applied_at_most_once(cast):
    roster_import = imported(cast, xlsx_file(student_rows(2)))
    roster_import_apply(roster_import=roster_import, applied_by=cast.dept_admin)
    with pytest.raises(ValidationError) as caught:
        roster_import_apply(roster_import=roster_import, applied_by=cast.dept_admin)
    assert caught.value.code == "applied"
    assert User.objects.filter(student_number__startswith="2023").count() == 2


def test_applying_is_refused_while_a_row_has_an_error_and_nothing_is_written(cast):
    users = User.objects.count()
    rows = [*student_rows(3), ("Ким", "202300009", "СЖ-23-01", "kim@example.kz", "")]
    roster_import = imported(cast, xlsx_file(rows))
    with pytest.raises(ValidationError) as caught:
        roster_import_apply(roster_import=roster_import, applied_by=cast.dept_admin)
    assert caught.value.code == "row_errors"
    assert caught.value.params == {"count": 1}
    assert User.objects.count() == users
    assert cast.course.enrollments.count() == 2
    roster_import.refresh_from_db()
    assert roster_import.applied_at is None


def test_applying_plans_again_against_the_database_as_it_is_then(cast, django_capture_on_commit_callbacks):
    roster_import = imported(cast, xlsx_file(student_rows(2)))
    # Since the preview, someone took the first student's e-mail address.
    make_user("newcomer", Role.STUDENT, cast.department, email="student0@example.kz")
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        roster_import_apply(roster_import=roster_import, applied_by=cast.dept_admin)
    roster_import.refresh_from_db()
    assert codes(roster_import.rows[0]) == ["email_taken"]  # the preview now shows why
    assert roster_import.applied_at is None
    assert not User.objects.filter(student_number__startswith="2023").exists()
    assert mail.outbox == []


# Queries do not grow with the rows -----------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [(5, 60)])
def test_preview_and_apply_take_as_many_queries_for_few_rows_as_for_many(cast, sizes):
    # Both sizes fit one INSERT on SQLite (Django splits bulk inserts at 999 parameters: 66 accounts).
    counts = []
    for index, size in enumerate(sizes):
        # Each file also moves the classmate to another group.
        User.objects.filter(pk=cast.classmate.pk).update(student_number=f"2023{index * 1000:05d}")
        Enrollment.objects.filter(course=cast.course, student=cast.classmate).update(academic_group="СЖ-23-99")
        rows = read_roster(xlsx_file(student_rows(size, start=index * 1000)))
        with CaptureQueriesContext(connection) as preview:
            created = roster_import_create(
                course=cast.course, file_name="a.xlsx", inputs=rows, uploaded_by=cast.dept_admin
            )
        with CaptureQueriesContext(connection) as apply:
            roster_import_apply(roster_import=created, applied_by=cast.dept_admin)
        counts.append((len(preview), len(apply)))
    assert counts[0] == counts[1]
    assert RosterImport.objects.filter(applied_at__isnull=False).count() == 2
