"""The submissions queue on a phone: the table scrolls inside its card and the page itself stays 390 px wide (its
visually hidden texts once widened the page to over 1,000 px)."""

import pytest

from coursework.models import Task
from demo.courses import DEMO_PASSWORD, demo_load
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_on_a_phone_the_queue_scrolls_inside_its_card_and_the_page_fits_the_screen(page, live_server, tmp_path):
    course, _other = demo_load()
    essay = Task.objects.get(course=course, label="СОӨЖ 1")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "instructor1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/courses/{course.pk}/tasks/{essay.pk}/queue/")

    table = page.locator(".table-responsive", has=page.locator("table.queue-table"))
    sizes = table.evaluate("(element) => ({inside: element.scrollWidth, shown: element.clientWidth})")
    assert sizes["inside"] > sizes["shown"]  # the table is wider than a phone and scrolls sideways in its card
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the page does not
    page.screenshot(path=tmp_path / "queue-390.png", full_page=True)
