"""The instructor grades by keyboard with a live total and releases; the student reads the grade and its PDF."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from grading.models import Grade
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.grading.conftest import hand_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_keyboard_grading_release_and_the_students_view(page, live_server, cast, essay, tmp_path):
    version = hand_in(essay, cast.student)
    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(f"{live_server.url}/submissions/{version.submission_id}/grade/")
    expect(page.locator(".text-preview")).to_contain_text("Кейс-менеджменттің даму тарихы")
    expect(page.locator("#live-sum")).to_have_text(re.compile("^0"))

    criteria = page.locator("fieldset.criterion")
    expect(criteria).to_have_count(5)
    criteria.first.locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")  # "Өте жақсы" 20–25: the points fill with the middle of the range
    expect(criteria.first.locator(".criterion-points")).to_have_value("22.5")
    expect(page.locator("#live-sum")).to_contain_text("22,5")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Тақырып толық ашылған.")
    for _ in range(4):  # the other four criteria: Tab into the group, pick "Жақсы" with the arrow key
        page.keyboard.press("Tab")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
    # 22.5 + 4 × 17.5 = 92.5 of 125 → 74% → 14.8 of 20, band 70–89, letter C+
    expect(page.locator("#live-sum")).to_have_text("92,5")
    expect(page.locator("#live-points")).to_have_text("14,8")
    expect(page.locator("#live-percent")).to_have_text("74%")
    expect(page.locator("#live-band")).to_have_text("Жақсы, 70–89%")
    expect(page.locator("#live-letter")).to_contain_text("C+")
    page.screenshot(path=tmp_path / "grading.png", full_page=True)

    page.locator("#id_feedback").fill("Жақсы жұмыс, қорытындыны күшейтіңіз.")
    page.get_by_role("button", name="Сақтау және жариялау").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_be_visible()
    grade = Grade.objects.get()
    assert grade.is_released and grade.points == Decimal("14.8")
    expect(page.locator(".history li")).to_have_count(2)  # saved, then released

    page.context.clear_cookies()
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(f"{live_server.url}/courses/{essay.course_id}/tasks/{essay.pk}/")
    released = page.locator(".released-grade")
    expect(released.locator(".grade-points")).to_contain_text("14,8")
    expect(released).to_contain_text("Тақырып толық ашылған.")
    expect(released).to_contain_text("C+")
    with page.expect_download() as download_info:
        released.get_by_role("link", name=re.compile("PDF")).click()
    path = tmp_path / "feedback.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
