"""An instructor opens a colleague's department rubric: the page says who edits it and which tasks use it, offers
no Edit button, refuses the editor's address, and lets them copy it into a rubric of their own."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import Role
from grading.models import Rubric
from grading.services.rubrics import essay_rubric_ensure, rubric_copy
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_colleague_reads_the_rule_is_refused_the_editor_and_copies_the_rubric(page, live_server, cast):
    rubric = rubric_copy(
        rubric=essay_rubric_ensure(), department=cast.department, user=cast.instructor, title="Сәуленің рубрикасы"
    )
    task = cast.tasks["СОӨЖ 1"]
    task.rubric = rubric
    task.save(update_fields=["rubric"])
    make_user("colleague", Role.INSTRUCTOR, cast.department, first_name="Гүлнар", last_name="Омарова")

    sign_in(page, live_server, "colleague", PASSWORD)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/rubrics/{rubric.pk}/")

    rule = page.locator("[data-sharing-rule]")
    expect(rule).to_contain_text("Edited only by its author, Жақыпова Сәуле, and the department admin.")
    expect(page.locator(f'[data-used-by="{task.pk}"]')).to_contain_text("instructors: Жақыпова Сәуле")
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Edit the band rules")).to_have_count(0)

    page.goto(f"{live_server.url}/rubrics/{rubric.pk}/edit/")
    expect(page.locator("h1")).to_have_text("Access denied")

    page.goto(f"{live_server.url}/rubrics/{rubric.pk}/")
    page.get_by_role("button", name="Copy to my department").click()
    copy = Rubric.objects.get(created_by__username="colleague")
    expect(page).to_have_url(f"{live_server.url}/rubrics/{copy.pk}/edit/")
