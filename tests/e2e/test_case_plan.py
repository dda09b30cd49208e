"""A student builds the individual work plan on the case they were given: opens it from the task page, fills the
sections, adds goals and interventions (by keyboard too), reorders a row, picks a referral from the directory,
reloads the page to find everything saved, hands in and downloads the PDF. Then: nothing is lost when the
connection drops, when the server fails, or when the page is left right after a change; a page behind a save made in
another tab never overwrites it, and keeps its own typing for the student to put back.

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

from caseplans.models import CaseAssignment, Vignette
from caseplans.plan import MAX_TEXT
from directory.models import Entry
from portfolio.models import Version, WorkingCopy
from tests.caseplans.conftest import VIGNETTE_TEXT
from tests.conftest import PASSWORD
from tests.directory.conftest import hand_in_rows, row
from tests.e2e.autosave import failing_saves, kept_copies_under, wait_until_nothing_is_kept_under
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
    return WorkingCopy.objects.filter(task=task, student=cast.student).first()


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


def copies_prefix(cast, task):
    return f"caseplan:{task.pk}:{cast.student.pk}:"


def kept_copies(page, cast, task):
    return kept_copies_under(page, copies_prefix(cast, task))


def wait_until_nothing_is_kept(page, cast, task):
    wait_until_nothing_is_kept_under(page, copies_prefix(cast, task))


FAIL_SAVES = failing_saves("/plan/save/")


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
    [kept] = kept_copies(page, cast, task)
    assert "Байланыссыз жазылған қажеттіліктер" in kept

    page.context.set_offline(False)
    wait_for_save(page, cast, task, lambda data: data["needs"] == "Байланыссыз жазылған қажеттіліктер")
    wait_until_nothing_is_kept(page, cast, task)  # the server answered: the copy has done its work


def test_a_server_error_is_told_as_such_and_the_save_tried_again(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk]))
    answered = []

    def fail_the_first(route):
        answered.append(route.request)
        if len(answered) == 1:
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")
        else:
            route.continue_()

    page.route("**/plan/save/", fail_the_first)
    page.locator("#id_needs").fill("Сервер құлаған сәттегі мәтін")
    # Not the words for a lost connection: the server failed, and the page says it tries again.
    failed = page.locator("#plan-form").get_attribute("data-failed-text")
    expect(page.locator("[data-status]")).to_have_text(failed)
    # (Waiting through the page, whose events answer the route; a wait on the database alone would hold it.)
    expect(page.locator("[data-status]")).to_contain_text(re.compile(r"\d\d:\d\d"), timeout=10000)
    wait_for_save(page, cast, task, lambda data: data["needs"] == "Сервер құлаған сәттегі мәтін")
    assert len(answered) == 2


def test_a_refused_save_shows_why_and_is_tried_again_only_after_a_change(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk]))
    saves = []
    page.on("request", lambda request: saves.append(request) if request.url.endswith("/plan/save/") else None)

    page.locator("#id_history").fill("ә" * (MAX_TEXT + 1))
    errors = page.locator("[data-save-errors] li")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text(str(MAX_TEXT))
    page.wait_for_timeout(3000)  # longer than the first pause before a failed save is tried again
    assert len(saves) == 1
    assert plan_of(cast, task) is None

    page.locator("#id_history").fill("Алты жыл бойы тұрмыстық зорлық-зомбылық.")
    wait_for_save(page, cast, task, lambda data: data["history"] == "Алты жыл бойы тұрмыстық зорлық-зомбылық.")
    expect(errors).to_have_count(0)


def let_the_last_save_land(page):
    """Wait before reading the database after a page was left: a page left cannot try a failed save again, and on
    SQLite (the tests' in-memory database, shared with the live server) a read at the moment of the server's write
    makes that write fail ("database table is locked"). PostgreSQL has no such lock."""
    page.wait_for_timeout(1000)


def test_a_change_made_just_before_leaving_the_page_is_not_lost(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    sign_in(page, live_server, "student", PASSWORD)
    plan_page = live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk])
    page.goto(plan_page)

    # Left before the save was due (it waits for a pause in typing): the beacon sent on leaving takes it.
    page.locator("#id_strengths").fill("Жазылған сәтте бет жабылды")
    page.goto(live_server.url + reverse("grading:task_detail", args=[cast.course.pk, task.pk]))
    let_the_last_save_land(page)
    assert saved_plan(cast, task, lambda data: data["strengths"] == "Жазылған сәтте бет жабылды", seconds=5)
    page.goto(plan_page)
    expect(page.locator("#id_strengths")).to_have_value("Жазылған сәтте бет жабылды")
    expect(page.locator("[data-kept]")).to_be_hidden()
    wait_until_nothing_is_kept(page, cast, task)
    assert plan_of(cast, task).revision == 1


# The browser hiding the page (another tab, another app), as the headless browser never does on its own.
SET_VISIBILITY = """state => {
  Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_a_change_made_just_before_switching_tabs_is_saved_and_the_page_carries_on_after(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk]))

    page.locator("#id_needs").fill("Қойынды ауыстырар алдында")
    page.evaluate(SET_VISIBILITY, "hidden")  # before the pause in typing is over: saved, and the answer taken
    expect(page.locator("#plan-form")).to_have_attribute("data-revision", "1")
    page.evaluate(SET_VISIBILITY, "visible")

    # Back on the tab, the page saves over the revision it was answered: no refusal of its own making.
    page.locator("#id_needs").fill("Қойындыға оралғаннан кейін")
    wait_for_save(page, cast, task, lambda data: data["needs"] == "Қойындыға оралғаннан кейін")
    expect(page.locator("[data-reload]")).to_be_hidden()
    assert plan_of(cast, task).revision == 2


def test_a_beacon_sent_on_leaving_is_not_taken_for_a_save(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    sign_in(page, live_server, "student", PASSWORD)
    plan_page = live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk])
    page.goto(plan_page)

    # The page's saves fail; leaving it, the beacon carries the change to the server, but no answer comes back.
    page.evaluate(FAIL_SAVES)
    page.locator("#id_strengths").fill("Маяқпен жіберілген күшті жақтар")
    page.goto(live_server.url + reverse("grading:task_detail", args=[cast.course.pk, task.pk]))
    let_the_last_save_land(page)
    assert saved_plan(cast, task, lambda data: data["strengths"] == "Маяқпен жіберілген күшті жақтар", seconds=5)
    [kept] = kept_copies(page, cast, task)  # still kept: nothing confirmed the beacon was taken
    assert "Маяқпен жіберілген күшті жақтар" in kept

    # The next visit finds the server holding the same plan: the copy is dropped without a word, nothing saved again.
    page.goto(plan_page)
    expect(page.locator("#id_strengths")).to_have_value("Маяқпен жіберілген күшті жақтар")
    expect(page.locator("[data-kept]")).to_be_hidden()
    wait_until_nothing_is_kept(page, cast, task)
    page.wait_for_timeout(1500)  # longer than the pause before a save
    assert plan_of(cast, task).revision == 1


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
    page.evaluate(FAIL_SAVES)
    page.evaluate("navigator.sendBeacon = () => false")
    page.locator("#id_monitoring").fill("Ешқашан сақталмаған мониторинг")
    expect(status).not_to_have_text(before, timeout=5000)
    page.reload()
    assert plan_of(cast, task) is None  # nothing reached the server: what follows comes from this browser

    expect(page.locator("#id_monitoring")).to_have_value("Ешқашан сақталмаған мониторинг")
    expect(page.locator("[data-kept]")).to_be_hidden()  # made from the revision the page shows: put back unasked
    wait_for_save(page, cast, task, lambda data: data["monitoring"] == "Ешқашан сақталмаған мониторинг")
    wait_until_nothing_is_kept(page, cast, task)  # the server has it now


def test_what_a_refused_hand_in_carried_is_kept_in_the_browser(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk]))
    too_long = "Тарих " + "ә" * MAX_TEXT
    page.locator("#id_history").fill(too_long)
    page.locator("#id_own_work").check()
    page.locator("#id_deidentified").check()
    page.get_by_role("button", name="Тапсыру", exact=True).click()

    # The page again, with what was typed and why it was refused: the server does not hold it, this browser does.
    expect(page.locator(".plan-errors")).to_be_visible()
    expect(page.locator("#id_history")).to_have_value(too_long)
    [kept] = kept_copies(page, cast, task)
    assert too_long in kept
    assert plan_of(cast, task) is None

    page.locator("#id_history").fill(too_long[:MAX_TEXT])  # put right: saved, and no longer kept
    wait_for_save(page, cast, task, lambda data: data["history"] == too_long[:MAX_TEXT])
    wait_until_nothing_is_kept(page, cast, task)


def keep_a_copy(page, cast, task, copy):
    page.evaluate(
        "([key, copy]) => window.localStorage.setItem(key, JSON.stringify(copy))",
        [copies_prefix(cast, task) + "earlier", copy],
    )


def test_a_copy_older_than_the_saved_plan_is_offered_and_discarded_only_when_asked(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    WorkingCopy.objects.create(task=task, student=cast.student, data={"monitoring": "Сақталған нұсқа"}, revision=3)
    sign_in(page, live_server, "student", PASSWORD)
    plan_page = live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk])
    page.goto(plan_page)
    keep_a_copy(page, cast, task, {"revision": 2, "values": [["monitoring", "Ескі нұсқа"]], "picked": {}, "at": 1})

    page.reload()
    expect(page.locator("#id_monitoring")).to_have_value("Сақталған нұсқа")
    notice = page.locator("[data-kept]")
    expect(notice).to_be_visible()
    expect(notice.get_by_role("button")).to_have_count(2)
    page.wait_for_timeout(1500)  # longer than the pause before a save: the student has not chosen, so nothing moves
    assert len(kept_copies(page, cast, task)) == 1
    assert WorkingCopy.objects.get().revision == 3

    notice.locator("[data-kept-discard]").focus()
    page.keyboard.press("Enter")
    expect(notice).to_be_hidden()
    expect(page.locator("#save-status")).to_be_focused()  # the button pressed is gone: the focus is on what happened
    assert kept_copies(page, cast, task) == []
    expect(page.locator("#id_monitoring")).to_have_value("Сақталған нұсқа")
    page.reload()
    expect(page.locator("[data-kept]")).to_be_hidden()
    assert WorkingCopy.objects.get().revision == 3


def test_a_tab_behind_a_save_made_in_another_keeps_its_typing_for_the_student_to_put_back(page, live_server, cast):
    task, _vignette, _entry = given_case(cast)
    sign_in(page, live_server, "student", PASSWORD)
    plan_page = live_server.url + reverse("caseplans:plan_edit", args=[cast.course.pk, task.pk])
    tab_b = page
    tab_b.goto(plan_page)  # opened first, before anything was saved
    tab_a = page.context.new_page()
    tab_a.goto(plan_page)

    tab_a.locator("#id_needs").fill("А қойындысында жазылған қажеттіліктер")
    wait_for_save(tab_a, cast, task, lambda data: data["needs"] == "А қойындысында жазылған қажеттіліктер")

    # Tab B still holds revision 0: its save is refused, and it says so with a way to reload.
    tab_b.locator("#id_needs").fill("Б қойындысында жазылған қажеттіліктер")
    reload = tab_b.locator("[data-reload]")
    expect(reload).to_be_visible()
    expect(tab_b.locator("[data-save-errors] li")).to_have_count(1)
    tab_b.locator("#id_strengths").fill("Б қойындысындағы күшті жақтар")  # typed after the refusal: kept too
    tab_b.wait_for_timeout(1500)  # longer than the pause before a save: a refused page sends nothing more
    plan = plan_of(cast, task)
    assert (plan.revision, plan.data["needs"], plan.data["strengths"]) == (
        1,
        "А қойындысында жазылған қажеттіліктер",
        "",
    )
    [kept] = kept_copies(tab_b, cast, task)
    assert "Б қойындысында жазылған қажеттіліктер" in kept
    assert "Б қойындысындағы күшті жақтар" in kept

    reload.focus()
    tab_b.keyboard.press("Enter")
    notice = tab_b.locator("[data-kept]")
    expect(notice).to_be_visible()
    expect(tab_b.locator("#id_needs")).to_have_value("А қойындысында жазылған қажеттіліктер")
    notice.locator("[data-kept-restore]").focus()
    tab_b.keyboard.press("Enter")
    expect(tab_b.locator("#id_needs")).to_have_value("Б қойындысында жазылған қажеттіліктер")
    expect(tab_b.locator("#id_strengths")).to_have_value("Б қойындысындағы күшті жақтар")
    expect(notice).to_be_hidden()
    expect(tab_b.locator("#save-status")).to_be_focused()
    wait_for_save(
        tab_b,
        cast,
        task,
        lambda data: (
            data["needs"] == "Б қойындысында жазылған қажеттіліктер"
            and data["strengths"] == "Б қойындысындағы күшті жақтар"
        ),
    )
    assert plan_of(cast, task).revision == 2
    wait_until_nothing_is_kept(tab_b, cast, task)
