"""The feedback PDF (grading/documents/feedback.py): what the document says, in each language.

Who may download it, and what the request decides, is in test_exports_views.py."""

import subprocess
from decimal import Decimal

import pytest

from grading.documents.feedback import feedback_pdf_bytes
from grading.documents.pdf import BASE_URL, _StaticOnlyFetcher
from grading.services.grades import grade_release
from tests.grading.conftest import FEEDBACK, FEEDBACK_PICKS, KAZAKH_LETTERS, grade_of, hand_in, scores_for, text_of

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
