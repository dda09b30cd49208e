"""A student hands in and resubmits an essay; the instructor finds it, previews it and downloads the ZIP."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from coursework.models import Task
from demo.portfolios import make_docx
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_hand_in_resubmit_and_review(page, live_server, cast, tmp_path):
    essay = Task.objects.select_related("course").get(course=cast.course, label="СОӨЖ 1")
    first = tmp_path / "Әсел_эссе.docx"
    first.write_bytes(make_docx(["Кейс-менеджменттің даму тарихы", "Бірінші нұсқа."]))
    second = tmp_path / "Әсел_эссе_2.docx"
    second.write_bytes(make_docx(["Кейс-менеджменттің даму тарихы", "Екінші нұсқа: толықтырылды."]))

    sign_in(page, live_server, "student", PASSWORD)
    page.goto(f"{live_server.url}/courses/{essay.course_id}/tasks/{essay.pk}/")
    for path in (first, second):
        page.locator("#id_files").set_input_files(path)
        page.get_by_role("button", name="Қараламаға жүктеу").click()
        expect(page.locator(".draft-files")).to_contain_text(path.name)
        page.locator("#id_own_work").check()
        page.locator("#id_deidentified").check()
        page.get_by_role("button", name="Тапсыру", exact=True).click()
        expect(page.locator(".alert").first).to_be_visible()
    versions = page.locator(".versions li")
    expect(versions).to_have_count(2)
    expect(page.locator('[data-version="1"]')).to_be_visible()
    expect(page.locator('[data-version="2"]')).to_contain_text("2")
    # The cast's term is long past, so both versions are flagged late with how late.
    expect(page.locator('[data-version="2"] .status-late')).to_contain_text(re.compile(r"\d+ күн"))
    page.screenshot(path=tmp_path / "student-task.png", full_page=True)

    page.context.clear_cookies()
    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(f"{live_server.url}/courses/{essay.course_id}/tasks/{essay.pk}/queue/")
    row = page.locator('tr[data-student="student"]')
    expect(row).to_contain_text("Әбілқасымова Әсел")
    expect(row.locator("td").nth(4)).to_have_text("2")
    expect(page.locator('tr[data-student="classmate"] .status-missing')).to_be_visible()
    page.screenshot(path=tmp_path / "queue.png", full_page=True)

    row.locator('a[href*="/submissions/"]').last.click()  # "Open" (the other link is "Grade")
    expect(page.locator(".text-preview")).to_contain_text("Екінші нұсқа: толықтырылды.")
    expect(page.locator("#version-1")).to_contain_text("Әсел_эссе.docx")
    page.screenshot(path=tmp_path / "submission.png", full_page=True)

    page.goto(f"{live_server.url}/courses/{essay.course_id}/tasks/{essay.pk}/queue/")
    with page.expect_download() as download_info:
        page.locator('a[href$="/queue/download/"]').click()
    archive_path = tmp_path / "queue.zip"
    download_info.value.save_as(archive_path)
    with zipfile.ZipFile(archive_path) as archive:
        # Version 2 started from version 1's file (it was not removed), and the index leads the archive.
        assert archive.namelist() == [
            "index.csv",
            "СЖ-23-01/Әбілқасымова Әсел — СОӨЖ 1/Әсел_эссе.docx",
            "СЖ-23-01/Әбілқасымова Әсел — СОӨЖ 1/Әсел_эссе_2.docx",
        ]
