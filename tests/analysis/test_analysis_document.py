"""The printed analytical work (analysis/documents.py, templates/analysis/includes/analysis_document.html): what the
PDF a student hands in with СӨЖ 4 says, read back with ``pdftotext``, and how its pages are laid out.

Who may download it is the portfolio's rule (tests/portfolio); the grading and submission pages are in
test_analysis_grading.py."""

import io
import subprocess

import pytest
from pypdf import PdfReader

from analysis.documents import analysis_file_name, analysis_html
from tests.analysis.conftest import CRITERIA, MODELS, hand_in_analysis

pytestmark = pytest.mark.django_db

# The SWOT quadrants' headings as the Kazakh catalogue translates analysis.data.QUADRANTS.
KAZAKH_QUADRANTS = ("Күшті жақтары", "Әлсіз жақтары", "Мүмкіндіктер", "Қауіптер")
# The document's own headings, as /tmp/po12/analysis-document.po translates them.
KAZAKH_HEADINGS = ("Модельдерді салыстыру, SWOT-талдау және әдебиеттер", "SWOT-талдау", "Әдебиеттер тізімі")


def pdf_text(content, *, first=None, last=None, layout=False):
    """The PDF's text (of pages ``first``–``last``), in reading order with whitespace collapsed so that a wrapped
    cell reads whole; with ``layout``, its lines as the page sets them out (columns side by side)."""
    command = ["pdftotext", "-enc", "UTF-8"]
    command += ["-f", str(first)] if first else []
    command += ["-l", str(last)] if last else []
    command += ["-layout"] if layout else []
    result = subprocess.run([*command, "-", "-"], input=content, capture_output=True, check=True)
    text = result.stdout.decode()
    return text if layout else " ".join(text.split())


def page_shapes(content):
    """Each page as "landscape" or "portrait"."""
    pages = PdfReader(io.BytesIO(content)).pages
    return ["landscape" if page.mediabox.width > page.mediabox.height else "portrait" for page in pages]


def stored_pdf(version):
    with version.files.get(is_generated=True).file.open("rb") as stream:
        return stream.read()


def stored_name(version):
    return version.files.get(is_generated=True).original_name


def two_models(**changes):
    """The analysis compares the first two models only."""
    return {"models-2-key": "", "models-2-name": "", **changes}


LONG_SENTENCE = "Модель клиентке бағытталған. "


def long_table(**changes):
    """Twelve criteria whose every cell is a long paragraph: the comparison runs over several pages."""
    values = {}
    for index in range(12):
        values |= {f"criteria-{index}-key": f"c{index}", f"criteria-{index}-name": f"Өлшем-{index + 1:02d}"}
        for model in range(3):
            values[f"cell-c{index}-m{model}"] = f"Ұяшық {index + 1}.{model + 1}: " + LONG_SENTENCE * 12
    return {**values, **changes}


# The document -------------------------------------------------------------------------------------------------------


def test_the_handed_in_pdf_shows_the_comparison_the_swot_and_the_references(cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student)
    text = pdf_text(stored_pdf(version))
    # The header: course, task, student, version and moment, the report.
    assert "Кейс-менеджмент (Тәжірбелік қолдану) (CM-7B11401)" in text
    assert "СӨЖ 4" in text
    assert "Әбілқасымова Әсел" in text
    assert "1-нұсқа, тапсырылған уақыты: 2025 ж. 10 қазан, 12:00" in text
    assert "есеп.docx" in text
    # The comparison: every model, every criterion, a cell's text.
    for name in (*MODELS, *CRITERIA):
        assert name in text, name
    assert "Қарқындылығы: Клиникалық модель бойынша сипаттама" in text
    # The SWOT: an item of each quadrant, and the criterion an item is linked to.
    for item in ("Мемлекеттік қолдау бар", "Кадр тапшылығы", "Цифрландыру", "Кәсіби күйзеліс"):
        assert item in text, item
    # The references as the snapshot formatted them, in its order, and the style they follow.
    formatted = version.content["references_formatted"]
    assert len(formatted) == 5
    positions = [text.index(" ".join(entry.split())) for entry in formatted]
    assert positions == sorted(positions)
    assert "ГОСТ Р 7.0.5-2008" in text


def test_the_headings_are_in_kazakh_and_the_swot_in_the_grid_order(cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student)
    text = pdf_text(stored_pdf(version))
    positions = [text.index(heading) for heading in KAZAKH_QUADRANTS]
    assert positions == sorted(positions)  # strengths, weaknesses / opportunities, threats
    for heading in KAZAKH_HEADINGS:
        assert heading in text, heading
    assert "ГОСТ Р 7.0.5-2008 талабы бойынша рәсімделіп, реттелген." in text
    assert stored_name(version) == "Модельдерді салыстыру, SWOT-талдау және әдебиеттер — СӨЖ 4 — 1-нұсқа.pdf"


def test_the_model_names_head_the_columns_side_by_side(cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student)
    lines = pdf_text(stored_pdf(version), layout=True).splitlines()
    header = next(line for line in lines if "Брокерлік модель" in line)
    assert "Клиникалық модель" in header
    # The third model's long name wraps in its column: its first word is on the same line.
    assert "Күшті" in header


@pytest.mark.parametrize("size", ["six criteria", "twelve long criteria"])
def test_three_models_are_compared_on_landscape_pages_and_the_swot_on_a_portrait_one(cast, comparison_task, size):
    changes = long_table() if size == "twelve long criteria" else {}
    content = stored_pdf(hand_in_analysis(comparison_task, cast.student, **changes))
    shapes = page_shapes(content)
    pages = [pdf_text(content, first=number, last=number) for number in range(1, len(shapes) + 1)]
    assert shapes[0] == "landscape"  # the header and the table begin on the first page
    table = [number for number, text in enumerate(pages) if "Брокерлік модель" in text]
    assert table and all(shapes[number] == "landscape" for number in table)
    swot = next(number for number, text in enumerate(pages) if "Мемлекеттік қолдау бар" in text)
    assert shapes[swot] == "portrait" and swot > max(table)
    assert "Қаржының тұрақсыздығы" in pages[swot]  # the whole grid on that one page


def test_two_models_fit_a_portrait_page(cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student, **two_models())
    content = stored_pdf(version)
    assert set(page_shapes(content)) == {"portrait"}
    text = pdf_text(content)
    assert "Клиникалық модель" in text
    assert "Күшті жақтарға негізделген модель" not in text


def test_a_long_table_repeats_its_header_row_on_every_page(cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student, **long_table())
    content = stored_pdf(version)
    table_pages = [
        number
        for number in range(1, len(page_shapes(content)) + 1)
        if "Ұяшық" in pdf_text(content, first=number, last=number)
    ]
    assert len(table_pages) >= 2
    for number in table_pages:
        page = pdf_text(content, first=number, last=number)
        assert "Брокерлік модель" in page and "Клиникалық модель" in page, number
    # Rows are never cut: each row's three cells are on one page.
    for row in range(1, 13):
        pages = {number for number in table_pages if f"Ұяшық {row}.1:" in pdf_text(content, first=number, last=number)}
        assert pages == {
            number for number in table_pages if f"Ұяшық {row}.3:" in pdf_text(content, first=number, last=number)
        }, row


def test_every_page_carries_the_running_title_and_its_number(cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student, **long_table())
    content = stored_pdf(version)
    count = len(page_shapes(content))
    for number in range(1, count + 1):
        page = pdf_text(content, first=number, last=number)
        assert "CM-7B11401 · СӨЖ 4 · Әбілқасымова Әсел" in page, number
        assert f"{number}" in page and f"{count}" in page


def test_the_references_follow_the_apa_style_when_the_course_uses_it(cast, comparison_task):
    course = comparison_task.course
    course.reference_style = "apa"
    course.save()
    version = hand_in_analysis(comparison_task, cast.student)
    assert version.content["reference_style"] == "apa"
    text = pdf_text(stored_pdf(version))
    assert "APA" in text
    assert "ГОСТ" not in text
    for entry in version.content["references_formatted"]:
        assert " ".join(entry.split()) in text


def test_the_students_text_is_escaped(cast, comparison_task):
    version = hand_in_analysis(
        comparison_task, cast.student, **{"cell-c0-m0": "<b>жуан</b> & <script>alert(1)</script>"}
    )
    html = analysis_html(content=version.content, task=comparison_task, student=cast.student, version=version)
    assert "&lt;b&gt;жуан&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_a_swot_item_names_the_criterion_it_is_linked_to(cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student)
    html = analysis_html(content=version.content, task=comparison_task, student=cast.student, version=version)
    start, end = html.index('class="swot-quadrant swot-strengths"'), html.index('class="swot-quadrant swot-weaknesses"')
    strengths = html[start:end]
    first, second = strengths.split("<li>")[1:3]
    assert "Мемлекеттік қолдау бар" in first and 'class="swot-criterion"' in first
    assert "Қазақстанға сәйкестігі" in first
    assert 'class="swot-criterion"' not in second


def test_the_file_is_named_for_the_task_and_the_version(cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student)
    generated = version.files.get(is_generated=True)
    assert generated.original_name == analysis_file_name(task=comparison_task, version=version)
    assert "СӨЖ 4" in generated.original_name and generated.original_name.endswith(".pdf")
