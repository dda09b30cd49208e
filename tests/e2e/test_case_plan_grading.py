"""The instructor grades a handed-in case plan beside its rendering and releases the grade; the student reads it."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from directory.models import Entry
from grading.models import Grade
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import example_rubrics_ensure
from tests.caseplans.conftest import hand_in_plan
from tests.conftest import PASSWORD
from tests.directory.conftest import hand_in_rows, row
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_instructor_grades_a_plan_beside_it_and_the_student_sees_the_grade(page, live_server, cast, tmp_path):
    letter_scale_ensure()
    case_task = cast.tasks["СОӨЖ 2-3"]
    case_task.rubric = example_rubrics_ensure()["case_plan"]
    case_task.save()
    hand_in_rows(cast.tasks["СӨЖ 1"], cast.classmate, [row()])  # «Ақ жүрек» қоры comes into the directory
    entry = Entry.objects.get(department=cast.department, name="«Ақ жүрек» қоры")
    version = hand_in_plan(case_task, cast.student, entry_id=entry.pk)

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(live_server.url + reverse("grading:grade", args=[version.submission_id]))
    plan = page.locator("#work .plan-document")
    expect(plan.locator(".goals-table")).to_contain_text("Клиент пен балалардың қауіпсіздігін қамтамасыз ету")
    expect(plan.locator(".goals-table")).to_contain_text("31.10.2025")
    expect(plan.locator(".interventions-table")).to_contain_text("ХҚКО-да құжаттарды қалпына келтіру")
    referrals = plan.locator(".referrals-table")
    expect(referrals).to_contain_text("«Ақ жүрек» қоры")
    expect(referrals).to_contain_text("+7 727 300 00 00")
    # Beside the rubric: the plan's column is to the left of the form, their tops level.
    form = page.locator("#grade-form")
    plan_box, form_box = page.locator("#work").bounding_box(), form.bounding_box()
    assert plan_box["x"] + plan_box["width"] <= form_box["x"]
    assert abs(plan_box["y"] - form_box["y"]) < 200
    # The PDF the student handed in opens from the plan's card.
    expect(page.locator("#work .plan-files a").first).to_have_attribute("href", re.compile(r"\?inline=1$"))

    criteria = form.locator("fieldset.criterion")
    expect(criteria).to_have_count(6)
    expect(criteria.last.locator("legend")).to_contain_text("Қорғау")
    for index in range(6):  # "Өте жақсы" on each: the points fill with the middle of its range
        criteria.nth(index).locator("input[type=radio]").first.check()
    # 13.5 + 18 + 18 + 13.5 + 9 + 18 = 90 of 100
    expect(page.locator("#live-sum")).to_have_text("90")
    expect(page.locator("#live-percent")).to_have_text("90%")
    # The plan stays in view while the grader works down the rubric.
    criteria.last.scroll_into_view_if_needed()
    expect(page.locator("#work-heading")).to_be_in_viewport()
    page.screenshot(path=tmp_path / "case-plan-grading.png", full_page=True)

    page.locator("#id_feedback").fill("Мақсаттар нақты, жолдамалар орынды.")
    page.get_by_role("button", name="Сақтау және жариялау").click()
    expect(page.locator(".alert-success")).to_be_visible()
    grade = Grade.objects.get()
    assert grade.is_released and grade.percent == Decimal(90)
    expect(page.locator("#work .plan-document")).to_contain_text("Клиент пен балалардың қауіпсіздігін")

    page.context.clear_cookies()
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("grading:task_detail", args=[case_task.course_id, case_task.pk]))
    released = page.locator(".released-grade")
    expect(released.locator(".grade-points")).to_contain_text("90%")
    expect(released).to_contain_text("Мақсаттар нақты, жолдамалар орынды.")
    expect(released).to_contain_text("Қорғау")
