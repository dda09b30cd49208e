"""An instructor writes a rubric in the browser, adding a criterion and a level with the editor's buttons."""

import pytest
from playwright.sync_api import expect

from demo.courses import DEMO_PASSWORD, demo_load
from grading.models import Rubric
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    return demo_load()


def fill_level(page, criterion, level, title, low, high):
    prefix = f"#id_c{criterion}-levels-{level}"
    page.locator(f"{prefix}-title").fill(title)
    page.locator(f"{prefix}-min_percent").fill(str(low))
    page.locator(f"{prefix}-max_percent").fill(str(high))


def test_an_instructor_adds_a_criterion_and_a_level_and_saves_the_rubric(page, live_server, demo, tmp_path):
    sign_in(page, live_server, "instructor1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/rubrics/new/")
    # With the script, the blank rows shrink to one criterion of two levels.
    expect(page.locator("[data-criterion]")).to_have_count(1)
    expect(page.locator("[data-criterion='0'] .level-form")).to_have_count(2)

    page.locator("#id_rubric-title").fill("Баяндама рубрикасы")
    page.locator("#id_criteria-0-title").fill("Мазмұны")
    fill_level(page, 0, 0, "Жоғары", 30, 50)
    fill_level(page, 0, 1, "Төмен", 0, 30)
    page.locator("[data-add-criterion]").click()
    page.locator("#id_criteria-1-title").fill("Сөйлеу мәнері")
    page.locator("[data-criterion='1'] [data-add-level]").click()
    fill_level(page, 1, 0, "Жоғары", 40, 50)
    fill_level(page, 1, 1, "Орта", 20, 40)
    fill_level(page, 1, 2, "Төмен", 0, 20)
    expect(page.locator("[data-live-maximum-value]")).to_have_text("100")
    page.screenshot(path=tmp_path / "rubric-editor.png", full_page=True)
    page.locator("#rubric-editor button[type=submit]").click()

    rubric = Rubric.objects.get(title="Баяндама рубрикасы")
    expect(page).to_have_url(f"{live_server.url}/rubrics/{rubric.pk}/")
    grid = page.locator("table.rubric-grid")
    expect(grid.locator("tbody th")).to_have_text(["Мазмұны", "Сөйлеу мәнері"])
    expect(grid.locator("[data-rubric-maximum]")).to_have_text("100%")
    assert [criterion.levels.count() for criterion in rubric.criteria.all()] == [2, 3]
