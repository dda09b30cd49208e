"""The department admin opens a course's gradebook, filters a group, sees the chart and downloads both exports."""

import subprocess

import openpyxl
import pytest
from playwright.sync_api import expect

from demo.courses import DEMO_PASSWORD, demo_load
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_department_admin_reviews_a_gradebook(page, live_server, tmp_path):
    course, _other = demo_load()
    sign_in(page, live_server, "deptadmin1", DEMO_PASSWORD)

    row = page.locator("tr", has_text="Кейс-менеджмент (Тәжірбелік қолдану)")
    expect(row.locator(".completion")).to_be_visible()
    row.locator(f'a[href="/courses/{course.pk}/gradebook/"]').click()

    table = page.locator("table.gradebook-table")
    expect(table.locator("tbody tr[data-student]")).to_have_count(24)
    page.locator("#gb-group").select_option("СЖ-23-02")
    page.locator(".gradebook-filter button[type=submit]").click()
    expect(table.locator("tbody tr[data-student]")).to_have_count(12)
    expect(table.locator('tr[data-student="student13"]')).to_be_visible()
    expect(table.locator('tr[data-student="student1"]')).to_have_count(0)
    charts = page.locator("svg.distribution")
    expect(charts.first).to_be_visible()
    expect(charts.nth(1).locator("rect.filled").first).to_be_visible()  # СӨЖ 1 has released grades
    page.screenshot(path=tmp_path / "gradebook.png", full_page=True)

    # A file of the gradebook opens its own page; with no queue configured it is ready at once.
    page.get_by_role("button", name="Excel").click()
    expect(page.locator(".job-card")).to_have_attribute("data-job", "done")
    page.screenshot(path=tmp_path / "job.png", full_page=True)
    with page.expect_download() as excel:
        page.locator("[data-download]").click()
    workbook_path = tmp_path / "gradebook.xlsx"
    excel.value.save_as(workbook_path)
    sheet = openpyxl.load_workbook(workbook_path).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert any("Кейс-менеджмент" in str(value) for value in values)
    assert not any("Әбілқасымова" in str(value) for value in values)  # student1 is in the other group

    page.go_back()
    page.get_by_role("button", name="PDF").click()
    expect(page.locator(".job-card")).to_have_attribute("data-job", "done")
    with page.expect_download() as pdf:
        page.locator("[data-download]").click()
    pdf_path = tmp_path / "gradebook.pdf"
    pdf.value.save_as(pdf_path)
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True)
    assert "СЖ-23-02" in text.stdout
    assert "Әлеуметтану және әлеуметтік жұмыс кафедрасы" in " ".join(text.stdout.split())
