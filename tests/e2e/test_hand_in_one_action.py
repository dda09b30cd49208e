"""A student picks a file and hands in without pressing "upload" first: the file is in the version and on the
receipt. The next version starts from it; the instructor sees the statement the student confirmed."""

import re

import pytest
from playwright.sync_api import expect

from coursework.models import Task
from demo.portfolios import make_docx
from portfolio.models import Version
from portfolio.receipts import file_line
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_pick_a_file_and_hand_in_in_one_action(page, live_server, cast, tmp_path):
    essay = Task.objects.get(course=cast.course, label="СОӨЖ 1")
    first = tmp_path / "Әсел_эссе.docx"
    first.write_bytes(make_docx(["Кейс-менеджменттің даму тарихы", "Бірінші нұсқа."]))
    second = tmp_path / "Әсел_эссе_түзетілген.docx"
    second.write_bytes(make_docx(["Кейс-менеджменттің даму тарихы", "Екінші нұсқа."]))
    task_page = f"{live_server.url}/courses/{essay.course_id}/tasks/{essay.pk}/"

    sign_in(page, live_server, "student", PASSWORD)
    page.goto(task_page)
    page.locator("#id_files").set_input_files(first)
    expect(page.locator(".picked-files")).to_contain_text("Әсел_эссе.docx")  # what will go in, before it goes
    page.locator("#id_own_work").check()
    page.locator("#id_deidentified").check()
    page.get_by_role("button", name="Тапсыру", exact=True).click()

    version = Version.objects.get()
    item = version.files.get()
    assert version.state == Version.State.SUBMITTED and item.original_name == "Әсел_эссе.docx"
    # The message and the receipt name the file, its size and the start of its SHA-256.
    message = page.locator(".alert").first
    expect(message).to_contain_text("1-нұсқа")
    expect(message).to_contain_text(file_line(item))  # "Әсел_эссе.docx (1,2 КБ, SHA-256 0123456789ab)"
    receipt = page.locator(".receipt")
    expect(receipt).to_contain_text("Түбіртек: 1-нұсқа тапсырылды")
    expect(receipt.locator('tr[data-file="Әсел_эссе.docx"]')).to_contain_text(item.sha256[:12])
    expect(receipt.locator('tr[data-file="Әсел_эссе.docx"]')).to_contain_text(re.compile(r"\d+(,\d)?\s(байт|КБ)"))
    page.screenshot(path=tmp_path / "receipt.png", full_page=True)

    # The file is in the version.
    page.locator('[data-version="1"] a').click()
    expect(page.locator("#version-1")).to_contain_text("Әсел_эссе.docx")

    # Version 2 starts from version 1's file: the student replaces it and hands in, again in one action.
    page.goto(task_page)
    expect(page.locator(".carry-over")).to_contain_text("2-нұсқа 1-нұсқаның файлдарынан басталады")
    page.locator('.draft-files li[data-name="Әсел_эссе.docx"] button').click()
    expect(page.locator(".draft-files")).to_have_count(0)
    page.locator("#id_files").set_input_files(second)
    page.locator("#id_own_work").check()
    page.locator("#id_deidentified").check()
    page.get_by_role("button", name="Тапсыру", exact=True).click()
    expect(page.locator(".receipt")).to_contain_text("Түбіртек: 2-нұсқа тапсырылды")
    expect(page.locator(".receipt tbody tr")).to_have_count(1)
    expect(page.locator(".receipt")).to_contain_text("Әсел_эссе_түзетілген.docx")

    page.context.clear_cookies()
    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(f"{live_server.url}/submissions/{version.submission_id}/")
    expect(page.locator('[data-statement-version="2"]')).to_contain_text("растаған мәлімдеме")
    expect(page.locator(".text-preview")).to_contain_text("Екінші нұсқа.")
