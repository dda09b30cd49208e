"""Two instructors of a course have the РК / exam page open; both change the same student's РК1. The second to save
is told, in the row, that the first saved it meanwhile: the first's score is in the cell, the second's is listed as
not saved, and the other row the second changed is saved."""

from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import Role
from grading.models import ControlScore
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_scores(browser, browser_context_args, live_server):
    """Opens the course's РК / exam page in a browser of its own (its own cookies), signed in as ``username`` and
    reading English; the browsers are closed after the test."""
    contexts = []

    def open_as(username, course):
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, live_server, username, PASSWORD)
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
        page.goto(f"{live_server.url}/courses/{course.pk}/gradebook/controls/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_the_second_instructor_sees_that_the_first_saved_the_row_meanwhile(open_scores, cast, tmp_path):
    colleague = make_user("colleague", Role.INSTRUCTOR, cast.department, first_name="Гүлнар", last_name="Омарова")
    cast.course.instructors.add(colleague)
    first = open_scores("instructor", cast.course)
    second = open_scores("colleague", cast.course)

    first.get_by_label("Әбілқасымова Әсел — MT1").fill("70")
    first.get_by_role("button", name="Save scores").click()
    expect(first.locator(".alert-success")).to_contain_text("Scores saved: 1 changed.")

    second.get_by_label("Әбілқасымова Әсел — MT1").fill("85")
    second.get_by_label("Бекмұратов Нұрлан — MT1").fill("60")
    second.get_by_role("button", name="Save scores").click()

    expect(second.locator(".alert-warning")).to_contain_text(
        "1 student's scores were changed after you opened this page"
    )
    row = second.locator('tr[data-student="student"]')
    expect(row.locator("[data-conflict]")).to_contain_text("Жақыпова Сәуле saved this row at")
    expect(row.locator("[data-conflict]")).to_contain_text("Not saved: MT1 85")
    expect(row.get_by_label("Әбілқасымова Әсел — MT1")).to_have_value("70")
    expect(second.locator('tr[data-student="classmate"] [data-conflict]')).to_have_count(0)
    second.screenshot(path=tmp_path / "control-scores-conflict.png", full_page=True)
    assert ControlScore.objects.get(student=cast.student).score == Decimal(70)
    assert ControlScore.objects.get(student=cast.classmate).score == Decimal(60)
