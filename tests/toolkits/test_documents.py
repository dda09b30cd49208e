"""The printed assessment toolkit (toolkits/documents.py, templates/toolkits/toolkit_pdf.html): what its PDF says, read
back with ``pdftotext``, and whether a form's answer boxes are drawn, found in a page rendered with ``pdftoppm``.

The toolkit is built here by hand, as the data contract of toolkits/data.py describes it; what the hand-in stores is
tested in test_services.py. Labels are read in English (the catalogues come last), the student's texts in Kazakh."""

import datetime as dt
import io
import subprocess
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation
from PIL import Image
from pypdf import PdfReader

from config.pdf import render_pdf
from tests.toolkits.conftest import CRITERIA as TOOLKIT_CRITERIA
from tests.toolkits.conftest import hand_in_toolkit
from toolkits.documents import blank_forms_pdf, toolkit_file_name, toolkit_html, toolkit_pdf

pytestmark = pytest.mark.django_db

HANDED_IN = timezone.make_aware(dt.datetime(2025, 10, 24, 15, 30))
# Letters of the Kazakh alphabet outside Russian's: they must reach the printout as letters, not as boxes or "?".
KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"

CRITERIA = [
    ("c1", "Отбасы құрамы", "Клиентпен бірге тұратындар және олардың рөлдері"),
    ("c2", "Денсаулық", "Клиенттің физикалық және психикалық денсаулығы"),
    ("c3", "Табыс көзі", "Жұмыс, жәрдемақы және қарыздар"),
    ("c4", "Әлеуметтік байланыстар", "Туыстар, көршілер, қауымдастық және қызметтер"),
    ("c5", "Тұрғын үй жағдайы", "Баспана, оның қауіпсіздігі мен жайлылығы"),
]


def item(key, text, criterion, answer="open", **extra):
    return {
        "key": key,
        "text": text,
        "criterion": criterion,
        "answer": answer,
        "options": extra.get("options", []),
        "scale_from": extra.get("scale_from"),
        "scale_to": extra.get("scale_to"),
        "anchors": extra.get("anchors", {}),
    }


def questionnaire():
    return {
        "key": "i1",
        "type": "questionnaire",
        "title": "Әлеуметтік тарих сауалнамасы",
        "purpose": "Клиенттің отбасы мен тұрмысы туралы негізгі мәліметтерді жинау",
        "instructions": "Сұрақтарды клиентке дауыстап оқыңыз.\nЖауаптарын өз сөзімен жазыңыз.",
        "items": [
            item("q1", "Сізбен бірге кім тұрады?", "c1"),
            item("q2", "Отбасылық жағдайыңыз", "c1", "one_choice", options=["Үйленген", "Ажырасқан", "Жесір"]),
            item("q3", "Қандай жәрдемақы аласыз?", "c3", "several_choices", options=["Мүгедектік", "Балаға", "Жоқ"]),
            item("q4", "Созылмалы ауруыңыз бар ма?", "c2", "yes_no"),
            item("q5", "Айына неше теңге табасыз?", "c3", "number"),
            item("q6", "Баспанаңыз өзіңіздікі ме?", "c5", "yes_no"),
        ],
    }


def rating_scale():
    return {
        "key": "i2",
        "type": "rating_scale",
        "title": "Әлеуметтік қолдау шкаласы",
        "purpose": "Клиенттің қолдау желісін бағалау",
        "instructions": "Әр тұжырымды оқып, клиентпен бірге бір нүктені белгілеңіз.",
        "items": [
            item("s1", "Туыстарым маған көмектеседі", "c4", "scale", scale_from=1, scale_to=5,
                 anchors={"1": "ешқашан", "3": "кейде", "5": "әрқашан"}),
            item("s2", "Көршілеріммен сөйлесемін", "c4", "scale", scale_from=1, scale_to=5,
                 anchors={"1": "ешқашан", "5": "әрқашан"}),
            item("s3", "Денсаулығым күнделікті істерге кедергі жасайды", "c2", "scale", scale_from=0, scale_to=10,
                 anchors={"0": "мүлде жоқ", "10": "өте қатты"}),
            item("s4", "Табысым қажеттілікке жетеді", "c3", "scale", scale_from=1, scale_to=4,
                 anchors={"1": "жоқ", "4": "толық"}),
            item("s5", "Қосымша пікір", "", "open"),
        ],
    }  # fmt: skip


def observation():
    return {
        "key": "i3",
        "type": "observation",
        "title": "Үйге бару кезіндегі бақылау парағы",
        "purpose": "Тұрғын үй жағдайын көзбен бағалау",
        "instructions": "Үйге барғанда байқағаныңызды белгілеңіз.",
        "items": [
            item("o1", "Үйде жылу бар ма?", "c5", "yes_no"),
            item("o2", "Бөлмелер саны", "c5", "number"),
            item("o3", "Отбасы мүшелерінің өзара қарым-қатынасы", "c1"),
        ],
    }


def toolkit_data(**changes):
    """A toolkit of five criteria and three instruments (a questionnaire, a rating scale, an observation form) using
    every answer type, in Kazakh; ``changes`` replace its top-level parts."""
    return {
        "category": "elderly",
        "category_other": "",
        "criteria": [{"key": key, "name": name, "definition": definition} for key, name, definition in CRITERIA],
        "instruments": [questionnaire(), rating_scale(), observation()],
        **changes,
    }


def snapshot(data):
    return {"kind": "assessment_toolkit", "toolkit": data}


def version(number=2):
    """What the document reads of a handed-in version: its number and moment."""
    return SimpleNamespace(number=number, submitted_at=HANDED_IN)


def pdf_text(content, *, first=None, last=None, layout=False):
    """The PDF's text (of pages ``first``–``last``) in reading order with whitespace collapsed, so that a wrapped line
    reads whole; with ``layout``, its lines as ``pdftotext -layout`` sets them out."""
    command = ["pdftotext", "-enc", "UTF-8"]
    command += ["-f", str(first)] if first else []
    command += ["-l", str(last)] if last else []
    command += ["-layout"] if layout else []
    result = subprocess.run([*command, "-", "-"], input=content, capture_output=True, check=True)
    text = result.stdout.decode()
    return text if layout else " ".join(text.split())


def pages_text(content, *, layout=False):
    count = len(PdfReader(io.BytesIO(content)).pages)
    return [pdf_text(content, first=number, last=number, layout=layout) for number in range(1, count + 1)]


def handed_in_pdf(task, student, data=None):
    with translation.override("en"):
        return toolkit_pdf(content=snapshot(data or toolkit_data()), task=task, student=student, version=version())


def draft_pdf(task, student, data=None):
    with translation.override("en"):
        return blank_forms_pdf(data=data or toolkit_data(), task=task, student=student)


def line_with(text, *words):
    """The first line of a ``-layout`` text holding every one of ``words``, or ""."""
    return next((line for line in text.splitlines() if all(word in line for word in words)), "")


# The cover and the criteria ------------------------------------------------------------------------------------------


def test_the_cover_names_the_course_the_task_the_student_the_version_and_the_client_category(cast, toolkit_task):
    cover = pdf_text(handed_in_pdf(toolkit_task, cast.student), first=1, last=1, layout=False)
    assert "Assessment toolkit" in cover
    assert "Case management (practical application) (CM-7B11401)" in cover
    assert "СӨЖ 3. Final project" in cover
    assert "Student Әбілқасымова Әсел" in cover
    assert "Version 2, handed in Oct. 24, 2025" in cover
    assert "Target client category Elderly people" in cover
    assert "Draft" not in cover
    assert "A scoring sheet for the rating scale follows the forms." in cover


def test_the_cover_lists_each_instrument_with_its_type_and_its_number_of_items(cast, toolkit_task):
    cover = pdf_text(handed_in_pdf(toolkit_task, cast.student), first=1, last=1, layout=True)
    for number, title, kind, items in (
        ("1", "Әлеуметтік тарих сауалнамасы", "Questionnaire", "6"),
        ("2", "Әлеуметтік қолдау шкаласы", "Rating scale", "5"),
        ("3", "Үйге бару кезіндегі бақылау парағы", "Observation form", "3"),
    ):
        assert line_with(cover, title).split() == [number, *title.split(), *kind.split(), items], title


def test_a_category_the_student_names_is_printed_as_named(cast, toolkit_task):
    data = toolkit_data(category="other", category_other="Жасөспірім аналар")
    assert "Target client category Жасөспірім аналар" in pdf_text(handed_in_pdf(toolkit_task, cast.student, data))


def test_the_criteria_table_gives_each_definition_and_how_many_items_of_each_instrument_serve_it(cast, toolkit_task):
    content = handed_in_pdf(toolkit_task, cast.student)
    page = pdf_text(content, first=2, last=2, layout=True)
    assert "Social-history criteria" in page
    # The columns: the criterion, its definition, one per instrument numbered as the cover lists them, the total.
    assert line_with(page, "Criterion", "Definition").split()[-4:] == ["1", "2", "3", "Items"]
    flat = pdf_text(content, first=2, last=2, layout=False)
    for _key, name, definition in CRITERIA:
        assert name in flat and definition in flat, name
    # Counts per instrument (· for none) and the total, on the line of the criterion's name.
    assert line_with(page, "Табыс көзі").split()[-4:] == ["2", "1", "·", "3"]
    assert line_with(page, "Әлеуметтік байланыстар").split()[-4:] == ["·", "2", "·", "2"]
    assert line_with(page, "Тұрғын үй жағдайы").split()[-4:] == ["1", "·", "2", "3"]
    assert "1 item serves no criterion." in flat  # the rating scale's last, open item


def test_a_criterion_no_item_serves_is_marked_in_the_table(cast, toolkit_task):
    data = toolkit_data()
    data["criteria"].append({"key": "c6", "name": "Құқықтық мәселелер", "definition": "Құжаттар мен соттар"})
    page = pdf_text(handed_in_pdf(toolkit_task, cast.student, data), first=2, last=2, layout=True)
    assert line_with(page, "Құқықтық мәселелер").split()[-4:] == ["·", "·", "·", "none"]


# The forms -----------------------------------------------------------------------------------------------------------


def test_each_instrument_is_a_form_of_its_own_with_its_purpose_instructions_and_items(cast, toolkit_task):
    content = handed_in_pdf(toolkit_task, cast.student)
    pages = pages_text(content)
    for number, (instrument, kind) in enumerate(
        ((questionnaire(), "QUESTIONNAIRE"), (rating_scale(), "RATING SCALE"), (observation(), "OBSERVATION FORM")),
        start=1,
    ):
        [page] = [page for page in pages if page.startswith(f"FORM {number} OF 3")]
        assert page.startswith(f"FORM {number} OF 3 · {kind} · ELDERLY PEOPLE {instrument['title']}")
        assert f"Purpose: {instrument['purpose']}" in page
        assert "INSTRUCTIONS FOR THE PRACTITIONER " + instrument["instructions"].replace("\n", " ") in page
        for position, entry in enumerate(instrument["items"], start=1):
            assert f"{position}. {entry['text']}" in page, entry["text"]
        # Room for notes, then the practitioner's name, signature and date.
        assert page.index("Notes") > page.index(instrument["items"][-1]["text"])
        assert page.index("Practitioner") > page.index("Notes")
    for page in pages_text(content, layout=True):
        if "Client's code" in page:
            assert line_with(page, "full name", "signature", "date"), page[:60]


def test_the_items_show_the_criterion_they_serve(cast, toolkit_task):
    pages = pages_text(handed_in_pdf(toolkit_task, cast.student))
    page = next(page for page in pages if "Үйге бару" in page and "Client's code" in page)
    assert "1. Үйде жылу бар ма? Criterion: Тұрғын үй жағдайы" in page
    assert "3. Отбасы мүшелерінің өзара қарым-қатынасы Criterion: Отбасы құрамы" in page


def test_choices_have_a_circle_or_a_check_box_before_each_option(cast, toolkit_task):
    page = next(page for page in pages_text(handed_in_pdf(toolkit_task, cast.student)) if "сауалнамасы Purpose" in page)
    assert "2. Отбасылық жағдайыңыз Criterion: Отбасы құрамы ○ Үйленген ○ Ажырасқан ○ Жесір" in page
    assert "3. Қандай жәрдемақы аласыз? Criterion: Табыс көзі ☐ Мүгедектік ☐ Балаға ☐ Жоқ" in page
    assert "4. Созылмалы ауруыңыз бар ма? Criterion: Денсаулық ☐ Yes ☐ No" in page
    assert "6. Баспанаңыз өзіңіздікі ме? Criterion: Тұрғын үй жағдайы ☐ Yes ☐ No" in page
    assert page.count("☐") == 3 + 2 + 2 and page.count("○") == 3


def test_a_scale_numbers_its_points_with_the_anchors_under_them(cast, toolkit_task):
    pages = pages_text(handed_in_pdf(toolkit_task, cast.student), layout=True)
    page = next(page for page in pages if "Әлеуметтік қолдау шкаласы" in page and "Client's code" in page)
    lines = page.splitlines()

    def points_and_anchors(text):
        """The line of the points under the item ``text``, and the line under that one."""
        at = next(index for index, line in enumerate(lines) if text in line)
        points = next(index for index in range(at + 1, len(lines)) if lines[index].split()[:1] in (["0"], ["1"]))
        return lines[points], lines[points + 1]

    def column(line, word):
        start = line.index(word)
        return start + len(word) / 2

    points, anchors = points_and_anchors("Туыстарым маған көмектеседі")
    assert points.split() == ["1", "2", "3", "4", "5"]
    assert anchors.split() == ["ешқашан", "кейде", "әрқашан"]
    # Each anchor stands under its point, the middle one where it is given.
    for point, anchor in (("1", "ешқашан"), ("3", "кейде"), ("5", "әрқашан")):
        assert abs(column(points, f" {point}") - column(anchors, anchor)) <= 4, anchor

    points, anchors = points_and_anchors("Көршілеріммен сөйлесемін")
    assert anchors.split() == ["ешқашан", "әрқашан"]
    assert column(anchors, "әрқашан") - column(points, " 5") <= 4

    points, anchors = points_and_anchors("Денсаулығым күнделікті")
    assert points.split() == [str(point) for point in range(11)]  # 0 to 10 on one line
    assert "мүлде" in anchors and "өте қатты" in anchors


def test_an_item_is_never_parted_from_its_answer_area(cast, toolkit_task):
    """Forty scale items fill three pages: each page that shows an item's text shows its points and anchors too, and
    each page after the first names the form."""
    scale = rating_scale()
    scale["items"] = [
        item(f"s{index}", f"Тұжырым нөмірі {index + 1:02d}", "c4", "scale", scale_from=1, scale_to=5,
             anchors={"1": "ешқашан", "5": "әрқашан"})
        for index in range(40)
    ]  # fmt: skip
    pages = pages_text(handed_in_pdf(toolkit_task, cast.student, toolkit_data(instruments=[scale])), layout=True)
    form_pages = [page for page in pages if "Тұжырым нөмірі" in page]
    assert len(form_pages) >= 3
    for page in form_pages:
        lines = [line.split() for line in page.splitlines()]
        shown = page.count("Тұжырым нөмірі")
        assert lines.count(["1", "2", "3", "4", "5"]) == shown, page[:80]
        assert lines.count(["ешқашан", "әрқашан"]) == shown, page[:80]
    assert sum(page.count("Тұжырым нөмірі") for page in form_pages) == 40
    # The form's further pages name it at their head.
    assert not form_pages[0].lstrip().startswith(scale["title"])
    assert all(page.lstrip().startswith(scale["title"]) for page in form_pages[1:])


def test_kazakh_letters_reach_the_printout(cast, toolkit_task):
    data = toolkit_data()
    data["instruments"][0]["items"][0]["text"] = f"Әріптер: {KAZAKH_LETTERS}"
    data["instruments"][1]["purpose"] = KAZAKH_LETTERS
    data["instruments"][1]["items"][0]["anchors"]["3"] = KAZAKH_LETTERS[:6]
    content = handed_in_pdf(toolkit_task, cast.student, data)
    text = pdf_text(content)
    assert f"1. Әріптер: {KAZAKH_LETTERS}" in text
    assert f"Purpose: {KAZAKH_LETTERS}" in text
    # An anchor under the scale's middle point.
    assert line_with(pdf_text(content, layout=True), "ешқашан", KAZAKH_LETTERS[:6]).split() == [
        "ешқашан",
        KAZAKH_LETTERS[:6],
        "әрқашан",
    ]


def test_what_the_student_wrote_is_printed_as_text_never_as_markup(cast, toolkit_task):
    data = toolkit_data()
    data["instruments"][0]["title"] = "<b>Сауалнама</b> & <i>тізім</i>"
    text = pdf_text(handed_in_pdf(toolkit_task, cast.student, data), layout=False)
    assert "<b>Сауалнама</b> & <i>тізім</i>" in text


# The scoring sheet ---------------------------------------------------------------------------------------------------


def test_a_rating_scale_has_a_scoring_sheet_summing_its_items_per_criterion(cast, toolkit_task):
    content = handed_in_pdf(toolkit_task, cast.student)
    pages = pages_text(content, layout=True)
    [sheet] = [page for page in pages if "Scoring sheet: Әлеуметтік қолдау шкаласы" in page]
    assert pages[-1] == sheet  # after the forms
    assert "SCORING SHEET · FORM 2" in sheet and "Client's code:" in sheet
    assert line_with(sheet, "Criterion", "Items and their scores", "Sum", "Possible")
    # Rows in the criteria's order: the item numbers whose scores add up, and the range of their sum.
    assert line_with(sheet, "Денсаулық").split() == ["1", "Денсаулық", "3.", "0–10"]
    assert line_with(sheet, "Табыс көзі").split() == ["2", "Табыс", "көзі", "4.", "1–4"]
    assert line_with(sheet, "Әлеуметтік байланыстар").split() == ["3", "Әлеуметтік", "байланыстар", "1.", "2.", "2–10"]
    assert line_with(sheet, "Total").split() == ["Total", "3–24"]
    assert "Отбасы құрамы" not in sheet  # no scale item serves it
    assert "Practitioner" in sheet


def test_only_rating_scales_with_scale_items_have_a_scoring_sheet(cast, toolkit_task):
    scale = rating_scale()
    scale["items"] = [entry for entry in scale["items"] if entry["answer"] != "scale"]
    content = handed_in_pdf(toolkit_task, cast.student, toolkit_data(instruments=[questionnaire(), scale]))
    text = pdf_text(content, layout=False)
    assert "Scoring sheet" not in text and "scoring sheet" not in text


# The draft -----------------------------------------------------------------------------------------------------------


def test_the_blank_forms_of_a_draft_say_draft_on_the_cover_and_on_every_page(cast, toolkit_task):
    pages = pages_text(draft_pdf(toolkit_task, cast.student))
    assert "Version Draft" in pages[0]
    assert "handed in" not in pages[0]
    assert all("Draft" in page for page in pages)
    assert len([page for page in pages if "Client's code" in page]) == 3 + 1  # three forms and a scoring sheet


def test_an_empty_draft_prints_a_cover_and_an_empty_criteria_table(cast, toolkit_task):
    empty = {"category": "", "category_other": "", "criteria": [], "instruments": []}
    pages = pages_text(draft_pdf(toolkit_task, cast.student, data=empty))
    assert len(pages) == 2
    assert "Target client category —" in pages[0]
    assert "Social-history criteria —" in pages[1]


def test_the_file_name_names_the_task_and_the_version(toolkit_task):
    with translation.override("en"):
        assert toolkit_file_name(task=toolkit_task, version=version(3)) == "Assessment toolkit — СӨЖ 3 — version 3.pdf"


def test_the_handed_in_toolkit_is_stored_as_this_document(cast, toolkit_task):
    handed_in = hand_in_toolkit(toolkit_task, cast.student)
    generated = handed_in.files.get(is_generated=True)
    with generated.file.open("rb") as stream:
        text = pdf_text(stream.read(), layout=False)
    assert "1-нұсқа" in text  # the version, in Kazakh, the active language
    for name, definition in TOOLKIT_CRITERIA:
        assert name in text and definition in text
    assert "Өзімді жалғыз сезінемін" in text


# The answer boxes, as a printer draws them ---------------------------------------------------------------------------

DPI = 60
MM = DPI / 25.4  # pixels in a millimetre


def page_image(content, number, tmp_path):
    """Page ``number`` of the PDF rendered in grey at 60 dpi by ``pdftoppm`` (poppler), without smoothing: a border
    is whole pixels of black, as a printer would draw it, rather than two columns of grey."""
    source, target = tmp_path / "toolkit.pdf", tmp_path / "page"
    source.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-aa", "no", "-aaVector", "no", "-png", "-singlefile",
         "-f", str(number), "-l", str(number), str(source), str(target)],
        check=True,
    )  # fmt: skip
    return Image.open(f"{target}.png").convert("L")


def dark_boxes(image, *, threshold=128):
    """The rectangles outlined in dark pixels on ``image``, as (left, top, width, height) in pixels, at least 3 mm on
    each side: a dark run across whose two ends dark runs go down, as long as each other, to a dark run under it.
    Glyphs (a ☐ is 3 mm at most) and single rules are not rectangles."""
    pixels, (width, height) = image.load(), image.size
    dark = [[pixels[x, y] < threshold for x in range(width)] for y in range(height)]
    smallest = round(3 * MM)

    def down(x, y):
        length = 0
        while y + length < height and dark[y + length][x]:
            length += 1
        return length

    boxes = []
    for y in range(height - smallest):
        x = 0
        while x < width:
            if not dark[y][x]:
                x += 1
                continue
            end = x
            while end + 1 < width and dark[y][end + 1]:
                end += 1
            if end - x + 1 >= smallest and not (y and dark[y - 1][x] and dark[y - 1][end]):
                side = min(down(x, y), down(end, y))
                bottom = y + side - 1
                if side >= smallest and sum(dark[bottom][x : end + 1]) >= 0.9 * (end - x + 1):
                    boxes.append((x, y, end - x + 1, side))
            x = end + 1
    return boxes


def form_page(content, title):
    """The number of the page of the form titled ``title`` (its first page)."""
    pages = pages_text(content)
    return next(number for number, page in enumerate(pages, start=1) if title in page and "Client's code" in page)


def rows_of(boxes, *, width_mm, height_mm):
    """The boxes about ``width_mm`` × ``height_mm`` big, grouped in rows by their top edge, top to bottom: the
    number of boxes in each row."""
    sized = [
        box for box in boxes if abs(box[2] - width_mm * MM) <= 1.5 * MM and abs(box[3] - height_mm * MM) <= 1.5 * MM
    ]
    rows = {}
    for left, top, _width, _height in sized:
        row = next((key for key in rows if abs(key - top) <= 1), top)
        rows.setdefault(row, []).append(left)
    return [len(rows[top]) for top in sorted(rows)]


def test_a_rating_scale_form_draws_a_box_for_each_point_of_each_scale(cast, toolkit_task, tmp_path):
    content = handed_in_pdf(toolkit_task, cast.student)
    number = form_page(content, "Әлеуметтік қолдау шкаласы")
    boxes = dark_boxes(page_image(content, number, tmp_path))
    # Four scales on the page: 1–5, 1–5, 0–10 and 1–4, their boxes 13.5 × 7.5 mm side by side.
    assert rows_of(boxes, width_mm=13.5, height_mm=7.5) == [5, 5, 11, 4]
    # The open item's ruled box and the notes' box span the width of the page.
    assert len([box for box in boxes if box[2] >= 170 * MM]) == 2


def test_a_questionnaire_form_has_check_boxes_a_number_box_and_ruled_boxes(cast, toolkit_task, tmp_path):
    content = handed_in_pdf(toolkit_task, cast.student)
    number = form_page(content, "Әлеуметтік тарих сауалнамасы")
    text = pdf_text(content, first=number, last=number)
    assert text.count("☐") == 7 and text.count("○") == 3  # several choices (3), two yes / no questions (2 + 2)
    boxes = dark_boxes(page_image(content, number, tmp_path))
    assert rows_of(boxes, width_mm=32, height_mm=8) == [1]  # the number's box
    assert len([box for box in boxes if box[2] >= 170 * MM]) == 2  # the open item's box and the notes'


def test_the_box_finder_finds_none_where_no_border_is_drawn(cast, toolkit_task, tmp_path):
    """The same rating scale form with its boxes' borders switched off: nothing a test above counts is found, so
    those tests fail if the boxes are not drawn."""
    with translation.override("en"):
        html = toolkit_html(
            content=snapshot(toolkit_data()), task=toolkit_task, student=cast.student, version=version()
        )
    content = render_pdf(html.replace("</style>", ".box { border: 0 !important; }</style>"))
    number = form_page(content, "Әлеуметтік қолдау шкаласы")
    assert "1 2 3 4 5" in pdf_text(content, first=number, last=number, layout=False)  # the points are still there
    boxes = dark_boxes(page_image(content, number, tmp_path))
    assert rows_of(boxes, width_mm=13.5, height_mm=7.5) == []
    assert [box for box in boxes if box[2] >= 170 * MM] == []
