"""The instructor grades a handed-in analysis (СӨЖ 4) beside its rendering — the comparison table, the SWOT grid and
the references —, opens the report from it, and releases the grade; the student reads it."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from grading.models import Grade
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import example_rubrics_ensure
from tests.analysis.conftest import hand_in_analysis
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_instructor_grades_an_analysis_beside_it_and_the_student_sees_the_grade(page, live_server, cast, tmp_path):
    letter_scale_ensure()
    task = cast.tasks["СӨЖ 4"]
    task.rubric = example_rubrics_ensure()["model_comparison"]
    task.save()
    version = hand_in_analysis(task, cast.student)

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(live_server.url + reverse("grading:grade", args=[version.submission_id]))
    document = page.locator("#work .analysis-document")
    table = document.locator(".analysis-table")
    expect(table.locator("thead th")).to_have_text(
        ["Критерий", "Брокерлік модель", "Клиникалық модель", "Күшті жақтарға негізделген модель"]
    )
    expect(table.locator("tbody tr")).to_have_count(6)
    expect(table).to_contain_text("Қарқындылығы: Клиникалық модель бойынша сипаттама")
    # The SWOT as a 2 × 2 grid: strengths beside weaknesses, opportunities beside threats under them.
    quadrants = [
        document.locator(f".swot-{name}").bounding_box()
        for name in ("strengths", "weaknesses", "opportunities", "threats")
    ]
    strengths, weaknesses, opportunities, threats = quadrants
    assert abs(strengths["y"] - weaknesses["y"]) < 2 and strengths["x"] < weaknesses["x"]
    assert abs(opportunities["y"] - threats["y"]) < 2 and opportunities["x"] < threats["x"]
    assert opportunities["y"] > strengths["y"] + strengths["height"] - 2
    expect(document.locator(".swot-weaknesses")).to_contain_text("Кадр тапшылығы")
    references = document.locator(".reference-list li")
    expect(references).to_have_count(5)
    expect(references).to_have_text(version.content["references_formatted"])
    expect(document.locator(".reference-style")).to_contain_text("ГОСТ Р 7.0.5-2008")
    # Beside the rubric: the analysis's column to the left of the form, their tops level.
    form = page.locator("#grade-form")
    work_box, form_box = page.locator("#work").bounding_box(), form.bounding_box()
    assert work_box["x"] + work_box["width"] <= form_box["x"]
    assert abs(work_box["y"] - form_box["y"]) < 200
    expect(page.locator("#work .analysis-files a").first).to_have_attribute("href", re.compile(r"\?inline=1$"))
    expect(page.locator("#work .analysis-report-line")).to_contain_text("есеп.docx")
    page.screenshot(path=tmp_path / "analysis-grading.png", full_page=True)

    # The report opens in the card, the rubric still beside it; and back to the analysis.
    page.locator("#work .report-link").click()
    expect(page.locator("#work .text-preview")).to_contain_text("Кейс-менеджменттің даму тарихы")
    expect(page.locator("#work .analysis-document")).to_have_count(0)
    expect(form).to_be_visible()
    page.locator("#work .analysis-views .nav-link").first.click()
    expect(page.locator("#work .analysis-table")).to_be_visible()

    criteria = form.locator("fieldset.criterion")
    expect(criteria).to_have_count(5)
    for index in range(5):  # the top level of each: the points fill with the middle of its range
        criteria.nth(index).locator("input[type=radio]").first.check()
    # 18 + 22.5 + 22.5 + 18 + 9 = 90 of 100; 22 points × 90% = 19.8
    expect(page.locator("#live-sum")).to_have_text("90")
    expect(page.locator("#live-points")).to_have_text("19,8")
    # The analysis stays in view while the grader works down the rubric.
    criteria.last.scroll_into_view_if_needed()
    expect(page.locator("#work-heading")).to_be_in_viewport()

    page.locator("#id_feedback").fill("Модельдер жақсы салыстырылған, SWOT нақты.")
    page.get_by_role("button", name="Сақтау және жариялау").click()
    expect(page.locator(".alert-success")).to_be_visible()
    grade = Grade.objects.get()
    assert grade.is_released and grade.percent == Decimal(90) and grade.points == Decimal("19.8")
    expect(page.locator("#work .analysis-document")).to_contain_text("Кадр тапшылығы")

    page.context.clear_cookies()
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("grading:task_detail", args=[task.course_id, task.pk]))
    released = page.locator(".released-grade")
    expect(released.locator(".grade-points")).to_contain_text("19,8")
    expect(released).to_contain_text("Модельдер жақсы салыстырылған, SWOT нақты.")
    expect(released).to_contain_text("Әдебиеттер тізімі")
