"""An instructor edits a released grade: the student keeps seeing what was released until it is released again.
And the live summary shows a result only once the grade is complete, in the reader's decimal sign."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from grading.models import Grade
from grading.services.grades import grade_release, grade_save
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.grading.conftest import GOOD_PICKS, hand_in, hand_in_work, scores_for

pytestmark = pytest.mark.django_db(transaction=True)


def student_sees(page, live_server, task):
    page.context.clear_cookies()
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(f"{live_server.url}/courses/{task.course_id}/tasks/{task.pk}/")
    return page.locator(".released-grade")


def test_an_edited_released_grade_reaches_the_student_only_when_released_again(page, live_server, cast, essay):
    version = hand_in(essay, cast.student)
    scores = scores_for(essay.rubric, GOOD_PICKS)
    grade = grade_save(version=version, grader=cast.instructor, expected_lock_version=0, scores=scores)
    grade_release(grade=grade, by=cast.instructor, notify=False)  # 95 of 125 → 15.2 of 20

    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(f"{live_server.url}/submissions/{version.submission_id}/grade/")
    last = page.locator("fieldset.criterion").last  # "Қанағаттанарлық" 13 → "Өте жақсы" 25
    last.locator("input[type=radio]").first.check()
    last.locator(".criterion-points").fill("25")
    expect(page.locator("#live-points")).to_have_text("17,1")  # 107 of 125 → 17.12 of 20
    page.locator("#id_feedback").fill("Қорытынды күшейтілді.")
    page.get_by_role("button", name="Жарияламай сақтау").click()  # "Save without releasing"
    expect(page.locator(".alert-success")).to_contain_text("студент бұрын жарияланған бағаны көре береді")
    expect(page.locator(".unreleased-change")).to_contain_text("Жарияланғаны: 15,2 · жарияланбаған өзгеріс: 17,1.")
    expect(page.locator(".history li")).to_have_count(3)  # saved, released, saved

    released = student_sees(page, live_server, essay)
    expect(released.locator(".grade-points")).to_have_text("15,2 / 20")
    expect(released).not_to_contain_text("Қорытынды күшейтілді.")

    page.context.clear_cookies()
    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(f"{live_server.url}/submissions/{version.submission_id}/grade/")
    page.get_by_role("button", name="Сақтау және жариялау").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".unreleased-change")).to_have_count(0)
    grade = Grade.objects.get()
    assert (grade.released_points, grade.has_unreleased_changes) == (Decimal("17.1"), False)

    released = student_sees(page, live_server, essay)
    expect(released.locator(".grade-points")).to_have_text("17,1 / 20")
    expect(released).to_contain_text("Қорытынды күшейтілді.")


def test_the_live_summary_waits_for_every_criterion_and_writes_the_readers_numbers(page, live_server, cast, essay):
    version = hand_in(essay, cast.student)
    sign_in(page, live_server, "instructor", PASSWORD)  # through the Kazakh form, then the reader turns to Russian
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ru", "url": live_server.url}])
    page.goto(f"{live_server.url}/submissions/{version.submission_id}/grade/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    for locator in ("#live-points", "#live-percent", "#live-band", "#live-letter"):
        expect(page.locator(locator)).to_have_text("—")
    criteria = page.locator("fieldset.criterion")
    criteria.first.locator("input[type=radio]").first.check()  # one criterion of five: still nothing
    expect(page.locator("#live-sum")).to_contain_text("22,5")
    expect(page.locator("#live-letter")).to_have_text("—")
    # The other four: (the level's place among the rubric's levels, best first; points).
    for index, (level, points) in enumerate([(1, "18"), (1, "17"), (0, "22"), (2, "13")], start=1):
        fieldset = criteria.nth(index)
        fieldset.locator("input[type=radio]").nth(level).check()
        fieldset.locator(".criterion-points").fill(points)
    # 22.5 + 18 + 17 + 22 + 13 = 92.5 of 125 → 74% → 14.8 of 20, C+ (2.33)
    expect(page.locator("#live-points")).to_have_text("14,8")
    expect(page.locator("#live-percent")).to_have_text("74%")
    expect(page.locator("#live-letter")).to_have_text("C+ (2,33)")


def test_a_task_without_points_is_graded_live_as_a_percentage(page, live_server, cast):
    task = cast.tasks["СОӨЖ 2-3"]
    version = hand_in_work(task, cast.student)
    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(f"{live_server.url}/submissions/{version.submission_id}/grade/")
    expect(page.locator("#live-points")).to_have_count(0)
    page.get_by_label(re.compile("Пайыз, %")).fill("85")
    expect(page.locator("#live-percent")).to_have_text("85%")
    page.get_by_role("button", name="Сақтау және жариялау").click()
    expect(page.locator(".alert-success")).to_be_visible()
    released = student_sees(page, live_server, task)
    expect(released.locator(".grade-points")).to_have_text("85%")
    expect(released.locator(".percentage-note")).to_contain_text("62")
