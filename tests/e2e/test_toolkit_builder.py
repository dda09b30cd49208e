"""A student builds СӨЖ 3's assessment toolkit in the portal: opens it from the task page, chooses the client
category, defines four social-history criteria, builds a questionnaire of five items and a rating scale from 1 to 5
with its anchors, moves an item up by keyboard (the new order is what is saved, and what the page shows after a
reload), sees the coverage table, uploads the presentation (a pptx, its slides counted), downloads the blank forms (a
PDF holding the items) and hands in. Then: an item dragged by its handle; the page on a phone; once closed, to read
only; changes no save reached, put back after a reload.

The page's own wording is asserted through its structure (its new texts are translated after these tests are
written); what the student typed is asserted as read.
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

from portfolio.models import Version, WorkingCopy
from tests.conftest import PASSWORD
from tests.e2e.autosave import failing_saves, wait_until_nothing_is_kept_under
from tests.e2e.conftest import sign_in
from tests.toolkits.conftest import WORKING, make_pptx, toolkit_values
from toolkits import services
from toolkits.data import MAX_TEXT

pytestmark = pytest.mark.django_db(transaction=True)

CRITERIA = [
    ("Отбасылық жағдайы", "Отбасының құрамы және ондағы қарым-қатынас"),
    ("Денсаулығы", "Дене және психикалық денсаулығы"),
    ("Тұрмыс жағдайы", "Тұрғын үйі және табыс көздері"),
    ("Әлеуметтік байланыстары", "Туыстарымен және көршілерімен байланысы"),
]
# (text, criterion's number, answer type, choices)
QUESTIONS = [
    ("Сіз кіммен бірге тұрасыз?", 1, "one_choice", "Жалғыз\nОтбасыммен"),
    ("Соңғы жылы қандай аурулармен ауырдыңыз?", 2, "open", ""),
    ("Айлық табысыңыз қанша (теңге)?", 3, "number", ""),
    ("Үйіңізде жылу мен су бар ма?", 3, "yes_no", ""),
    ("Көршілеріңізбен араласасыз ба?", 4, "yes_no", ""),
]
SCALE = [
    ("Өзімді жалғыз сезінемін", 4),
    ("Отбасым маған көмектеседі", 1),
    ("Күнделікті істерімді өзім атқарамын", 2),
]
ANCHORS = {1: "ешқашан", 3: "кейде", 5: "әрқашан"}
SLIDES = ["Бағалау құралдарының жиынтығы", "Критерийлер", "Қорытынды"]


def toolkit_task(cast):
    """СӨЖ 3, due a week from now (so that the hand-in is on time)."""
    task = cast.tasks["СӨЖ 3"]
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
    data = saved_work(cast, task, check)
    assert data is not None, "the work was not saved"
    expect(page.locator("[data-status]")).to_contain_text(re.compile(r"\d\d:\d\d"))
    return data


def instruments(page):
    return page.locator('[data-rows="instruments"] > [data-row]')


def items(page, instrument):
    return instruments(page).nth(instrument).locator('[data-rows="items"] > [data-row]')


def item_texts(data, instrument):
    return [item["text"] for item in data["instruments"][instrument]["items"]]


def fill_item(item, text, criterion, answer, choices=""):
    item.locator('[data-field="text"]').fill(text)
    item.locator('[data-field="criterion"]').select_option(label=f"{criterion}. {CRITERIA[criterion - 1][0]}")
    item.locator('[data-field="answer"]').select_option(answer)
    if choices:
        item.locator('[data-field="options"]').fill(choices)


def test_a_student_builds_the_toolkit_reorders_by_keyboard_uploads_the_deck_and_hands_in(
    page, live_server, cast, tmp_path
):
    task = toolkit_task(cast)
    task_page = live_server.url + reverse("grading:task_detail", args=[cast.course.pk, task.pk])
    edit_page = live_server.url + reverse("toolkits:edit", args=[cast.course.pk, task.pk])
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(task_page)
    page.locator(f"#toolkit a[href='{reverse('toolkits:edit', args=[cast.course.pk, task.pk])}']").click()
    expect(page).to_have_url(edit_page)

    # The category: "other" asks for its name; a category of the course's list does not.
    other = page.locator("#id_category_other")
    expect(other).to_be_hidden()
    page.locator("#id_category").select_option("other")
    expect(other).to_be_visible()
    page.locator("#id_category").select_option("elderly")
    expect(other).to_be_hidden()

    # Four criteria: the page starts with one empty row; three are added.
    criteria = page.locator('[data-rows="criteria"] > [data-row]')
    expect(criteria).to_have_count(1)
    for index, (name, definition) in enumerate(CRITERIA):
        if index:
            page.locator('[data-add="criteria"]').click()
            expect(criteria.nth(index).locator('[data-field="name"]')).to_be_focused()
        criteria.nth(index).locator('[data-field="name"]').fill(name)
        criteria.nth(index).locator('[data-field="definition"]').fill(definition)

    # The questionnaire: five items, each serving a criterion (its choice lists the criteria by name).
    expect(instruments(page)).to_have_count(1)
    questionnaire = instruments(page).nth(0)
    questionnaire.locator('[data-field="type"]').select_option("questionnaire")
    questionnaire.locator('[data-field="title"]').fill("Қарт адамның әлеуметтік тарихы")
    questionnaire.locator('[data-field="purpose"]').fill("Клиенттің жағдайы туралы негізгі мәліметтерді жинау")
    questionnaire.locator('[data-field="instructions"]').fill("Сұрақтарды ретімен оқып, жауабын белгілеңіз.")
    expect(items(page, 0).nth(0).locator('[data-field="criterion"] option')).to_have_count(5)  # none, and the four
    for index, question in enumerate(QUESTIONS):
        if index:
            questionnaire.locator('[data-add="items"]').click()
            expect(items(page, 0).nth(index).locator('[data-field="text"]')).to_be_focused()
        fill_item(items(page, 0).nth(index), *question)
    # A choice shows its choices' field; an open answer does not.
    expect(items(page, 0).nth(0).locator('[data-field="options"]')).to_be_visible()
    expect(items(page, 0).nth(1).locator('[data-field="options"]')).to_be_hidden()
    # A criterion renamed is renamed in every item's choice.
    criteria.nth(3).locator('[data-field="name"]').fill("Байланыстары")
    expect(items(page, 0).nth(4).locator('[data-field="criterion"] option:checked')).to_have_text("4. Байланыстары")
    criteria.nth(3).locator('[data-field="name"]').fill(CRITERIA[3][0])

    # The rating scale: a second instrument, its items scales from 1 to 5 with their anchors.
    page.locator('[data-add="instruments"]').click()
    expect(instruments(page)).to_have_count(2)
    scale = instruments(page).nth(1)
    expect(scale.locator('[data-field="type"]')).to_be_focused()
    scale.locator('[data-field="type"]').select_option("rating_scale")
    scale.locator('[data-field="title"]').fill("Өмір сүру сапасының шкаласы")
    scale.locator('[data-field="instructions"]').fill("Клиент таңдаған санды дөңгелектеңіз.")
    for index, (text, criterion) in enumerate(SCALE):
        if index:
            scale.locator('[data-add="items"]').click()
        item = items(page, 1).nth(index)
        fill_item(item, text, criterion, "scale")
        anchors = item.locator("[data-anchor] input")
        expect(anchors).to_have_count(5)
        for point, label in ANCHORS.items():
            item.locator(f'[name="instruments-1-items-{index}-anchor-{point}"]').fill(label)
    # The range changed: an anchor per point, what was typed at a point kept (and back when the point returns).
    first = items(page, 1).nth(0)
    first.locator('[data-field="scale_to"]').select_option("4")
    expect(first.locator("[data-anchor]")).to_have_count(4)
    first.locator('[data-field="scale_to"]').select_option("5")
    expect(first.locator("[data-anchor]")).to_have_count(5)
    expect(first.locator('[name="instruments-1-items-0-anchor-5"]')).to_have_value(ANCHORS[5])
    expect(first.locator('[name="instruments-1-items-0-anchor-1"]')).to_have_value(ANCHORS[1])

    data = wait_for_save(page, cast, task, lambda data: len(data["instruments"]) == 2 and len(item_texts(data, 1)) == 3)
    assert [criterion["name"] for criterion in data["criteria"]] == [name for name, _ in CRITERIA]
    assert item_texts(data, 0) == [question[0] for question in QUESTIONS]
    assert data["instruments"][1]["items"][0]["anchors"] == {str(point): label for point, label in ANCHORS.items()}
    assert data["instruments"][0]["items"][0]["options"] == ["Жалғыз", "Отбасыммен"]

    # The fourth question moved up by keyboard: it is the third now, the focus stays on its button.
    moved = items(page, 0).nth(3)
    moved.locator('[data-move="before"]').first.focus()
    page.keyboard.press("Enter")
    expect(page.locator('[name="instruments-0-items-2-text"]')).to_have_value(QUESTIONS[3][0])
    expect(page.locator('[name="instruments-0-items-3-text"]')).to_have_value(QUESTIONS[2][0])
    expect(items(page, 0).nth(2).locator('[data-move="before"]')).to_be_focused()
    order = [QUESTIONS[index][0] for index in (0, 1, 3, 2, 4)]
    wait_for_save(page, cast, task, lambda data: item_texts(data, 0) == order)

    # The coverage table: four criteria by two instruments, each criterion served.
    coverage = page.locator("[data-coverage]")
    expect(coverage.locator("[data-coverage-row]")).to_have_count(4)
    expect(coverage.locator("[data-coverage-instrument]")).to_have_count(2)
    expect(coverage.locator("[data-unserved]")).to_have_count(0)
    expect(coverage.locator("[data-coverage-row]").nth(2).locator("[data-total]")).to_have_text("2")  # two questions
    expect(coverage.locator("[data-coverage-row]").nth(3).locator("td").nth(1)).to_have_text("1")  # one scale item

    # Reloaded: the order saved is the order shown, and the item keeps its criterion.
    page.reload()
    for index, text in enumerate(order):
        expect(items(page, 0).nth(index).locator('[data-field="text"]')).to_have_value(text)
    expect(items(page, 0).nth(2).locator('[data-field="criterion"] option:checked')).to_have_text(
        f"3. {CRITERIA[2][0]}"
    )
    expect(items(page, 1).nth(1).locator('[name="instruments-1-items-1-anchor-3"]')).to_have_value(ANCHORS[3])

    # Only the presentation is missing.
    expect(page.locator("[data-problems] li")).to_have_count(1)
    expect(page.locator("[data-problem-count]")).to_have_text("1")

    # The presentation: a pptx, its slides counted and their titles listed.
    deck = tmp_path / "қорғау.pptx"
    deck.write_bytes(make_pptx(SLIDES))
    page.locator("#id_presentation").set_input_files(deck)
    page.locator(".toolkit-edit-presentation-upload button[type=submit]").click()
    expect(page).to_have_url(edit_page + "#presentation")
    staged = page.locator('[data-presentation="қорғау.pptx"]')
    expect(staged).to_be_visible()
    expect(staged.locator("[data-slides]")).to_have_attribute("data-slides", "3")
    expect(staged.locator(".slide-titles li")).to_have_text(SLIDES)
    expect(page.locator("#id_presentation")).to_have_count(0)  # one presentation a version

    # The blank forms: a PDF holding every item, in the order saved.
    with page.expect_download() as download:
        page.locator("[data-forms-pdf]").click()
    pdf = tmp_path / "forms.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = " ".join(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout.split())
    for question in [*order, *(item for item, _ in SCALE)]:
        assert question in text
    assert text.index(order[2]) < text.index(order[3])

    # Nothing left to put right; the statement; hand in.
    expect(page.locator("[data-ready]")).to_be_visible()
    expect(page.locator("[data-problems]")).to_be_hidden()
    expect(page.locator("[data-problem-count]")).to_have_text("0")
    page.screenshot(path=tmp_path / "toolkit-ready.png", full_page=True)
    page.locator("#id_own_work").check()
    page.locator("#id_deidentified").check()
    page.locator("[data-hand-in]").click()

    expect(page).to_have_url(task_page)
    expect(page.locator(".alert-success")).to_contain_text("1")
    version = Version.objects.get(submission__task=task, submission__student=cast.student)
    toolkit = version.content["toolkit"]
    assert item_texts(toolkit, 0) == order
    assert [instrument["type"] for instrument in toolkit["instruments"]] == ["questionnaire", "rating_scale"]
    assert version.files.get(is_generated=False).original_name == "қорғау.pptx"


def test_an_item_dragged_by_its_handle_takes_its_new_place(page, live_server, cast):
    task = toolkit_task(cast)
    services.toolkit_save(task=task, student=cast.student, values=toolkit_values())
    texts = item_texts(services.toolkit_for(task=task, student=cast.student), 0)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("toolkits:edit", args=[cast.course.pk, task.pk]))

    questions = items(page, 0)
    expect(questions).to_have_count(len(texts) + 1)  # and the spare row
    # The third question dropped on the top half of the first: it comes first.
    questions.nth(2).locator("[data-drag-handle]").first.drag_to(questions.nth(0), target_position={"x": 40, "y": 4})
    order = [texts[2], *texts[:2], *texts[3:]]
    for index, text in enumerate(order):
        expect(page.locator(f'[name="instruments-0-items-{index}-text"]')).to_have_value(text)
    expect(questions.nth(0)).to_have_attribute("aria-label", re.compile("1"))
    wait_for_save(page, cast, task, lambda data: item_texts(data, 0) == order)


def test_the_blank_forms_hold_what_was_typed_just_before_the_click(page, live_server, cast, tmp_path):
    task = toolkit_task(cast)
    services.toolkit_save(task=task, student=cast.student, values=toolkit_values())
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("toolkits:edit", args=[cast.course.pk, task.pk]))
    # Saves take a second to reach the server, so the save made on leaving the page (a beacon) cannot overtake the
    # download: only a save awaited before it can put the typing into the forms.
    page.route("**/toolkit/save/", lambda route: (time.sleep(1), route.continue_()))
    typed = "Сізге соңғы айда кім көмектесті?"
    page.locator('[name="instruments-0-items-0-text"]').fill(typed)
    # At once, long before the autosave's pause is over: the link saves first, then prints.
    with page.expect_download() as download:
        page.locator("[data-forms-pdf]").click()
    pdf = tmp_path / "forms.pdf"
    download.value.save_as(pdf)
    text = " ".join(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout.split())
    assert typed in text
    assert item_texts(services.toolkit_for(task=task, student=cast.student), 0)[0] == typed


def test_a_refused_save_does_not_hold_up_the_blank_forms(page, live_server, cast, tmp_path):
    task = toolkit_task(cast)
    services.toolkit_save(task=task, student=cast.student, values=toolkit_values())
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("toolkits:edit", args=[cast.course.pk, task.pk]))
    saves = []
    page.on("request", lambda request: saves.append(request) if request.url.endswith("/toolkit/save/") else None)
    purpose = page.locator('[name="instruments-0-purpose"]')
    purpose.evaluate("field => field.removeAttribute('maxlength')")  # as an old browser would let it through
    purpose.fill("ә" * (MAX_TEXT + 1))  # refused: longer than a text may be
    began = time.monotonic()
    with page.expect_download() as download:
        page.locator("[data-forms-pdf]").click()
    download.value.save_as(tmp_path / "forms.pdf")
    assert time.monotonic() - began < 5  # not the eight seconds the link waits at most
    assert len(saves) <= 2  # one save, not one every moment until the wait is over
    expect(page.locator("[data-save-errors]")).to_contain_text(str(MAX_TEXT))


def test_a_criterion_renamed_from_scratch_keeps_its_items(page, live_server, cast):
    task = toolkit_task(cast)
    services.toolkit_save(task=task, student=cast.student, values=toolkit_values())
    linked = [item["key"] for item in services.toolkit_for(task=task, student=cast.student)["instruments"][0]["items"]
              if item["criterion"] == "c0"]  # fmt: skip
    assert linked
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("toolkits:edit", args=[cast.course.pk, task.pk]))
    name = page.locator('[name="criteria-0-name"]')
    name.fill("")
    name.press_sequentially("Тұрмысы")
    chosen = page.locator('[name="instruments-0-items-0-criterion"]')
    expect(chosen).to_have_value("c0")
    expect(chosen.locator("option:checked")).to_have_text("1. Тұрмысы")

    def renamed_and_linked(data):
        items_of_c0 = [item["key"] for item in data["instruments"][0]["items"] if item["criterion"] == "c0"]
        return data["criteria"][0]["name"] == "Тұрмысы" and items_of_c0 == linked

    wait_for_save(page, cast, task, renamed_and_linked)


def test_on_a_phone_the_toolkit_fits_the_screen(page, live_server, cast, tmp_path):
    task = toolkit_task(cast)
    services.toolkit_save(task=task, student=cast.student, values=toolkit_values())
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("toolkits:edit", args=[cast.course.pk, task.pk]))
    item = items(page, 1).nth(0)
    text, choice = (
        item.locator('[data-field="text"]').bounding_box(),
        item.locator('[data-field="answer"]').bounding_box(),
    )
    assert choice["y"] > text["y"] + text["height"] - 1  # one under the other
    assert text["width"] > 280  # as wide as the card
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the screen
    page.screenshot(path=tmp_path / "toolkit-phone.png", full_page=True)


def test_once_closed_the_page_shows_the_toolkit_to_read_only(page, live_server, cast):
    task = cast.tasks["СӨЖ 3"]
    services.toolkit_save(task=task, student=cast.student, values=toolkit_values(), now=WORKING)
    task.cutoff_at = timezone.now() - dt.timedelta(days=1)
    task.save()
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("toolkits:edit", args=[cast.course.pk, task.pk]))
    expect(page.locator(".toolkit-edit-closed")).to_be_visible()
    expect(page.locator("#toolkit-form")).to_have_count(0)
    expect(page.locator("textarea, select, [data-hand-in]")).to_have_count(0)
    data = services.toolkit_for(task=task, student=cast.student)
    document = page.locator(".toolkit-document")
    for criterion in data["criteria"]:
        expect(document).to_contain_text(criterion["name"])
    expect(document).to_contain_text(data["instruments"][1]["items"][0]["text"])


def test_rows_the_server_never_got_are_put_back_after_a_reload_with_their_anchors(page, live_server, cast):
    task = toolkit_task(cast)
    services.toolkit_save(task=task, student=cast.student, values=toolkit_values())
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(live_server.url + reverse("toolkits:edit", args=[cast.course.pk, task.pk]))
    texts = item_texts(services.toolkit_for(task=task, student=cast.student), 0)

    # Every save fails, and the browser refuses the beacon on leaving: what follows lives only in this browser.
    page.evaluate(failing_saves("/toolkit/save/"))
    page.evaluate("navigator.sendBeacon = () => false")
    items(page, 0).nth(1).locator('[data-move="before"]').first.click()
    page.locator('[data-add="instruments"]').click()
    third = instruments(page).nth(2)
    third.locator('[data-field="type"]').select_option("observation")
    third.locator('[data-field="title"]').fill("Бақылау парағы")
    item = items(page, 2).nth(0)
    item.locator('[data-field="text"]').fill("Клиенттің көңіл күйі")
    item.locator('[data-field="answer"]').select_option("scale")
    item.locator('[data-field="scale_from"]').select_option("0")
    item.locator('[data-field="scale_to"]').select_option("3")
    item.locator('[name="instruments-2-items-0-anchor-0"]').fill("нашар")
    item.locator('[name="instruments-2-items-0-anchor-3"]').fill("жақсы")
    expect(page.locator("[data-status]")).not_to_contain_text(re.compile(r"\d\d:\d\d"), timeout=5000)
    page.reload()

    expect(page.locator("[data-kept]")).to_be_hidden()  # made from the revision the page shows: put back unasked
    expect(instruments(page)).to_have_count(3)
    expect(page.locator('[name="instruments-0-items-0-text"]')).to_have_value(texts[1])
    expect(page.locator('[name="instruments-2-title"]')).to_have_value("Бақылау парағы")
    expect(page.locator("[name=instruments-2-items-0-anchor-3]")).to_have_value("жақсы")
    expect(items(page, 2).nth(0).locator("[data-anchor]")).to_have_count(4)
    data = saved_work(cast, task, lambda data: len(data["instruments"]) == 3)
    assert data is not None, "what was put back was not saved"
    assert item_texts(data, 0)[:2] == [texts[1], texts[0]]
    scale = data["instruments"][2]["items"][0]
    assert (scale["scale_from"], scale["scale_to"], scale["anchors"]) == (0, 3, {"0": "нашар", "3": "жақсы"})
    wait_until_nothing_is_kept_under(page, f"toolkit:{task.pk}:{cast.student.pk}:")
