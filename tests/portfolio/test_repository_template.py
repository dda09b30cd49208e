"""The service repository template (portfolio/repository/template.py) re-read with openpyxl and through LibreOffice,
and its download (portfolio/views/repository.py)."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from demo.portfolios import fill_repository_template, repository_rows
from portfolio.repository.check import check_repository
from portfolio.repository.columns import COLUMNS, HEADINGS, heading_key
from portfolio.repository.template import (
    INLINE_LIST_LIMIT,
    LISTS_TITLE,
    MAX_ROWS,
    NOTES_TITLE,
    SHEET_TITLE,
    XLSX_CONTENT_TYPE,
    repository_template_bytes,
)
from tests.conftest import PASSWORD

TODAY = dt.date(2025, 10, 1)


@pytest.fixture(scope="module")
def book():
    return load_workbook(io.BytesIO(repository_template_bytes()))


def validations(sheet):
    """{column letter: (formula, sqref)} of the sheet's list validations."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        for cell_range in validation.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = (validation.formula1, str(cell_range))
    return found


def list_values(book, formula):
    """The values a list validation offers: written into it, or in the cells it names on the hidden sheet."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet_name, cells = formula.rsplit("!", 1)
    return [row[0].value for row in book[sheet_name.strip("'")][cells.replace("$", "")]]


# The workbook ---------------------------------------------------------------------------------------------


def test_the_template_has_the_repository_sheet_first_then_the_instructions_and_a_hidden_list_sheet(book):
    assert book.sheetnames == [SHEET_TITLE, NOTES_TITLE, LISTS_TITLE]
    assert [sheet.sheet_state for sheet in book.worksheets] == ["visible", "visible", "hidden"]
    assert book.active.title == SHEET_TITLE


def test_the_columns_come_in_order_headed_in_kazakh_above_russian_and_marked_if_required(book):
    headings = [cell.value for cell in book[SHEET_TITLE][1]]
    assert headings[0] == "Ұйымның атауы *\nНазвание организации *"
    assert headings[7] == "Телефон **"
    assert headings[14] == "Тексерілген күні\nДата проверки"
    keys = [HEADINGS[heading_key(heading.split("\n")[0])] for heading in headings]
    assert keys == [
        "organisation",
        "organisation_type",
        "client_category",
        "services",
        "region",
        "city",
        "address",
        "phone",
        "email",
        "website",
        "eligibility",
        "cost",
        "hours",
        "source",
        "checked_on",
    ]
    assert all(
        HEADINGS[heading_key(heading.split("\n")[-1])] == key for heading, key in zip(headings, keys, strict=True)
    )


def test_the_header_is_frozen_and_the_columns_are_wide_enough(book):
    sheet = book[SHEET_TITLE]
    assert sheet.freeze_panes == "B2"
    widths = [sheet.column_dimensions[chr(ord("A") + index)].width for index in range(len(COLUMNS))]
    assert min(widths) >= 18 and widths[3] == max(widths)
    assert sheet.column_dimensions["H"].number_format == "@"  # phones stay as typed


def test_the_fixed_columns_have_drop_down_lists_of_their_kazakh_and_russian_values(book):
    found = validations(book[SHEET_TITLE])
    assert sorted(found) == ["B", "C", "E", "L"]
    for letter, column in (("B", COLUMNS[1]), ("C", COLUMNS[2]), ("E", COLUMNS[4]), ("L", COLUMNS[11])):
        formula, cells = found[letter]
        assert cells == f"{letter}2:{letter}{MAX_ROWS + 1}"
        values = list_values(book, formula)
        assert values == [term.both for term in column.vocabulary.terms]
        assert all(
            column.vocabulary.code_of(value) == term.code
            for value, term in zip(values, column.vocabulary.terms, strict=True)
        )
    assert "Мемлекеттік орган / Государственный орган" in list_values(book, found["B"][0])
    validation = book[SHEET_TITLE].data_validations.dataValidation[0]
    assert validation.errorStyle == "warning" and validation.showErrorMessage  # pasted words are not refused


def test_lists_longer_than_excels_limit_are_on_the_hidden_sheet_by_range(book):
    found = validations(book[SHEET_TITLE])
    for letter in ("C", "E"):  # client categories, regions
        formula = found[letter][0]
        assert formula.startswith(f"'{LISTS_TITLE}'!$") and "$1:$" in formula
        assert len(",".join(list_values(book, formula))) > INLINE_LIST_LIMIT
    for letter in ("B", "L"):  # organisation types, costs: short enough to be written in
        assert found[letter][0].startswith('"') and len(found[letter][0]) <= INLINE_LIST_LIMIT + 2


def test_the_instruction_sheet_explains_in_kazakh_and_russian_and_lists_the_values(book):
    notes = book[NOTES_TITLE]
    kazakh = [row[0] for row in notes.iter_rows(values_only=True) if row[0]]
    russian = [row[1] for row in notes.iter_rows(values_only=True) if len(row) > 1 and row[1]]
    assert kazakh[0] == "Әлеуметтік қызметтер репозиторийін толтыру тәртібі"
    assert russian[0] == "Как заполнить репозиторий социальных служб"
    text = "\n".join(kazakh + russian)
    assert "МЫСАЛ / ПРИМЕР:" in text and "+7 XXX XXX XX XX" in text and "10 000" in text.replace("\xa0", " ")
    assert "Жертвы бытового насилия" in russian and "Тұрмыстық зорлық-зомбылық құрбандары" in kazakh
    assert "Алматы қаласы" in kazakh and "Западно-Казахстанская область" in russian


def test_the_example_row_is_marked_and_the_check_leaves_it_out(book):
    example = [cell.value for cell in book[SHEET_TITLE][2]]
    assert example[0].startswith("МЫСАЛ / ПРИМЕР:")
    report = check_repository(io.BytesIO(repository_template_bytes()), name="t.xlsx", extension="xlsx", today=TODAY)
    assert report.report["fatal"]["code"] == "no_rows" and report.rows == []
    assert report.report["notes"] == [{"code": "example_skipped", "params": {"row": 2}}]


# Through LibreOffice --------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("extension", ["xlsx", "ods"])
def test_a_filled_template_saved_again_by_libreoffice_still_parses(tmp_path, extension):
    rows = repository_rows(count=6, checked_before=TODAY)
    rows[2]["phone"] = "27-00-01"  # one wrong row
    source = tmp_path / "repository.xlsx"
    source.write_bytes(fill_repository_template(rows))
    output = tmp_path / "lo"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", extension,
         "--outdir", str(output), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    saved = (output / f"repository.{extension}").read_bytes()
    result = check_repository(io.BytesIO(saved), name=f"r.{extension}", extension=extension, today=TODAY)
    original = check_repository(io.BytesIO(source.read_bytes()), name="r.xlsx", extension="xlsx", today=TODAY)
    assert result.report["fatal"] is None
    assert (result.report["rows_read"], result.report["valid"], result.report["with_problems"]) == (6, 5, 1)
    assert result.report["problems"] == original.report["problems"]
    assert result.rows == original.rows
    if extension == "xlsx":
        book = load_workbook(io.BytesIO(saved))
        assert sorted(validations(book[SHEET_TITLE])) == ["B", "C", "E", "L"]


# The download ---------------------------------------------------------------------------------------------


def template_url(task):
    return reverse("portfolio:repository_template", args=[task.course_id, task.pk])


def login(client, user):
    # Through the sign-in form: django-axes needs the request that Client.login() does not pass.
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return client


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(template_url(cast.tasks["СӨЖ 1"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_student", "other_instructor", "other_dept_admin"])
def test_people_of_another_department_do_not_get_the_courses_template(client, cast, who):
    response = login(client, getattr(cast, who)).get(template_url(cast.tasks["СӨЖ 1"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_task_that_is_not_a_service_repository_has_no_template(client, cast):
    assert login(client, cast.student).get(template_url(cast.tasks["СОӨЖ 1"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["student", "instructor", "dept_admin"])
def test_the_courses_people_download_the_template_as_a_private_xlsx(client, cast, who):
    response = login(client, getattr(cast, who)).get(template_url(cast.tasks["СӨЖ 1"]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="service-repository-template.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == SHEET_TITLE
