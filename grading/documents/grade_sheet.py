"""The grade sheet (ведомость) as PDF: every group of a course's gradebook in one A4 landscape document, each academic
group from a new page, laid out in this process or, for a long sheet, in parts side by side (``config.pdf``'s render
workers) and merged. Every number comes from ``build_gradebook``, as for the other exports
(``grading.documents.gradebook``)."""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from config.pdf import (
    RenderWorkersUnavailable,
    css_string,
    merge_pdfs,
    render_pdf,
    render_pdfs,
    render_workers,
)
from grading.documents.gradebook import document_facts, page_counter
from grading.selectors.rollup import LABELS

GRADE_SHEET_TEMPLATE = "grading/grade_sheet_pdf.html"

logger = logging.getLogger("portal.documents")


def _grade_sheet_context(book):
    """What every piece of the grade sheet shares: the document's facts, the columns, the footers' content."""
    document = document_facts(book)
    return {
        **document,
        "book": book,
        "formula": book.assessment.uses_credit_formula,
        "labels": LABELS,
        "several_groups": len(document["groups"]) > 1,
        "dense": len(book.tasks) > 10,
        # №, name, total, %, letter, GPA, traditional grade; the tasks; ТК1 … РД, exam and final.
        "column_count": 7 + len(book.tasks) + (9 if book.assessment.uses_credit_formula else 0),
        "page_counter": page_counter(),
        "running_title": css_string(f"{document['course'].code} · {document['course'].display_title}"),
    }


def _sections(book):
    """The rows cut into their academic groups (the book is sorted by group), each row with its № in the sheet:
    a list of {"group", "rows": [(number, row)]}; one section without rows for an empty roster."""
    sections = []
    for number, row in enumerate(book.rows, start=1):
        if not sections or sections[-1]["group"] != row.group:
            sections.append({"group": row.group, "rows": []})
        sections[-1]["rows"].append((number, row))
    return sections or [{"group": "", "rows": []}]


def _sheet_html(context, sections, *, first=True, last=True, footers=True):
    """The HTML of the sheet's ``sections``: with the letterhead and details if ``first``, the legend and closing if
    ``last``, and the footers (running title, "page X of Y") if ``footers``."""
    pieces = {"sections": sections, "with_details": first, "with_closing": last}
    if not footers:
        pieces.update(running_title=None, page_counter=None)
    return render_to_string(GRADE_SHEET_TEMPLATE, {**context, **pieces})


def grade_sheet_html(book, *, language):
    """The grade sheet (ведомость) as HTML for WeasyPrint: A4 landscape, the table's header on every page, each
    academic group from a new page."""
    with translation.override(language):
        return _sheet_html(_grade_sheet_context(book), _sections(book))


def grade_sheet_pdf(book, *, language):
    """The grade sheet as PDF bytes, laid out in this process."""
    return render_pdf(grade_sheet_html(book, language=language))


def _runs(sections, count):
    """The sections cut into at most ``count`` runs of whole groups, each with about as many rows."""
    total = sum(len(section["rows"]) for section in sections)
    runs, rows = [[]], 0
    for section in sections:
        if runs[-1] and rows >= total * len(runs) / count:
            runs.append([])
        runs[-1].append(section)
        rows += len(section["rows"])
    return runs


def grade_sheet_pdf_in_parts(book, *, language):
    """The grade sheet as PDF bytes, laid out in parts side by side by the render workers (``config.pdf``) and
    merged: the same pages and text as ``grade_sheet_pdf``, in less time.

    Each academic group starts a page, so a run of groups laid out alone fills the same pages as in the whole sheet.
    There is one part per worker, each a run of whole groups with about as many rows: every part costs a fixed
    start (styles, fonts, its own PDF), so more parts than workers only add to the time. The first part carries the
    letterhead and details, the last the legend and closing, and № runs on across the parts. No part knows the
    sheet's page count, so the parts have no footers: once every part is laid out, the footers are laid out here on
    as many empty pages, while the workers write the parts' PDFs, and drawn over the sheet's pages. A short sheet
    (under ``PDF_PARTS_MIN_ROWS`` students), one group or one worker, or workers that fail: the sheet is laid out
    in this process. A short sheet gains nothing from parts (each part's fixed start eats the gain) and would pay
    the workers' start, about a second, in a process that has none yet.
    """
    with translation.override(language):
        context = _grade_sheet_context(book)
        sections = _sections(book)
        short = len(book.rows) < settings.PDF_PARTS_MIN_ROWS
        runs = [] if short else _runs(sections, render_workers().size)
        if len(runs) < 2:
            return render_pdf(_sheet_html(context, sections))
        last = len(runs) - 1
        # A generator: each part goes to a worker as soon as its HTML is made, while the next one's is made.
        parts = (
            _sheet_html(context, run, first=index == 0, last=index == last, footers=False)
            for index, run in enumerate(runs)
        )

        def footers(counts):
            # Laid out here while the workers write the parts' PDFs: this process has nothing else to do meanwhile.
            return render_pdf(_sheet_html({**context, "blank_pages": range(sum(counts))}, [], first=False))

        try:
            rendered, overlay = render_pdfs(parts, meanwhile=footers)
        except RenderWorkersUnavailable:
            logger.warning("grade sheet laid out in one piece: the PDF render workers failed", exc_info=True)
            return render_pdf(_sheet_html(context, sections))
    return merge_pdfs([content for content, _count in rendered], overlay=overlay)
