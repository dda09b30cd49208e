"""A student builds the individual work plan on the case they were given: opens it from the task page, fills the
sections, adds goals and interventions (by keyboard too), reorders a row, picks a referral from the directory,
reloads the page to find everything saved, hands in and downloads the PDF. Then: nothing is lost when the
connection drops, or when the page is left right after a change.

The page's own wording is asserted through its structure (its new texts are translated after these tests are
written); what the student typed, and the portal's existing Kazakh texts, are asserted as read.
"""

import datetime as dt
import re
import subprocess
import time

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from caseplans.models import CaseAssignment, CasePlan, Vignette
from directory.models import Entry
from portfolio.models import Version
from tests.caseplans.conftest import VIGNETTE_TEXT
from tests.conftest import PASSWORD
from tests.directory.conftest import hand_in_rows, row
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

GOALS = ["Клиент пен балалардың қауіпсіздігі қамтамасыз етілді", "Құжаттар қалпына келтірілді"]
ACTIONS = ["Дағдарыс орталығына жолдау", "Полицияға арыз беру", "ХҚКО-да құжаттарды қалпына келтіру"]


def given_case(cast):
    """СОӨЖ 2-3 with a case given to ``student``, due a week from now (so that the hand-in is on time), and an
    organisation in the department's directory."""
    task = cast.tasks["СОӨЖ 2-3"]
    task.due_at_override = timezone.now() + dt.timedelta(days=7)
    task.save()
    vignette = Vignette.objects.create(
        course=cast.course,
        title="Айгүл: тұрмыстық зорлық-зомбылық",
        language="kk",
        client_category="domestic_violence",
        text=VIGNETTE_TEXT,
        created_by=cast.instructor,
    )
    CaseAssignment.objects.create(task=task, student=cast.student, vignette=vignette, assigned_by=cast.instructor)
    hand_in_rows(cast.tasks["СӨЖ 1"], cast.classmate, [row()])
    return task, vignette, Entry.objects.get(name="«Ақ жүрек» қоры")


def plan_of(cast, task):
    return CasePlan.objects.filter(task=task, student=cast.student).first()


def saved_plan(cast, task, check, seconds=10):
    """The saved working copy once it passes ``check``, waiting for it up to ``seconds``; None if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            plan = plan_of(cast, task)
        except OperationalError:  # the live server's thread is writing to the shared in-memory SQLite database
            plan = None
        if plan is not None and check(plan.data):
            return plan
        time.sleep(0.1)
    return None


def wait_for_save(page, cast, task, check):
    """Wait until the saved working copy passes ``check`` and the page says when it was saved."""
    assert saved_plan(cast, task, check) is not None, "the plan was not saved"
    expect(page.locator("[data-status]")).to_contain_text(re.compile(r"\d\d:\d\d"))


def rows(page, section):
    return page.locator(f'[data-rows="{section}"] > [data-row]')


def test_a_student_builds_the_plan_on_their_case_and_hands_it_in(page, live_server, cast, tmp_path):
    task, vignette, entry = given_case(cast)
    task_page = live_server.url + reverse("grading:task_detail", args=[cast.course.pk, task.pk])
    plan_page = reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk])

    sign_in(page, live_server, "student", PASSWORD)
    page.goto(task_page)
    expect(page.locator("#case")).to_contain_text(vignette.title)
    page.locator(f"#case a[href='{plan_page}']").click()

    # The case, as it was written.
    expect(page.locator(".case-card h3")).to_have_text(vignette.title)
    expect(page.locator(".case-text")).to_contain_text(VIGNETTE_TEXT)

    page.locator("#id_profile").fill("Әйел, 34 жаста, екі баланың анасы; қазір туысының үйінде тұрады.")
    page.locator("#id_history").fill("Алты жыл бойы тұрмыстық зорлық-зомбылық.")
    page.locator("#id_needs").fill("Қауіпсіз баспана, құжаттар, психологиялық қолдау.")
    page.locator("#id_strengths").fill("Балаларына қамқор, туысы қолдайды.")
    page.locator('[name="problems-0-text"]').fill("Қауіпсіздікке қатер")

    # Goal 1 in the spare row; goal 2 added by keyboard: Enter on the button, and the new row's field has the focus.
    goals = rows(page, "goals")
    goals.nth(0).locator('[data-field="text"]').fill(GOALS[0])
    goals.nth(0).locator('[data-field="indicator"]').fill("Дағдарыс орталығына орналасты")
    goals.nth(0).locator('[data-field="target"]').fill("2025-10-31")
    page.locator('[data-add="goals"]').focus()
    page.keyboard.press("Enter")
    expect(goals).to_have_count(2)
    expect(page.locator('[name="goals-1-text"]')).to_be_focused()
    page.keyboard.type(GOALS[1])
    goals.nth(1).locator('[data-field="indicator"]').fill("Жеке куәлік қолында")
    goals.nth(1).locator('[data-field="target"]').fill("2025-11-30")
    keys = [goals.nth(index).locator('[data-field="key"]').input_value() for index in range(2)]

    # Three interventions: one in the spare row, two added; the third is then moved up to second place.
    interventions = rows(page, "interventions")
    page.locator('[data-add="interventions"]').click()
    page.locator('[data-add="interventions"]').click()
    expect(interventions).to_have_count(3)
    for index, (action, responsible, due, goal) in enumerate(
        [
            (ACTIONS[0], "case_manager", "2025-10-15", keys[0]),
            (ACTIONS[2], "agency", "2025-11-20", keys[1]),
            (ACTIONS[1], "client", "2025-10-20", keys[0]),
        ]
    ):
        intervention = interventions.nth(index)
        intervention.locator('[data-field="action"]').fill(action)
        intervention.locator('[data-field="responsible"]').select_option(responsible)
        intervention.locator('[data-field="due"]').fill(due)
        intervention.locator('[data-field="goal"]').select_option(goal)
    # The agency is asked for only where an agency is responsible.
    expect(interventions.nth(0).locator('[data-field="agency"]')).to_be_hidden()
    expect(interventions.nth(1).locator('[data-field="agency"]')).to_be_visible()
    interventions.nth(1).locator('[data-field="agency"]').fill("ХҚКО")
    # The goal an intervention serves is offered by the goal's number and text.
    expect(interventions.nth(0).locator('[data-field="goal"] option:checked')).to_contain_text(GOALS[0])
    move_up = interventions.nth(2).locator('[data-move="up"]')
    move_up.click()
    expect(interventions.nth(1).locator('[data-field="action"]')).to_have_value(ACTIONS[1])
    expect(interventions.nth(2).locator('[data-field="action"]')).to_have_value(ACTIONS[2])
    expect(page.locator('[name="interventions-1-action"]')).to_have_value(ACTIONS[1])
    expect(interventions.nth(1).locator('[data-move="up"]')).to_be_focused()

    # A referral picked from the directory through the search box, by keyboard.
    referral = rows(page, "referrals").nth(0)
    referral.locator("[data-search]").fill("жүрек")
    expect(referral.locator(".plan-found-option")).to_have_count(1)
    expect(referral.locator(".plan-found-option")).to_contain_text("Алматы")
    referral.locator("[data-search]").press("ArrowDown")
    expect(referral.locator(".plan-found-option")).to_be_focused()
    page.keyboard.press("Enter")
    expect(referral.locator("[data-picked-name]")).to_have_text(entry.name)
    expect(referral.locator("[data-search]")).to_be_hidden()
    referral.locator('[data-field="purpose"]').fill("Уақытша баспана және психологиялық көмек")

    wait_for_save(page, cast, task, lambda data: len(data["interventions"]) == 3 and data["referrals"])

    # Reloaded mid-way: everything is there.
    page.reload()
    expect(page.locator('[name="goals-0-text"]')).to_have_value(GOALS[0])
    expect(page.locator('[name="goals-1-text"]')).to_have_value(GOALS[1])
    expect(page.locator('[name="goals-1-target"]')).to_have_value("2025-11-30")
    expect(page.locator('[name="interventions-1-action"]')).to_have_value(ACTIONS[1])
    expect(page.locator('[name="interventions-2-agency"]')).to_have_value("ХҚКО")
    expect(page.locator('[name="interventions-2-goal"]')).to_have_value(keys[1])
    expect(rows(page, "referrals").nth(0).locator("[data-picked-name]")).to_have_text(entry.name)
    expect(page.locator('[name="profile"]')).to_have_value(re.compile("^Әйел, 34 жаста"))

    page.locator("#id_monitoring").fill("Апта сайын телефон арқылы байланыс.")
    page.locator('[name="reviews-0-date"]').fill("2025-11-15")
    page.locator('[name="reviews-0-focus"]').fill("Қауіпсіздік жоспарының орындалуы")
    page.locator("#id_closing").fill("Клиент қауіпсіз жерде тұрады, құжаттары бар.")
    # The checklist empties as the last section is filled.
    expect(page.locator("[data-ready]")).to_be_visible()
    expect(page.locator("[data-problems]")).to_be_hidden()
    expect(page.locator("[data-problem-count]")).to_have_text("0")

    page.locator("#id_own_work").check()
    page.locator("#id_deidentified").check()
    page.get_by_role("button", name="Тапсыру", exact=True).click()

    expect(page).to_have_url(task_page)
    message = page.locator(".alert-success")
    expect(message).to_contain_text("1")
    version = Version.objects.get(submission__task=task, submission__student=cast.student)
    assert [goal["text"] for goal in version.content["plan"]["goals"]] == GOALS
    assert [item["action"] for item in version.content["plan"]["interventions"]] == [ACTIONS[0], ACTIONS[1], ACTIONS[2]]
    document = version.files.get()
    expect(message.locator("a")).to_have_attribute("href", reverse("portfolio:file_download", args=[document.pk]))
    expect(page.locator(".receipt")).to_contain_text(document.original_name)
    page.screenshot(path=tmp_path / "handed-in.png", full_page=True)

    with page.expect_download() as download_info:
        message.locator("a").click()
    pdf = tmp_path / "plan.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert GOALS[1] in " ".join(text.split())


def test_a_change_made_offline_is_kept_and_saved_when_the_connection_returns(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk]))

    status = page.locator("[data-status]")
    before = status.inner_text()
    page.context.set_offline(True)
    page.locator("#id_needs").fill("Байланыссыз жазылған қажеттіліктер")
    expect(status).not_to_have_text(before, timeout=5000)  # the page says it is not saved
    expect(status).not_to_contain_text(re.compile(r"\d\d:\d\d"))
    assert plan_of(cast, task) is None
    kept = page.evaluate("key => window.localStorage.getItem(key)", f"caseplan:{task.pk}:{cast.student.pk}")
    assert "Байланыссыз жазылған қажеттіліктер" in kept

    page.context.set_offline(False)
    wait_for_save(page, cast, task, lambda data: data["needs"] == "Байланыссыз жазылған қажеттіліктер")


def test_a_change_made_just_before_leaving_the_page_is_not_lost(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    sign_in(page, live_server, "student", PASSWORD)
    plan_page = live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk])
    page.goto(plan_page)

    # Left before the save was due (it waits for a pause in typing): the beacon sent on leaving takes it.
    page.locator("#id_strengths").fill("Жазылған сәтте бет жабылды")
    page.goto(live_server.url + reverse("grading:task_detail", args=[cast.course.pk, task.pk]))
    assert saved_plan(cast, task, lambda data: data["strengths"] == "Жазылған сәтте бет жабылды", seconds=5)
    page.goto(plan_page)
    expect(page.locator("#id_strengths")).to_have_value("Жазылған сәтте бет жабылды")
    status = page.locator("[data-status]")
    expect(status).to_contain_text(re.compile(r"\d\d:\d\d"))  # the last save's moment: nothing left to restore
    assert page.evaluate("key => window.localStorage.getItem(key)", f"caseplan:{task.pk}:{cast.student.pk}") is None


def test_rows_are_removed_by_keyboard_and_the_focus_moves_to_the_neighbour(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk]))
    page.on("dialog", lambda dialog: dialog.accept())

    problems = rows(page, "problems")
    for text in ["Бірінші", "Екінші", "Үшінші"]:
        if problems.count() and not problems.last.locator("input").input_value():
            problems.last.locator("input").fill(text)
        else:
            page.locator('[data-add="problems"]').click()
            problems.last.locator("input").fill(text)
    expect(problems).to_have_count(3)
    problems.nth(1).locator("[data-remove]").focus()
    page.keyboard.press("Enter")
    expect(problems).to_have_count(2)
    expect(page.locator('[name="problems-1-text"]')).to_have_value("Үшінші")
    expect(page.locator('[name="problems-1-text"]')).to_be_focused()
    expect(problems.nth(1).locator("[data-row-title]")).to_contain_text("2")
    wait_for_save(page, cast, task, lambda data: [item["text"] for item in data["problems"]] == ["Бірінші", "Үшінші"])


def test_a_change_the_server_never_got_is_put_back_after_a_reload_and_saved(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    sign_in(page, live_server, "student", PASSWORD)
    plan_page = live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk])
    page.goto(plan_page)
    status = page.locator("[data-status]")
    before = status.inner_text()

    # Every save fails, and the browser refuses the beacon on leaving (as it does one too large): the change lives
    # only in this browser.
    page.route("**/plan/save/", lambda route: route.abort())
    page.evaluate("navigator.sendBeacon = () => false")
    page.locator("#id_monitoring").fill("Ешқашан сақталмаған мониторинг")
    expect(status).not_to_have_text(before, timeout=5000)
    page.reload()
    page.unroute("**/plan/save/")
    assert plan_of(cast, task) is None  # nothing reached the server: what follows comes from this browser

    expect(page.locator("#id_monitoring")).to_have_value("Ешқашан сақталмаған мониторинг")
    wait_for_save(page, cast, task, lambda data: data["monitoring"] == "Ешқашан сақталмаған мониторинг")
    stored = page.evaluate("key => window.localStorage.getItem(key)", f"caseplan:{task.pk}:{cast.student.pk}")
    assert stored is None  # the server has it now


def test_a_copy_older_than_the_saved_plan_is_left_out_and_the_student_told(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    CasePlan.objects.create(task=task, student=cast.student, data={"monitoring": "Сақталған нұсқа"}, revision=3)
    sign_in(page, live_server, "student", PASSWORD)
    plan_page = live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk])
    page.goto(plan_page)
    status = page.locator("[data-status]")
    before = status.inner_text()
    key = f"caseplan:{task.pk}:{cast.student.pk}"
    old = {"revision": 2, "values": [["monitoring", "Ескі нұсқа"]], "picked": {}}
    page.evaluate("([key, copy]) => window.localStorage.setItem(key, JSON.stringify(copy))", [key, old])

    page.reload()
    expect(page.locator("#id_monitoring")).to_have_value("Сақталған нұсқа")
    expect(status).not_to_have_text(before)
    assert page.evaluate("key => window.localStorage.getItem(key)", key) is None
    assert CasePlan.objects.get().revision == 3
