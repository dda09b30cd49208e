"""A student signs in, reads the schedule, and switches the interface language."""

import re

import pytest
from playwright.sync_api import expect

from demo.courses import DEMO_PASSWORD, demo_load
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    return demo_load()


def test_student1_sees_the_six_tasks_and_switches_language(page, live_server, demo, tmp_path):
    sign_in(page, live_server, "student1", DEMO_PASSWORD)

    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", name="Менің курстарым")).to_be_visible()
    rows = page.locator("table.schedule-table tbody tr")
    expect(rows).to_have_count(6)
    expected = [
        ("СОӨЖ 1", "3", "—"),
        ("СӨЖ 1", "5", "22"),
        ("СОӨЖ 2-3", "7", "—"),
        ("СӨЖ 4", "10", "22"),
        ("СОӨЖ 4-5", "12", "—"),
        ("СӨЖ 3", "14", "18"),
    ]
    for index, (label, week, points) in enumerate(expected):
        cells = rows.nth(index).locator("th, td")
        expect(cells.nth(0)).to_have_text(label)
        expect(cells.nth(2)).to_have_text(week)
        expect(cells.nth(4)).to_have_text(points)
    # The demo term started six weeks ago: student1's first task is graded and released; the last one is ahead, and
    # begun: their toolkit is saved, though nothing is handed in; the one before it (СОӨЖ 4-5) is not.
    expect(rows.nth(0).locator(".status-graded")).to_be_visible()
    expect(rows.nth(5).get_by_text("Қаралама", exact=True)).to_be_visible()
    expect(rows.nth(5).get_by_text("Алда")).to_be_visible()
    expect(rows.nth(4).get_by_text("Басталмаған")).to_be_visible()
    page.screenshot(path=tmp_path / "student-home-kk.png", full_page=True)

    page.get_by_role("button", name="RU").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name="Мои курсы")).to_be_visible()
    expect(page.get_by_role("link", name="История развития и теоретические основы кейс-менеджмента")).to_be_visible()

    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My courses")).to_be_visible()
    page.get_by_role("link", name="Final project").click()
    expect(page.get_by_role("heading", name=re.compile("Final project"))).to_be_visible()
    expect(page.get_by_text("a set of the author's own in-depth assessment methods")).to_be_visible()

    # The choice sticks: the next page is still in English.
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_on_a_phone_each_task_card_fits_the_schedule_and_shows_its_values(page, live_server, demo):
    """At 390 px the schedule's table becomes one card per task: no card may be wider than the schedule's box, or
    the values on the right (week, due time, points, status) are cut off."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "student1", DEMO_PASSWORD)
    course, _other = demo
    for path in ("/student/", f"/courses/{course.pk}/"):
        page.goto(f"{live_server.url}{path}")
        table = page.locator("table.schedule-table").first
        expect(table).to_be_visible()
        widths = table.evaluate("t => [t.getBoundingClientRect().width, t.parentElement.clientWidth]")
        assert widths[0] <= widths[1], (path, widths)
        week = table.locator("tbody tr").first.locator("td").nth(1)
        box, frame = week.bounding_box(), table.evaluate("t => t.parentElement.getBoundingClientRect().right")
        assert box["x"] + box["width"] <= frame, (path, box, frame)
