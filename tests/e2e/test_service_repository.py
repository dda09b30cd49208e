"""A student downloads the repository template, hands in a filled one with two wrong rows, reads the report, fixes
the rows and hands in again; the department's directory then lists the services and finds one by category and
region."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from coursework.models import Task
from demo.portfolios import REPOSITORY_MISTAKES, repository_rows
from portfolio.models import RepositoryRow, Version
from portfolio.repository.columns import COLUMNS
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def filled(template_bytes, rows):
    """The downloaded template with ``rows`` written below its example row, as a student fills it in."""
    book = load_workbook(io.BytesIO(template_bytes))
    sheet = book.worksheets[0]
    for line, row in enumerate(rows, start=3):
        for index, column in enumerate(COLUMNS, start=1):
            if row.get(column.key) not in (None, ""):
                sheet.cell(row=line, column=index, value=row[column.key])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def hand_in(page, path, replacing=None):
    if replacing:
        page.locator(f'.draft-files li[data-name="{replacing}"] button').click()
    page.locator("#id_files").set_input_files(path)
    page.locator("#id_own_work").check()
    page.locator("#id_deidentified").check()
    page.get_by_role("button", name="Тапсыру", exact=True).click()


def test_a_student_fixes_the_rows_the_check_names_and_the_directory_finds_the_services(
    page, live_server, cast, tmp_path
):
    task = Task.objects.get(course=cast.course, label="СӨЖ 1")
    task_page = f"{live_server.url}/courses/{cast.course.pk}/tasks/{task.pk}/"
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(task_page)
    with page.expect_download() as download:
        page.locator("a.repository-template-link").click()
    template = download.value.path().read_bytes()

    good = repository_rows(count=6)
    first = tmp_path / "Репозиторий.xlsx"
    first.write_bytes(filled(template, [*good, REPOSITORY_MISTAKES["phone"], REPOSITORY_MISTAKES["category"]]))
    hand_in(page, first)

    report = page.locator(".repository-check")
    expect(report.locator(".repository-totals")).to_contain_text("8")
    problems = report.locator(".repository-problems li")
    expect(problems).to_have_count(2)
    expect(report.locator('.repository-problems li[data-row="9"]')).to_be_visible()  # the wrong phone, row 9
    expect(report.locator('.repository-problems li[data-row="10"]')).to_be_visible()  # the unknown category
    page.screenshot(path=tmp_path / "report-with-problems.png", full_page=True)
    assert RepositoryRow.objects.count() == 6  # only the valid rows are kept

    fixed = tmp_path / "Репозиторий_түзетілген.xlsx"
    fixed.write_bytes(filled(template, repository_rows(count=8)))
    page.goto(task_page)
    hand_in(page, fixed, replacing="Репозиторий.xlsx")
    expect(page.locator(".repository-check .alert-success")).to_be_visible()  # every row is valid
    latest = Version.objects.get(is_latest=True)
    assert latest.number == 2 and latest.rows.count() == 8

    page.goto(f"{live_server.url}/directory/")
    expect(page.locator("#directory-count")).to_contain_text("8")
    page.locator("#id_category").select_option("domestic_violence")
    page.locator("#id_region").select_option("almaty_city")
    page.get_by_role("button", name="Іздеу").click()
    expect(page.locator("#directory-count")).to_contain_text("1")
    expect(page.locator("main")).to_contain_text("«Жан» дағдарыс орталығы")
    page.screenshot(path=tmp_path / "directory.png", full_page=True)
