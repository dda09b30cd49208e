"""The instructor publishes three defence slots for СӨЖ 3; a student books one from the task page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coursework.models import Booking, Slot
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_instructor_publishes_three_defences_and_a_student_books_one(page, live_server, cast, tmp_path):
    task = cast.tasks["СӨЖ 3"]
    task_page = live_server.url + reverse("grading:task_detail", args=[cast.course.pk, task.pk])
    slots_page = reverse("coursework:slots", args=[cast.course.pk, task.pk])
    day = timezone.localdate() + dt.timedelta(days=7)

    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(task_page)
    page.locator(f"#slots a[href='{slots_page}']").click()
    expect(page.locator(".no-slots")).to_be_visible()
    form = page.locator("form.publish-form")
    form.locator("#id_kind").select_option("defence")
    form.locator("#id_date").fill(day.isoformat())
    form.locator("#id_start_time").fill("10:00")
    form.locator("#id_length").fill("20")
    form.locator("#id_count").fill("3")
    form.locator("#id_place").fill("Ауд. 305")
    form.locator("#id_capacity").fill("2")
    form.locator("#id_closes_hours_before").fill("24")
    form.locator("button[type=submit]").click()

    cards = page.locator(".slot-card")
    expect(cards).to_have_count(3)
    for index, time in enumerate(["10:00–10:20", "10:20–10:40", "10:40–11:00"]):
        expect(cards.nth(index).locator("h3")).to_contain_text(time)
        expect(cards.nth(index).locator(".seats-taken")).to_contain_text("0")
        expect(cards.nth(index).locator(".seats-free")).to_contain_text("2")
    page.screenshot(path=tmp_path / "slots-instructor.png", full_page=True)
    assert Slot.objects.filter(task=task).count() == 3

    page.context.clear_cookies()
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(task_page)
    rows = page.locator("#slots .slot-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_have_attribute("data-seats-left", "2")
    rows.nth(1).get_by_role("button").click()

    expect(page.locator(".alert-success")).to_be_visible()
    rows = page.locator("#slots .slot-row")
    expect(rows.nth(1)).to_have_attribute("data-seats-left", "1")
    expect(page.locator("#slots .slot-row.list-group-item-success")).to_have_count(1)
    expect(rows.nth(1).locator(".slot-action form button")).to_be_visible()  # Cancel
    expect(rows.nth(0).locator(".slot-action button")).to_have_count(0)  # one defence per task
    expect(page.locator("#slots .my-booking")).to_contain_text("10:20")
    page.screenshot(path=tmp_path / "slots-student.png", full_page=True)
    booking = Booking.objects.select_related("slot").get()
    assert booking.student == cast.student
    assert timezone.localtime(booking.slot.starts_at).strftime("%H:%M") == "10:20"
