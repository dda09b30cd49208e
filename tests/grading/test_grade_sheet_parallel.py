"""The grade sheet laid out in parts by the render workers (grading/documents/grade_sheet.py,
``grade_sheet_pdf_in_parts``; config/pdf.py): the same pages and text as the sheet laid out in one piece."""

import logging
import re
import subprocess
import sys
import time

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from config import pdf
from coursework.models import Enrollment
from grading.documents.grade_sheet import grade_sheet_pdf, grade_sheet_pdf_in_parts
from grading.models import CourseAssessment
from grading.selectors.gradebook import build_gradebook
from tests.grading.conftest import enrol_graded, layout_text

pytestmark = pytest.mark.django_db

# Uneven groups, two of them longer than a page; with two workers the first part holds the first two groups.
GROUP_SIZES = {"СЖ-23-01": 38, "СЖ-23-02": 9, "СЖ-23-03": 33}
FALLBACK = "laid out in one piece"


@pytest.fixture(scope="module", autouse=True)
def two_workers():
    """Two render workers, whatever the machine's CPUs, shared by the module's tests and stopped at its end; the
    class of 80 is laid out in parts (a sheet is, from PDF_PARTS_MIN_ROWS students)."""
    with override_settings(PDF_WORKERS=2, PDF_PARTS_MIN_ROWS=50):
        pdf.close_render_workers()
        yield
    pdf.close_render_workers()


@pytest.fixture
def large_class(cast):
    """The cast's course with 80 more students in three groups of uneven size, sorted into them by name."""
    enrol_graded(cast, sum(GROUP_SIZES.values()))
    enrollments = iter(Enrollment.objects.filter(student__username__startswith="extra").order_by("student__username"))
    for group, size in GROUP_SIZES.items():
        for _ in range(size):
            enrollment = next(enrollments)
            enrollment.academic_group = group
            enrollment.save(update_fields=["academic_group"])
    return cast


def staff_book(cast, group=None):
    return build_gradebook(cast.course, include_drafts=True, group=group, sort="group")


@pytest.fixture
def still(large_class, monkeypatch):
    """The clock held from here on, so that every sheet a test makes says alike when it was made."""
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return large_class


def both(book, language):
    """(the sheet laid out in one piece, the sheet laid out in parts)."""
    return grade_sheet_pdf(book, language=language), grade_sheet_pdf_in_parts(book, language=language)


def reading_text(content):
    """The PDF's text in reading order, as pdftotext gives it, line breaks and spaces kept."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode()


def laid_out_lines(content):
    """Each printed line's words as ``pdftotext -layout`` lays them out, the spaces between columns left out: two
    sheets' glyphs may sit a hundredth of a point apart (WeasyPrint rounds a glyph's width at the size it first
    meets it in a document), enough for pdftotext to pad a column with one space more or less."""
    return [line.split() for line in layout_text(content).splitlines()]


def pages_of(content):
    """The PDF's pages as pdftotext lays them out (each page ends with a form feed)."""
    return layout_text(content).split("\f")[:-1]


def counter(language, page, pages):
    with translation.override(language):
        return translation.gettext("page %(page)s of %(pages)s") % {"page": page, "pages": pages}


def group_heading(language, group):
    with translation.override(language):
        return translation.gettext("Academic group: %(group)s") % {"group": group}


@pytest.mark.parametrize(("language", "formula"), [("kk", True), ("ru", False)])
def test_the_sheet_in_parts_reads_as_the_sheet_in_one_piece(still, language, formula, caplog):
    CourseAssessment.objects.create(course=still.course, uses_credit_formula=formula)
    book = staff_book(still)
    with caplog.at_level(logging.WARNING, logger="portal.documents"):
        single, parts = both(book, language)
    assert FALLBACK not in caplog.text  # the workers laid it out

    assert reading_text(parts) == reading_text(single)
    assert laid_out_lines(parts) == laid_out_lines(single)
    pages = pages_of(parts)
    assert len(pages) == len(pages_of(single))
    for number, page in enumerate(pages, start=1):
        assert page.count(counter(language, number, len(pages))) == 1
    # Each group starts a page of its own, the first runs over two, and № runs on over the parts.
    starts = [
        next(number for number, page in enumerate(pages) if group_heading(language, group) in page)
        for group in book.groups
    ]
    assert starts[0] == 0 and starts[1] - starts[0] == 2 and starts[2] > starts[1]
    assert re.search(rf"^\s*{len(book.rows)}\s+{re.escape(book.rows[-1].student.display_name)}", pages[starts[2]], re.M)


def test_a_sheet_whose_workers_fail_is_laid_out_in_one_piece_and_the_workers_start_again(still, monkeypatch, caplog):
    book = staff_book(still)
    single = grade_sheet_pdf(book, language="kk")
    pdf.close_render_workers()
    with monkeypatch.context() as broken, caplog.at_level(logging.WARNING, logger="portal.documents"):
        broken.setattr(pdf, "WORKER_COMMAND", [sys.executable, "-c", "pass"])  # a worker that ends at once
        fallen_back = grade_sheet_pdf_in_parts(book, language="kk")
    assert FALLBACK in caplog.text
    assert reading_text(fallen_back) == reading_text(single)

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="portal.documents"):
        parts = grade_sheet_pdf_in_parts(book, language="kk")
    assert FALLBACK not in caplog.text
    assert reading_text(parts) == reading_text(single)


def test_a_sheet_of_one_group_is_laid_out_once_in_this_process(still, monkeypatch, caplog):
    book = staff_book(still, "СЖ-23-01")
    monkeypatch.setattr(pdf, "WORKER_COMMAND", ["/nonexistent/render-worker"])
    pdf.close_render_workers()
    with caplog.at_level(logging.WARNING, logger="portal.documents"):
        single, parts = both(book, "kk")
    assert FALLBACK not in caplog.text  # the workers were not asked: they could not have started
    assert layout_text(parts) == layout_text(single)  # the same render
    pages = pages_of(parts)
    assert len(pages) >= 2
    assert all(counter("kk", number, len(pages)) in page for number, page in enumerate(pages, start=1))


def test_a_sheet_shorter_than_the_threshold_is_laid_out_once_in_this_process(still, monkeypatch, caplog):
    book = staff_book(still)
    monkeypatch.setattr(pdf, "WORKER_COMMAND", ["/nonexistent/render-worker"])
    pdf.close_render_workers()
    with override_settings(PDF_PARTS_MIN_ROWS=len(book.rows) + 1), caplog.at_level(logging.WARNING):
        single, parts = both(book, "kk")
    assert FALLBACK not in caplog.text  # the workers were not asked: they could not have started
    assert layout_text(parts) == layout_text(single)


def test_a_worker_silent_past_the_time_limit_is_stopped_and_the_sheet_laid_out_here(still, monkeypatch, caplog):
    book = staff_book(still)
    pdf.close_render_workers()
    with (
        monkeypatch.context() as stuck,
        override_settings(PDF_RENDER_SECONDS=1),
        caplog.at_level(logging.WARNING, logger="portal.documents"),
    ):
        stuck.setattr(pdf, "WORKER_COMMAND", [sys.executable, "-c", "import time; time.sleep(600)"])
        started = time.monotonic()
        sheet = grade_sheet_pdf_in_parts(book, language="kk")
        assert time.monotonic() - started < 60  # not the ten minutes the workers would take
    assert FALLBACK in caplog.text
    assert reading_text(sheet) == reading_text(grade_sheet_pdf(book, language="kk"))
    pdf.close_render_workers()


def test_the_workers_give_this_process_the_page_counts_and_fail_whole_if_one_ends(monkeypatch):
    """The grade sheet's footers are laid out in this process with the parts' page counts, while the workers write
    the parts' PDFs (``render_pdfs``' ``meanwhile``)."""
    htmls = [
        "<p>бірінші бет</p>",
        "<p>бір</p><p style='break-before: page'>екі</p><p style='break-before: page'>үш</p>",
    ]
    pdf.close_render_workers()
    rendered, done = pdf.render_pdfs(iter(htmls), meanwhile=lambda counts: f"counted {counts}")
    assert done == "counted [1, 3]"
    assert [count for _content, count in rendered] == [1, 3]
    assert [layout_text(content) for content, _count in rendered] == [layout_text(pdf.render_pdf(h)) for h in htmls]

    pdf.close_render_workers()
    called = []
    with monkeypatch.context() as broken:
        broken.setattr(pdf, "WORKER_COMMAND", [sys.executable, "-c", "pass"])  # a worker that ends at once
        with pytest.raises(pdf.RenderWorkersUnavailable):
            pdf.render_pdfs(htmls, meanwhile=called.append)
    assert called == []
    pdf.close_render_workers()
