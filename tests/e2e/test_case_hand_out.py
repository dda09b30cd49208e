"""The instructor adds the example cases, hands them out, changes one student's case by hand; the student then finds
that case on their task page and reads it beside their plan."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from caseplans.models import CaseAssignment
from caseplans.services import EXAMPLES_FILE
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = {example["client_category"]: example for example in json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))}


def test_the_instructor_hands_out_cases_and_the_student_reads_the_one_chosen_for_them(
    page, live_server, cast, tmp_path
):
    task = cast.tasks["СОӨЖ 2-3"]
    chosen = EXAMPLES["elderly"]

    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(live_server.url + reverse("grading:course_detail", args=[cast.course.pk]))
    page.locator(f".course-nav a[href='{reverse('caseplans:vignettes', args=[cast.course.pk])}']").click()
    expect(page.locator(".no-vignettes")).to_be_visible()
    page.locator("form.examples-form button").click()
    expect(page.locator(".alert-success")).to_contain_text("5")
    expect(page.locator(".vignette-card")).to_have_count(5)
    expect(page.locator(".vignette-card .example-badge")).to_have_count(5)
    page.screenshot(path=tmp_path / "cases-vignettes.png", full_page=True)

    page.locator(f".case-tasks a[href='{reverse('caseplans:assignments', args=[cast.course.pk, task.pk])}']").click()
    rows = page.locator("tr.case-row")
    expect(rows).to_have_count(2)
    expect(page.locator(".waiting-count")).to_have_text("2")
    page.locator("form.hand-out-form button").click()
    expect(page.locator(".alert-success")).to_contain_text("2")
    expect(page.locator(".waiting-count")).to_have_text("0")
    expect(page.locator("tr.case-row .no-case")).to_have_count(0)

    row = page.locator(f"tr#student-{cast.student.pk}")
    expect(row.locator(".case-title")).not_to_contain_text(chosen["title"])
    row.locator("select").select_option(label=chosen["title"])
    row.get_by_role("button").click()
    expect(page.locator(".alert-success")).to_contain_text(chosen["title"])
    row = page.locator(f"tr#student-{cast.student.pk}")
    expect(row.locator(".case-title")).to_contain_text(chosen["title"])
    expect(row.locator("select")).to_have_value(str(CaseAssignment.objects.get(student=cast.student).vignette_id))
    page.screenshot(path=tmp_path / "cases-assignments.png", full_page=True)
    assignment = CaseAssignment.objects.select_related("vignette").get(task=task, student=cast.student)
    assert assignment.vignette.title == chosen["title"] and not assignment.is_automatic

    page.context.clear_cookies()
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("grading:task_detail", args=[cast.course.pk, task.pk]))
    panel = page.locator("#case")
    expect(panel.locator(".case-title")).to_have_text(chosen["title"])
    panel.get_by_role("link").first.click()
    case = page.locator(".case-card")
    expect(case.locator("#case-heading")).to_have_text(chosen["title"])
    first_paragraph = chosen["text"].split("\n")[0]
    expect(case.locator(".case-text")).to_contain_text(first_paragraph)
    page.screenshot(path=tmp_path / "cases-student.png", full_page=True)
