"""The gradebook reads on a 1366 px laptop and on a phone: every column of a 24-student, 6-task group in sight, the
names and the header row kept in sight while the table scrolls, and a student's own results as cards."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from coursework.models import Task
from demo.courses import DEMO_PASSWORD, demo_load
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def box(locator):
    return locator.bounding_box()


def open_gradebook(page, live_server, course, username, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, username, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/courses/{course.pk}/gradebook/")


def test_a_group_of_24_with_6_tasks_fits_1366_px_with_the_letter_and_gpa_in_sight(page, live_server, tmp_path):
    course, _other = demo_load()
    open_gradebook(page, live_server, course, "deptadmin1", LAPTOP)
    wrap = page.locator(".gradebook-wrap")
    expect(wrap.locator("tbody tr[data-student]")).to_have_count(24)
    sizes = wrap.evaluate("(element) => ({inside: element.scrollWidth, shown: element.clientWidth})")
    assert sizes["inside"] <= sizes["shown"]  # nothing to scroll sideways
    for heading in ("Әріптік баға", "GPA"):
        cell = wrap.locator("thead th", has_text=heading)
        expect(cell).to_be_visible()
        assert box(cell)["x"] + box(cell)["width"] <= LAPTOP["width"]
    page.screenshot(path=tmp_path / "gradebook-1366.png")


def test_the_header_row_stays_in_sight_while_the_table_scrolls_down(page, live_server):
    course, _other = demo_load()
    open_gradebook(page, live_server, course, "deptadmin1", LAPTOP)
    wrap = page.locator(".gradebook-wrap")
    wrap.scroll_into_view_if_needed()
    heading = wrap.locator("thead th").first
    first_row = wrap.locator("tbody tr[data-student]").first
    top = box(wrap)["y"]
    assert abs(box(heading)["y"] - top) <= 2
    wrap.evaluate("(element) => { element.scrollTop = 500; }")
    assert box(first_row)["y"] < top  # the first students went up and out of the box
    assert abs(box(heading)["y"] - top) <= 2  # the header did not
    expect(heading).to_be_visible()
    last = wrap.locator("tbody tr[data-student]").last
    last.scroll_into_view_if_needed()
    assert box(last)["y"] >= box(heading)["y"] + box(heading)["height"] - 1  # not hidden under the header


def test_the_names_stay_in_sight_while_a_wide_table_scrolls_right(page, live_server):
    course, _other = demo_load()
    for number in range(6):  # twelve tasks: wider than a laptop's screen
        Task.objects.create(
            course=course,
            label=f"СӨЖ {10 + number}",
            kind="sozh",
            deliverable="essay",
            title=f"Қосымша тапсырма {number}",
            description="Эссе",
            due_week=15,
            max_points=Decimal(10),
        )
    open_gradebook(page, live_server, course, "instructor1", LAPTOP)
    wrap = page.locator(".gradebook-wrap")
    wrap.scroll_into_view_if_needed()
    name = wrap.locator("tbody tr[data-student] th.student-name").first
    group = wrap.locator("tbody tr[data-student] td").first
    left = box(wrap)["x"]
    assert wrap.evaluate("(element) => element.scrollWidth > element.clientWidth")
    wrap.evaluate("(element) => { element.scrollLeft = element.scrollWidth; }")
    assert box(group)["x"] + box(group)["width"] <= box(name)["x"] + box(name)["width"] + 1  # slid under the name
    assert abs(box(name)["x"] - left) <= 2  # the name did not move
    expect(name).to_be_visible()
    corner = wrap.locator("thead th").first
    assert abs(box(corner)["x"] - left) <= 2  # nor did the header's name cell
    expect(wrap.locator("thead th", has_text="GPA")).to_be_in_viewport()


def test_a_student_on_a_phone_reads_their_results_as_cards(page, live_server):
    course, _other = demo_load()
    open_gradebook(page, live_server, course, "student1", PHONE)
    cards = page.locator("[data-student-cards='student1'] li.result-card")
    expect(cards).to_have_count(6)
    expect(cards.first).to_be_visible()
    expect(cards.first.locator(".task-label")).to_have_text("СОӨЖ 1")
    expect(page.locator(".result-summary")).to_be_visible()
    expect(page.locator(".result-letter dt")).to_have_text("Әріптік баға")
    expect(page.locator(".gradebook-wrap")).to_be_hidden()  # not a one-row table
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for card in cards.all():
        assert box(card)["width"] <= PHONE["width"]
