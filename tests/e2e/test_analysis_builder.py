"""A student builds СӨЖ 4 in the portal: opens it from the task page, compares three models on six criteria (typing
into the cells), fills the SWOT (two items a quadrant), lists five references (two added from the course's reading list
in one click), reloads the page to find everything kept, uploads the report (a Word document), hands in and sees the
success message with the PDF. Then: the table on a phone, a card per criterion with each cell named by its model.

The page's own wording is asserted through its structure (its new texts are translated after these tests are
written); what the student typed, and the formatting of the references, are asserted as read.
"""

import datetime as dt
import re
import time

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from analysis.references import format_reference, reading_list_entry
from coursework.selectors.courses import course_document
from demo.portfolios import make_docx
from portfolio.models import Version, WorkingCopy
from tests.conftest import PASSWORD
from tests.e2e.autosave import failing_saves, kept_copies_under, wait_until_nothing_is_kept_under
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = ["Брокерлік модель", "Клиникалық модель", "Күшті жақтарға негізделген модель"]
SWOT = {
    "strengths": ["Мемлекеттік қолдау бар", "Әлеуметтік қызметкерлер желісі"],
    "weaknesses": ["Кадр тапшылығы", "Ведомствоаралық байланыс әлсіз"],
    "opportunities": ["Цифрландыру", "ҮЕҰ-мен әріптестік"],
    "threats": ["Қаржының тұрақсыздығы", "Кәсіби күйзеліс"],
}
READING = (6, 8)  # the reading list's entries added in one click: Сарыбаева's book and Мустафина's
REPORT_TEXT = "Кейс-менеджмент модельдерін салыстырмалы талдау: аналитикалық есеп"


def comparison_task(cast):
    """СӨЖ 4, due a week from now (so that the hand-in is on time)."""
    task = cast.tasks["СӨЖ 4"]
    task.due_at_override = timezone.now() + dt.timedelta(days=7)
    task.save()
    return task


def saved_work(cast, task, check, seconds=10):
    """The saved working copy's data once it passes ``check``, waiting for it up to ``seconds``; None if it never
    does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            copy = WorkingCopy.objects.filter(task=task, student=cast.student).first()
        except OperationalError:  # the live server's thread is writing to the shared in-memory SQLite database
            copy = None
        if copy is not None and check(copy.data):
            return copy.data
        time.sleep(0.1)
    return None


def wait_for_save(page, cast, task, check):
    """Wait until the saved working copy passes ``check`` and the page says when it was saved."""
    assert saved_work(cast, task, check) is not None, "the work was not saved"
    expect(page.locator("[data-status]")).to_contain_text(re.compile(r"\d\d:\d\d"))


def rows(page, section):
    return page.locator(f'[data-rows="{section}"] > [data-row]')


def cell_text(criterion, model):
    return f"{criterion}: {model} бойынша сипаттама"


def test_a_student_builds_the_analysis_uploads_the_report_and_hands_in(page, live_server, cast, tmp_path):
    task = comparison_task(cast)
    task_page = live_server.url + reverse("grading:task_detail", args=[cast.course.pk, task.pk])
    edit_page = reverse("analysis:edit", args=[cast.course.pk, task.pk])
    page.on("dialog", lambda dialog: dialog.accept())  # "Remove … and everything written in it?"
    page.set_viewport_size({"width": 1366, "height": 900})

    sign_in(page, live_server, "student", PASSWORD)
    page.goto(task_page)
    page.locator(f"#analysis a[href='{edit_page}']").click()

    # Three models: the page starts with two columns; a third is added, and then no more.
    heads = page.locator("[data-models] > [data-model]")
    expect(heads).to_have_count(2)
    add_model = page.locator("[data-add-model]")
    add_model.click()
    expect(heads).to_have_count(3)
    expect(add_model).to_be_disabled()
    for index, name in enumerate(MODELS):
        page.locator(f'[name="models-{index}-name"]').fill(name)

    # Six criteria: the suggested ones, less the last two; the fourth then moved up by keyboard.
    criteria = rows(page, "criteria")
    page.locator("[data-add-suggested]").click()
    expect(criteria).to_have_count(8)
    criteria.nth(7).locator("[data-remove]").click()
    criteria.nth(6).locator("[data-remove]").click()
    expect(criteria).to_have_count(6)
    names = [criteria.nth(index).locator("[data-criterion-name]").input_value() for index in range(6)]
    criteria.nth(3).locator('[data-move="before"]').focus()
    page.keyboard.press("Enter")
    names[2], names[3] = names[3], names[2]
    expect(page.locator('[name="criteria-2-name"]')).to_have_value(names[2])
    expect(criteria.nth(2).locator('[data-move="before"]')).to_be_focused()
    # Typing into every cell; a cell's label names its criterion and model.
    for row, criterion in enumerate(names):
        for column, model in enumerate(MODELS):
            cell = criteria.nth(row).locator("[data-cell-text]").nth(column)
            if row == 0 and column == 0:
                cell.press_sequentially(cell_text(criterion, model))
            else:
                cell.fill(cell_text(criterion, model))
    label = criteria.nth(1).locator("[data-cell] label").nth(2)
    expect(label).to_have_text(f"{names[1]} — {MODELS[2]}")

    # The SWOT: an item in each quadrant's first row, a second one added; an item linked to a criterion.
    for quadrant, items in SWOT.items():
        rows(page, quadrant).nth(0).locator('[data-field="text"]').fill(items[0])
        page.locator(f'[data-add="{quadrant}"]').click()
        expect(rows(page, quadrant).nth(1).locator('[data-field="text"]')).to_be_focused()
        page.keyboard.type(items[1])
    choice = rows(page, "threats").nth(1).locator('[data-field="criterion"]')
    expect(choice.locator("option")).to_have_count(7)  # none, and the six criteria
    choice.select_option(label=f"6. {names[5]}")

    wait_for_save(page, cast, task, lambda data: len(data["cells"]) == 6 and len(data["swot"]["threats"]) == 2)

    # Reloaded mid-way: everything is there.
    page.reload()
    expect(heads).to_have_count(3)
    for index, name in enumerate(MODELS):
        expect(page.locator(f'[name="models-{index}-name"]')).to_have_value(name)
    for row, criterion in enumerate(names):
        expect(criteria.nth(row).locator("[data-criterion-name]")).to_have_value(criterion)
        for column, model in enumerate(MODELS):
            expect(criteria.nth(row).locator("[data-cell-text]").nth(column)).to_have_value(cell_text(criterion, model))
    for quadrant, items in SWOT.items():
        for index, item in enumerate(items):
            expect(rows(page, quadrant).nth(index).locator('[data-field="text"]')).to_have_value(item)
    expect(rows(page, "threats").nth(1).locator('[data-field="criterion"] option:checked')).to_have_text(
        f"6. {names[5]}"
    )

    # Five references: two from the course's reading list, three written.
    numbered = dict(entry for part in course_document(cast.course).sections for entry in part.entries)
    page.locator("#reading-list summary").click()
    for number in READING:
        button = page.locator(f'[data-reading="{number}"]')
        button.click()
        expect(button).to_have_attribute("aria-disabled", "true")  # marked as added
    references = rows(page, "references")
    expect(references).to_have_count(2)
    for index, number in enumerate(READING):
        expect(references.nth(index).locator('[data-field="title"]')).to_have_value(
            reading_list_entry(numbered[number])["title"]
        )
    written = [
        {"kind": "book", "language": "en", "authors": "Frankel A.J.\nGelman S.R.", "year": "2019",
         "title": "Case Management: An Introduction to Concepts and Skills", "container": "Oxford University Press",
         "city": "Oxford", "pages": "214"},
        {"kind": "article", "language": "en", "authors": "Blundo R.G.", "year": "2016",
         "title": "Solution-focused case management", "container": "Professional Case Management", "volume": "21",
         "issue": "3", "pages": "112–120"},
        {"kind": "web", "language": "ru", "year": "2024", "title": "Социальная защита населения",
         "container": "Adilet", "url": "https://adilet.zan.kz/rus", "accessed": "2025-09-01"},
    ]  # fmt: skip
    for offset, entry in enumerate(written):
        page.locator('[data-add="references"]').click()
        reference = references.nth(2 + offset)
        reference.locator('[data-field="kind"]').select_option(entry["kind"])
        for field, value in entry.items():
            if field != "kind":
                control = reference.locator(f'[data-field="{field}"]')
                if field == "language":
                    control.select_option(value)
                else:
                    control.fill(value)
    # Each kind asks for its own fields: an article has no city, a web page no pages.
    expect(references.nth(3).locator('[data-field="city"]')).to_be_hidden()
    expect(references.nth(3).locator('[data-field="volume"]')).to_be_visible()
    expect(references.nth(4).locator('[data-field="pages"]')).to_be_hidden()

    wait_for_save(page, cast, task, lambda data: len(data["references"]) == 5)
    # Each entry shows how the course's style (ГОСТ) lists it, as the server formats it.
    entries = [reading_list_entry(numbered[number]) for number in READING] + written
    for index, entry in enumerate(entries):
        expect(references.nth(index).locator("[data-preview]")).to_have_text(format_reference(entry, style="gost"))

    # The report: a Word document, with its words counted.
    report = tmp_path / "есеп.docx"
    report.write_bytes(make_docx([REPORT_TEXT]))
    page.locator("#id_report").set_input_files(report)
    page.locator(".report-upload button[type=submit]").click()
    expect(page).to_have_url(live_server.url + edit_page + "#report")
    staged = page.locator('[data-report="есеп.docx"]')
    expect(staged).to_be_visible()
    expect(staged.locator(".document-length")).to_have_attribute("data-words", str(len(REPORT_TEXT.split())))
    expect(page.locator("#id_report")).to_have_count(0)  # one report a version

    # Nothing left to put right; the statement; hand in.
    expect(page.locator("[data-ready]")).to_be_visible()
    expect(page.locator("[data-problems]")).to_be_hidden()
    expect(page.locator("[data-problem-count]")).to_have_text("0")
    page.screenshot(path=tmp_path / "analysis-ready.png", full_page=True)
    page.locator("#id_own_work").check()
    page.locator("#id_deidentified").check()
    page.locator("[data-hand-in]").click()

    expect(page).to_have_url(task_page)
    message = page.locator(".alert-success")
    expect(message).to_contain_text("1")
    version = Version.objects.get(submission__task=task, submission__student=cast.student)
    analysis = version.content["analysis"]
    assert [model["name"] for model in analysis["models"]] == MODELS
    assert [criterion["name"] for criterion in analysis["criteria"]] == names
    assert {quadrant: [item["text"] for item in items] for quadrant, items in analysis["swot"].items()} == SWOT
    assert [entry["title"] for entry in analysis["references"]] == [entry["title"] for entry in entries]
    document, uploaded = version.files.get(is_generated=True), version.files.get(is_generated=False)
    assert uploaded.original_name == "есеп.docx"
    expect(message.locator("a")).to_have_attribute("href", reverse("portfolio:file_download", args=[document.pk]))
    expect(page.locator("#analysis .analysis-panel-state")).to_contain_text("1")
    page.screenshot(path=tmp_path / "analysis-handed-in.png", full_page=True)


def test_on_a_phone_each_criterion_is_a_card_whose_cells_are_named_by_their_model(page, live_server, cast):
    task = comparison_task(cast)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("analysis:edit", args=[cast.course.pk, task.pk]))
    page.locator('[name="models-0-name"]').fill(MODELS[0])
    page.locator('[name="models-1-name"]').fill(MODELS[1])
    row = rows(page, "criteria").nth(0)
    row.locator("[data-criterion-name]").fill("Мақсаты")
    labels = row.locator("[data-cell] label")
    expect(labels.nth(0)).to_have_text(re.compile(MODELS[0]))
    expect(labels.nth(0)).to_be_visible()
    # Measured once the save has answered: its answer redraws the checklist above the row, which moves the row.
    wait_for_save(page, cast, task, lambda data: data["criteria"])
    expect(page.locator("[data-saving]")).to_be_hidden()
    cells = row.locator("[data-cell-text]")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] > first["y"] + first["height"] - 1  # one under the other
    assert first["width"] > 300  # each as wide as the card
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the screen


# Saving as the student types (static/js/autosave.js) ------------------------------------------------------------------


def copies_prefix(cast, task):
    return f"analysis:{task.pk}:{cast.student.pk}:"


def kept_copies(page, cast, task):
    return kept_copies_under(page, copies_prefix(cast, task))


def wait_until_nothing_is_kept(page, cast, task):
    wait_until_nothing_is_kept_under(page, copies_prefix(cast, task))


FAIL_SAVES = failing_saves("/comparison/save/")


def test_a_change_made_offline_is_kept_and_saved_when_the_connection_returns(page, live_server, cast):
    task = comparison_task(cast)
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("analysis:edit", args=[cast.course.pk, task.pk]))

    status = page.locator("[data-status]")
    before = status.inner_text()
    page.context.set_offline(True)
    page.locator('[name="models-0-name"]').fill(MODELS[0])
    expect(status).not_to_have_text(before, timeout=5000)  # the page says it is not saved
    expect(status).not_to_contain_text(re.compile(r"\d\d:\d\d"))
    assert not WorkingCopy.objects.exists()
    [kept] = kept_copies(page, cast, task)
    assert MODELS[0] in kept

    page.context.set_offline(False)
    wait_for_save(page, cast, task, lambda data: [model["name"] for model in data["models"]] == [MODELS[0]])
    wait_until_nothing_is_kept(page, cast, task)  # the server answered: the copy has done its work


def test_rows_and_columns_the_server_never_got_are_put_back_after_a_reload_with_their_cells(page, live_server, cast):
    task = comparison_task(cast)
    sign_in(page, live_server, "student", PASSWORD)
    edit_page = live_server.url + reverse("analysis:edit", args=[cast.course.pk, task.pk])
    page.goto(edit_page)
    page.locator('[name="models-0-name"]').fill(MODELS[0])
    page.locator('[name="models-1-name"]').fill(MODELS[1])
    page.locator('[name="criteria-0-name"]').fill("Мақсаты")
    wait_for_save(page, cast, task, lambda data: len(data["models"]) == 2 and data["criteria"])

    # Every save fails, and the browser refuses the beacon on leaving: what follows lives only in this browser.
    page.evaluate(FAIL_SAVES)
    page.evaluate("navigator.sendBeacon = () => false")
    page.locator("[data-add-model]").click()
    page.locator('[name="models-2-name"]').fill(MODELS[2])
    page.locator("[data-models] > [data-model]").nth(2).locator('[data-move="before"]').click()  # third to second
    page.locator('[data-add="criteria"]').click()
    criteria = rows(page, "criteria")
    criteria.nth(1).locator("[data-criterion-name]").fill("Мақсатты топ")
    for column, model in enumerate([MODELS[0], MODELS[2], MODELS[1]]):
        criteria.nth(1).locator("[data-cell-text]").nth(column).fill(cell_text("Мақсатты топ", model))
    expect(page.locator("[data-status]")).not_to_contain_text(re.compile(r"\d\d:\d\d"), timeout=5000)
    page.reload()

    expect(page.locator("[data-kept]")).to_be_hidden()  # made from the revision the page shows: put back unasked
    expect(page.locator("[data-models] > [data-model]")).to_have_count(3)
    expect(page.locator('[name="models-1-name"]')).to_have_value(MODELS[2])
    expect(criteria).to_have_count(2)
    for column, model in enumerate([MODELS[0], MODELS[2], MODELS[1]]):
        cell = criteria.nth(1).locator("[data-cell-text]").nth(column)
        expect(cell).to_have_value(cell_text("Мақсатты топ", model))
    data = saved_work(cast, task, lambda data: len(data["models"]) == 3 and len(data["criteria"]) == 2)
    assert data is not None, "what was put back was not saved"
    assert [model["name"] for model in data["models"]] == [MODELS[0], MODELS[2], MODELS[1]]
    keys = {model["name"]: model["key"] for model in data["models"]}
    assert data["cells"][data["criteria"][1]["key"]][keys[MODELS[2]]] == cell_text("Мақсатты топ", MODELS[2])
    wait_until_nothing_is_kept(page, cast, task)


def test_a_tab_behind_a_save_made_in_another_keeps_its_typing_for_the_student_to_put_back(page, live_server, cast):
    task = comparison_task(cast)
    sign_in(page, live_server, "student", PASSWORD)
    edit_page = live_server.url + reverse("analysis:edit", args=[cast.course.pk, task.pk])
    tab_b = page
    tab_b.goto(edit_page)  # opened first, before anything was saved
    tab_a = page.context.new_page()
    tab_a.goto(edit_page)

    tab_a.locator('[name="strengths-0-text"]').fill("А қойындысындағы күшті жақ")
    wait_for_save(tab_a, cast, task, lambda data: data["swot"]["strengths"])

    # Tab B still holds revision 0: its save is refused, and it says so with a way to reload.
    tab_b.locator('[name="threats-0-text"]').fill("Б қойындысындағы қауіп")
    reload = tab_b.locator("[data-reload]")
    expect(reload).to_be_visible()
    expect(tab_b.locator("[data-save-errors] li")).to_have_count(1)
    tab_b.wait_for_timeout(1500)  # longer than the pause before a save: a refused page sends nothing more
    copy = WorkingCopy.objects.get()
    assert (copy.revision, copy.data["swot"]["threats"]) == (1, [])
    [kept] = kept_copies(tab_b, cast, task)
    assert "Б қойындысындағы қауіп" in kept

    reload.click()
    notice = tab_b.locator("[data-kept]")
    expect(notice).to_be_visible()
    expect(tab_b.locator('[name="strengths-0-text"]')).to_have_value("А қойындысындағы күшті жақ")
    notice.locator("[data-kept-restore]").click()
    expect(tab_b.locator('[name="threats-0-text"]')).to_have_value("Б қойындысындағы қауіп")
    expect(notice).to_be_hidden()
    expect(tab_b.locator("#save-status")).to_be_focused()
    wait_for_save(
        tab_b, cast, task, lambda data: [item["text"] for item in data["swot"]["threats"]] == ["Б қойындысындағы қауіп"]
    )
    assert WorkingCopy.objects.get().revision == 2
    wait_until_nothing_is_kept(tab_b, cast, task)
