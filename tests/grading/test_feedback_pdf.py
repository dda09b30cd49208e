"""The feedback PDF (grading/documents/feedback.py): what the document says, in each language.

Who may download it, and what the request decides, is in test_exports_views.py."""

import subprocess
from decimal import Decimal

import pytest

from config.pdf import BASE_URL, _StaticOnlyFetcher, layout
from grading.documents.feedback import feedback_html, feedback_pdf_bytes
from grading.services.grades import grade_release, grade_save
from tests.grading.conftest import (
    EXCUSED_LATENESS,
    FEEDBACK,
    FEEDBACK_PICKS,
    KAZAKH_LETTERS,
    LATE,
    grade_of,
    hand_in,
    hand_in_work,
    scores_for,
    text_of,
)

pytestmark = pytest.mark.django_db


def pdf_info(content, tool="pdfinfo"):
    return subprocess.run([tool, "-"], input=content, capture_output=True, check=True).stdout.decode()


# The document -------------------------------------------------------------------------------


def test_the_document_is_a4_in_dejavu_fonts_only(released):
    content = feedback_pdf_bytes(released, language="kk")
    assert "(A4)" in pdf_info(content)
    fonts = [line.split()[0] for line in pdf_info(content, "pdffonts").splitlines()[2:]]
    assert fonts
    assert all("DejaVu" in font for font in fonts), fonts


def test_the_kazakh_document_shows_the_rubric_scores_and_feedback(cast, released):
    text = text_of(feedback_pdf_bytes(released, language="kk"))
    assert "Әл-Фараби атындағы Қазақ ұлттық университеті".upper() in text
    assert "Әлеуметтану және әлеуметтік жұмыс кафедрасы" in text
    assert "Кейс-менеджмент (Тәжірбелік қолдану) (CM-7B11401)" in text
    assert "СОӨЖ 1. Кейс-менеджменттің даму тарихы мен теориялық негіздері" in text
    assert "Әбілқасымова Әсел" in text
    assert "СЖ-23-01" in text
    for title in (
        "Тақырыпты түсінуі",
        "Жұмыс құрылымы",
        "Мазмұнның логикасы мен дереккөздерді қолдануы",
        "Жазу сауаттылығы",
        "Сыни тұрғыдан ойлау және қорытынды жасау",
    ):
        assert title in text
    for level_title, points, comment in FEEDBACK_PICKS:
        assert f"✓ {level_title}" in text  # the chosen level carries the mark
        assert comment in text
        assert f"{points.replace('.', ',')} / 25" in text
    assert text.count("✓") == len(FEEDBACK_PICKS) + 1  # one per criterion, one in the legend
    assert "20–25%" in text and "0–10%" in text
    assert "89,5 / 125" in text  # rubric sum over its maximum
    assert "14,3 / 20" in text  # task points
    assert "71,6%" in text
    assert "C+" in text and "2,33" in text
    assert "70–89%" in text  # the holistic band "Жақсы", the only range of that width
    assert "86,5%" in text and "Антиплагиат.kz" in text
    assert KAZAKH_LETTERS in text
    assert FEEDBACK in text


def test_it_says_when_the_work_was_handed_in_and_how_late(released):
    text = text_of(feedback_pdf_bytes(released, language="kk"))
    assert "1-нұсқа, тапсырылған уақыты: 2025 ж. 22 қыркүйек, 10:30" in text
    assert "10 сағат 31 минут кешікті" in text
    assert "2025 ж. 21 қыркүйек, 23:59" in text  # the due moment it missed


def test_the_footer_names_the_student_and_counts_the_pages(released):
    content = feedback_pdf_bytes(released, language="en")
    text = text_of(content)
    pages = int(next(line for line in pdf_info(content).splitlines() if line.startswith("Pages:")).split()[-1])
    for page in range(1, pages + 1):
        assert f"Әбілқасымова Әсел · page {page} of {pages}" in text


def test_a_rubric_whose_maxima_are_not_100_explains_the_scaling(released):
    text = text_of(feedback_pdf_bytes(released, language="en"))
    assert "The criteria's maxima add up to 125%; points are scaled to the task's maximum." in text


def test_the_english_reader_gets_english_labels_and_content(released):
    text = text_of(feedback_pdf_bytes(released, language="en"))
    assert "AL-FARABI KAZAKH NATIONAL UNIVERSITY" in text
    assert "Department of Sociology and Social Work" in text
    assert "Understanding of the topic" in text
    assert "Critical thinking and conclusions" in text
    assert "✓ Excellent" in text and "✓ Satisfactory" in text
    assert "89.5 / 125" in text and "14.3 / 20" in text and "71.6%" in text
    assert "GPA 2.33" in text
    assert "late by 10 hours 31 minutes" in text
    assert "Overall feedback" in text
    assert "Draft" not in text


def test_a_grade_without_rubric_shows_points_percentage_letter_and_feedback(cast, essay):
    essay.rubric = None
    essay.save()
    version = hand_in(essay, cast.student)
    grade = grade_of(version, grader=cast.instructor, points=Decimal("15.5"), feedback=FEEDBACK)
    grade = grade_release(grade=grade, by=cast.instructor)
    text = text_of(feedback_pdf_bytes(grade, language="en"))
    assert "15.5 / 20" in text
    assert "77.5%" in text
    # B- (75–79%); pdftotext joins "B-" at a line end to the next line, so the letter is checked by its GPA.
    assert "GPA 2.67 · Good" in text
    assert FEEDBACK in text
    assert "✓" not in text and "Rubric" not in text


def test_a_confirmed_zero_for_low_originality_is_explained(cast, essay):
    version = hand_in(essay, cast.student)
    grade = grade_of(
        version,
        grader=cast.instructor,
        scores=scores_for(essay.rubric, FEEDBACK_PICKS),
        originality_percent=Decimal(30),
        zero_confirmed=True,
    )
    text = text_of(feedback_pdf_bytes(grade, language="en"))
    assert "0 / 20" in text
    assert "Originality is 30%, below the course's minimum: the work receives 0 points." in text
    assert "GPA 0 · Unsatisfactory" in text  # F, the letter of 0%


# What was released, and what was not ------------------------------------------------------------------

FULL_MARKS = [("Өте жақсы", "25", "Барлығы орындалған.")] * 5  # 125 of 125 → 20 of 20


def resaved(cast, grade):
    """The released grade saved again with full marks and new feedback, not released."""
    return grade_save(
        version=grade.version,
        grader=cast.instructor,
        expected_lock_version=grade.lock_version,
        scores=scores_for(grade.rubric, FULL_MARKS),
        feedback="Қайта қаралды.",
        band_kept_reason=EXCUSED_LATENESS,
    )


def test_the_students_copy_shows_the_released_grade_until_it_is_released_again(cast, released):
    grade = resaved(cast, released)
    text = text_of(feedback_pdf_bytes(grade, language="en", for_student=True))
    assert "14.3 / 20" in text and "71.6%" in text and FEEDBACK in text
    assert "20 / 20" not in text and "Қайта қаралды." not in text and "Барлығы орындалған." not in text
    assert "Changed since its release" not in text
    grade = grade_release(grade=grade, by=cast.instructor, notify=False)
    text = text_of(feedback_pdf_bytes(grade, language="en", for_student=True))
    assert "20 / 20" in text and "Қайта қаралды." in text


def test_the_staffs_copy_shows_the_working_values_marked_as_not_released(cast, released):
    grade = resaved(cast, released)
    text = text_of(feedback_pdf_bytes(grade, language="kk"))
    assert "20 / 20" in text and "Қайта қаралды." in text
    assert "Жарияланғаннан кейін өзгертілді".upper() in text.upper()


def test_a_task_without_points_shows_its_percentage_where_points_would_stand(cast):
    task = cast.tasks["СОӨЖ 2-3"]
    grade = grade_save(
        version=hand_in_work(task, cast.student), grader=cast.instructor, expected_lock_version=0, percent=85
    )
    grade = grade_release(grade=grade, by=cast.instructor, notify=False)
    text = text_of(feedback_pdf_bytes(grade, language="ru", for_student=True))
    assert "85%" in text
    assert "оценивается в процентах; в баллы курса не входит" in text
    assert "Баллы" not in text.split("Результат")[1].split("Общий отзыв")[0]


def test_the_renderer_fetches_files_of_the_static_folder_only():
    fetcher = _StaticOnlyFetcher()
    response = fetcher(f"{BASE_URL}img/favicon.svg")
    try:
        assert response.read().startswith(b"<svg")
    finally:
        response.close()
    for url in (f"{BASE_URL}../manage.py", "file:///etc/passwd", "https://example.com/logo.png"):
        with pytest.raises(ValueError, match="refused"):
            fetcher(url)


def _overflowing_texts(box, cell=None):
    """Texts that stick out of the table cell holding them (on the laid-out page, in CSS pixels)."""
    if type(box).__name__ == "TableCellBox":
        cell = box
    found = []
    inside = cell is not None and type(box).__name__ == "TextBox"
    if inside and box.position_x + box.width > cell.content_box_x() + cell.width + 0.5:
        found.append(box.text)
    for child in getattr(box, "children", []):
        found += _overflowing_texts(child, cell)
    return found


@pytest.mark.parametrize(("originality", "title"), [("86.5", "Удовлетворительно"), ("50", "Неудовлетворительно")])
def test_nothing_overflows_its_cell_with_the_long_russian_band_titles(cast, essay, originality, title):
    # Late work at 71.6% is offered 50–69 ("Удовлетворительно"); with originality 50%, below 49
    # ("Неудовлетворительно", the longest band title).
    version = hand_in(essay, cast.student, moment=LATE)
    grade = grade_of(
        version,
        grader=cast.instructor,
        scores=scores_for(essay.rubric, FEEDBACK_PICKS),
        originality_percent=Decimal(originality),
    )
    html = feedback_html(grade, language="ru")
    assert f'<span class="figure band">{title}</span>' in html
    pages = layout(html).pages
    assert [text for page in pages for text in _overflowing_texts(page._page_box)] == []
