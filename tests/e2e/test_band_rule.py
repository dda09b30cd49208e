"""Late work with originality 75% is offered the band 50–69, and the grading page says why and what it costs."""

import re

import pytest
from playwright.sync_api import expect

from grading.models import Grade
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.grading.conftest import LATE, hand_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_band_offered_to_late_work_and_the_reason_to_keep_the_higher_one(page, live_server, cast, essay):
    version = hand_in(essay, cast.student, moment=LATE)
    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(f"{live_server.url}/submissions/{version.submission_id}/grade/")
    for fieldset in page.locator("fieldset.criterion").all():
        fieldset.locator("input[type=radio]").nth(1).check()  # "Жақсы" 15–20: the middle, 17.5
    page.locator("#id_originality_percent").fill("75")
    # 87.5 of 125 → 70% earns 70–89; late, and 75% originality: offered 50–69, capped at 69% → 13.8 of 20.
    rule = page.locator("#band-rule")
    expect(rule).to_be_visible()
    expect(rule).to_contain_text("Қанағаттанарлық, 50–69%")
    expect(rule).to_contain_text("Жақсы, 70–89%")
    expect(rule).to_contain_text(re.compile(r"14\s*-ден 13,8"))
    expect(page.locator("#live-points")).to_have_text("13,8")
    expect(page.locator("#live-band")).to_contain_text("Қанағаттанарлық, 50–69%")

    page.locator("#id_band_kept_reason").fill("Кешігу дәлелді себеппен.")
    expect(page.locator("#live-points")).to_have_text("14")
    expect(page.locator("#live-band")).to_contain_text("Жақсы, 70–89%")
    page.get_by_role("button", name="Қаралама ретінде сақтау").click()
    expect(page.locator(".alert-success")).to_be_visible()
    grade = Grade.objects.get()
    assert grade.band_kept_reason == "Кешігу дәлелді себеппен." and str(grade.points) == "14.0"
