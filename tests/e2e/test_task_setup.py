"""The instructor sets up a new task in the browser: 18 points in week 14 with a rubric, three defence slots, and a
student books one of them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coursework.models import Booking, Slot, Task
from grading.services.rubrics import example_rubrics_ensure
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_instructor_adds_a_task_with_a_rubric_and_defences_and_a_student_books_one(
    page, live_server, cast, tmp_path
):
    toolkit_rubric = example_rubrics_ensure()["assessment_toolkit"]
    cast.course.expected_points = Decimal(62)  # the seed's three СӨЖ: 22 + 22 + 18
    cast.course.save(update_fields=["expected_points"])
    course_page = live_server.url + reverse("grading:course_detail", args=[cast.course.pk])
    editor = reverse("grading:task_editor", args=[cast.course.pk])

    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(course_page)
    page.locator(f".course-nav a[href='{editor}']").click()
    expect(page.locator("[data-points-check=equal]")).to_be_visible()
    page.locator(f"a[href='{reverse('grading:task_create', args=[cast.course.pk])}']").click()

    page.locator("#id_label").fill("СӨЖ 5")
    page.locator("#id_kind").select_option("sozh")
    page.locator("#id_deliverable").select_option("assessment_toolkit")
    page.locator("#id_title").fill("Бағалау құралдарын қорғау")
    page.locator("#id_description").fill("Бағалау құралдарының жинағын дайындап, қорғау.")
    page.locator("#id_due_week").fill("14")
    page.locator("#id_max_points").fill("18")
    page.locator("#id_rubric").select_option(str(toolkit_rubric.pk))
    page.locator("form button[type=submit]").last.click()

    row = page.locator("tr[data-task='СӨЖ 5']")
    expect(row).to_be_visible()
    expect(row).to_contain_text("18")
    expect(row).to_contain_text(toolkit_rubric.title)
    # The department expects 62 points; the new task brings the sum to 80.
    expect(page.locator("[data-points-check=more]")).to_contain_text("80")
    expect(page.locator("[data-figure=total]")).to_have_text("80")
    page.screenshot(path=tmp_path / "task-editor.png", full_page=True)
    task = Task.objects.get(course=cast.course, label="СӨЖ 5")
    assert (task.due_week, task.max_points, task.rubric_id) == (14, Decimal(18), toolkit_rubric.pk)

    page.goto(live_server.url + reverse("coursework:slots", args=[cast.course.pk, task.pk]))
    form = page.locator("form.publish-form")
    form.locator("#id_kind").select_option("defence")
    form.locator("#id_date").fill((timezone.localdate() + dt.timedelta(days=10)).isoformat())
    form.locator("#id_start_time").fill("14:00")
    form.locator("#id_length").fill("20")
    form.locator("#id_count").fill("3")
    form.locator("#id_place").fill("Ауд. 312")
    form.locator("#id_capacity").fill("1")
    form.locator("button[type=submit]").click()
    expect(page.locator(".slot-card")).to_have_count(3)
    assert Slot.objects.filter(task=task, kind="defence").count() == 3

    page.context.clear_cookies()
    sign_in(page, live_server, "classmate", PASSWORD)
    page.goto(course_page)
    page.locator(f"a[href='{reverse('grading:task_detail', args=[cast.course.pk, task.pk])}']").first.click()
    expect(page.locator("#task-heading")).to_contain_text("Бағалау құралдарын қорғау")
    rows = page.locator("#slots .slot-row")
    expect(rows).to_have_count(3)
    rows.nth(2).get_by_role("button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#slots .my-booking")).to_contain_text("14:40")
    expect(page.locator("#slots .slot-row").nth(2)).to_have_attribute("data-seats-left", "0")
    page.screenshot(path=tmp_path / "task-student.png", full_page=True)
    booking = Booking.objects.select_related("slot").get(slot__task=task)
    assert booking.student == cast.classmate
