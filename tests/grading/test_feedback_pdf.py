"""The feedback PDF: who may download it, then what the document says, in each language."""

import datetime as dt
import subprocess
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from grading.documents.feedback import feedback_pdf_bytes
from grading.documents.pdf import BASE_URL, _StaticOnlyFetcher
from grading.models import Criterion
from grading.services.grades import grade_release, grade_save
from grading.services.rubrics import rubric_copy
from tests.grading.conftest import hand_in, scores_for
from tests.portfolio.conftest import at

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
FEEDBACK = f"Жұмыс жақсы орындалған, қорытындыны нақтылаңыз. Әріптер: {KAZAKH_LETTERS}."
PICKS = [
    ("Өте жақсы", "23", "Тақырып толық ашылған, теориялық негіздер анық."),
    ("Жақсы", "17.5", "Құрылымы сақталған, бөлімдер байланысы әлсіз."),
    ("Өте жақсы", "21", "Дереккөздер ғылыми талапқа сай."),
    ("Жақсы", "16", "Бірнеше пунктуациялық қате бар."),
    ("Қанағаттанарлық", "12", "Өз көзқарасыңызды дәлелдеп, қорытынды жасаңыз."),
]  # 89.5 of 125 → 71.6% → 14.3 of 20 points → C+ (2.33), holistic band "Жақсы" (70–89)
LATE = at(dt.date(2025, 9, 22), 10, 30)  # due Sunday 21 September, 23:59


def grade_of(version, *, scores=(), **values):
    return grade_save(version=version, grader=values.pop("grader"), expected_lock_version=0, scores=scores, **values)


@pytest.fixture
def draft(cast, essay):
    """The student's late essay graded on the seed rubric; not released yet."""
    version = hand_in(essay, cast.student, moment=LATE)
    return grade_of(
        version,
        grader=cast.instructor,
        scores=scores_for(essay.rubric, PICKS),
        feedback=FEEDBACK,
        originality_percent=Decimal("86.5"),
        originality_checker="Антиплагиат.kz",
    )


@pytest.fixture
def released(cast, draft):
    return grade_release(grade=draft, by=cast.instructor)


def pdf_url(grade):
    return reverse("grading:feedback_pdf", args=[grade.pk])


def text_of(content):
    """The PDF's text (pdftotext, reading order), whitespace collapsed so that wrapped cells read whole."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def pdf_info(content, tool="pdfinfo"):
    return subprocess.run([tool, "-"], input=content, capture_output=True, check=True).stdout.decode()


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, released):
    response = client.get(pdf_url(released))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["classmate", "other_student", "other_instructor", "other_dept_admin"])
def test_nobody_outside_the_student_and_the_courses_staff_gets_it(login, cast, released, who):
    assert login(getattr(cast, who)).get(pdf_url(released)).status_code == 404


def test_the_student_gets_it_only_once_the_grade_is_released(login, cast, draft):
    client = login(cast.student)
    assert client.get(pdf_url(draft)).status_code == 404
    grade_release(grade=draft, by=cast.instructor)
    response = client.get(pdf_url(draft))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
def test_the_courses_staff_may_download_a_draft_marked_as_such(login, cast, draft, who):
    response = login(getattr(cast, who)).get(pdf_url(draft))
    assert response.status_code == 200
    with translation.override("kk"):
        assert translation.gettext("Draft") in text_of(response.content)


def test_it_answers_only_get(login, cast, released):
    assert login(cast.student).post(pdf_url(released)).status_code == 405


# The response -------------------------------------------------------------------------------


def test_it_is_a_private_download_named_for_the_task_and_the_student(login, cast, released):
    response = login(cast.student).get(pdf_url(released))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote("СОӨЖ 1 — Әбілқасымова Әсел.pdf") in disposition


def queries_for_the_pdf(client, grade):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(pdf_url(grade)).status_code == 200
    return len(queries)


def test_its_queries_do_not_grow_with_the_rubric(login, cast, essay, released):
    """The seed rubric's five criteria, then a department copy with three more: the same number of queries."""
    longer = rubric_copy(rubric=essay.rubric, department=cast.department, user=cast.instructor)
    template = longer.criteria.prefetch_related("levels").first()
    for number in range(1, 4):
        criterion = Criterion.objects.create(rubric=longer, position=10 + number, title=f"Қосымша критерий {number}")
        for level in template.levels.all():
            level.pk, level.criterion = None, criterion
            level.save()
    essay.rubric = longer
    essay.save()
    other = hand_in(essay, cast.classmate)
    picks = [*PICKS, *[("Жақсы", "16", "Жақсы.")] * 3]
    bigger = grade_release(
        grade=grade_of(other, grader=cast.instructor, scores=scores_for(longer, picks)), by=cast.instructor
    )
    client = login(cast.instructor)
    queries_for_the_pdf(client, released)  # warm caches such as the content types
    small = queries_for_the_pdf(client, released)
    assert small <= 12
    assert queries_for_the_pdf(client, bigger) == small


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
    for level_title, points, comment in PICKS:
        assert f"✓ {level_title}" in text  # the chosen level carries the mark
        assert comment in text
        assert f"{points.replace('.', ',')} / 25" in text
    assert text.count("✓") == len(PICKS) + 1  # one per criterion, one in the legend
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


def test_the_russian_reader_gets_russian_content_through_the_language_cookie(login, cast, released):
    client = login(cast.student)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    text = text_of(client.get(pdf_url(released)).content)
    assert "Казахский национальный университет имени аль-Фараби".upper() in text
    assert "Кафедра социологии и социальной работы" in text
    assert "История развития и теоретические основы кейс-менеджмента" in text
    for title in ("Понимание темы", "Структура работы", "Грамотность письма", "Критическое мышление и выводы"):
        assert title in text
    assert "✓ Отлично" in text and "✓ Хорошо" in text
    assert "22 сентября 2025 г. 10:30" in text
    assert "70–89%" in text
    assert KAZAKH_LETTERS in text  # the grader's own words stay as written


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
        scores=scores_for(essay.rubric, PICKS),
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
