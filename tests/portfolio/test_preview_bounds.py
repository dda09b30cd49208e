"""Files made to stall a worker (issue 15): a few hundred kilobytes that unpack to millions of empty XML elements.
Each is refused by the work it would take, not only by its bytes — as a preview ("No preview: why"), as counts at
upload, as a repository's check at hand-in — and the grading page of a student who handed one in answers quickly (about
0.2 s; the bound allows for a busy machine). The bombs are built here (tests/portfolio/bombs.py), each passing the
upload checks."""

import datetime as dt
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portfolio import counts
from portfolio.counts import NO_COUNTS, document_counts
from portfolio.models import FilePreview, RepositoryRow
from portfolio.previews import Preview, build_preview
from portfolio.previews.base import PREVIEW_SECONDS
from portfolio.repository.reading import CHECK_SECONDS
from tests.portfolio import bombs
from tests.portfolio.conftest import at, docx, hand_in

REPOSITORY_OPEN = at(dt.date(2025, 10, 1))  # before СӨЖ 1 is due
OVER_BUDGET = {"too_many_elements", "too_many_rows", "too_slow"}
# What the clock may add to a budget on a machine shared with other work: the clock is read every 1,024 elements.
SLACK = 1.5
# The grading page's bound: a preview rebuilt on a visit gets RETRY_SECONDS (0.5 s), not PREVIEW_SECONDS (2 s); a page
# that spent the full budget would fail it. An idle machine answers in about 0.2 s.
PAGE_SECONDS = 1.75


@pytest.fixture(scope="module")
def workbook_bomb():
    return bombs.shared_strings_bomb()


@pytest.fixture(scope="module")
def document_bomb():
    return bombs.docx_bomb()


def timed(work):
    started = time.monotonic()
    result = work()
    return result, time.monotonic() - started


# Previews ---------------------------------------------------------------------------------------------------------


def test_the_bombs_are_small_files_of_millions_of_elements(workbook_bomb, document_bomb):
    assert len(workbook_bomb) < 400_000 and len(document_bomb) < 400_000


def test_a_workbook_of_millions_of_empty_shared_strings_has_no_preview_and_says_why(workbook_bomb):
    preview, seconds = timed(lambda: build_preview(io.BytesIO(workbook_bomb), "xlsx"))

    assert seconds < PREVIEW_SECONDS + SLACK
    assert preview == Preview("none") and preview.reason in OVER_BUDGET
    with translation.override("en"):
        assert preview.reason_text.startswith("No preview: ")


def test_a_workbooks_first_rows_are_shown_without_reading_the_rest_of_its_shared_strings():
    workbook = bombs.shared_strings_bomb(refer_to_last=False)

    preview, seconds = timed(lambda: build_preview(io.BytesIO(workbook), "xlsx"))

    assert seconds < 1
    assert preview == Preview("table", rows=(("Аты",),), sheet_name="Парақ1")


def test_a_docx_of_millions_of_empty_paragraphs_has_no_preview_and_says_why(document_bomb):
    preview, seconds = timed(lambda: build_preview(io.BytesIO(document_bomb), "docx"))

    assert seconds < PREVIEW_SECONDS + SLACK
    assert preview == Preview("none") and preview.reason in OVER_BUDGET


def test_the_text_before_millions_of_empty_elements_is_shown_cut_short():
    preview = build_preview(io.BytesIO(bombs.docx_bomb(size=20_000_000, before=_paragraph("Кіріспе"))), "docx")

    assert preview == Preview("text", paragraphs=("Кіріспе",), truncated=True)


def _paragraph(text):
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_an_ods_of_millions_of_empty_rows_has_no_preview_and_says_why():
    sheet = bombs.ods_rows_bomb()

    preview, seconds = timed(lambda: build_preview(io.BytesIO(sheet), "ods"))

    assert seconds < PREVIEW_SECONDS + SLACK
    assert preview == Preview("none") and preview.reason in OVER_BUDGET


def test_the_heading_above_millions_of_empty_rows_is_shown_cut_short():
    preview = build_preview(io.BytesIO(bombs.ods_rows_bomb(heading=True)), "ods")

    assert preview == Preview("table", rows=(("Аты",),), truncated=True, sheet_name="Парақ1")


# Counts at upload ---------------------------------------------------------------------------------------------------


def test_counting_the_words_of_a_docx_of_millions_of_empty_paragraphs_stops_at_the_budget(document_bomb):
    found, seconds = timed(lambda: document_counts(io.BytesIO(document_bomb), "docx"))

    assert found == NO_COUNTS
    assert seconds < counts.COUNT_SECONDS + SLACK


def test_a_paragraph_of_millions_of_empty_runs_is_not_kept_whole_to_count_its_words():
    bomb = bombs.docx_bomb(size=20_000_000, element=b"<w:r/>", before="<w:p>").replace(b"</w:body>", b"</w:p></w:body>")

    found, seconds = timed(lambda: document_counts(io.BytesIO(bomb), "docx"))

    assert found == NO_COUNTS and seconds < 2


# Through the portal -------------------------------------------------------------------------------------------------


def grading_page(client, version):
    client.cookies["portal_language"] = "en"
    url = reverse("grading:grade", args=[version.submission_id])
    with CaptureQueriesContext(connection) as queries:
        response, seconds = timed(lambda: client.get(url))
    assert response.status_code == 200
    return response.content.decode(), seconds, len(queries)


@pytest.mark.django_db
def test_the_grading_page_of_a_docx_bomb_answers_quickly_and_says_there_is_no_preview(login, cast, document_bomb):
    essay = cast.tasks["СОӨЖ 1"]
    upload = SimpleUploadedFile("эссе.docx", document_bomb)
    version, upload_seconds = timed(lambda: hand_in(essay, cast.student, upload))
    # Counting and the preview, each within its budget, while the student waits for the upload.
    assert upload_seconds < counts.COUNT_SECONDS + PREVIEW_SECONDS + 2 * SLACK
    stored = FilePreview.objects.get()
    assert stored.kind == "none" and stored.reason in OVER_BUDGET
    client = login(cast.instructor)
    # A preview that ran out of time (on a busy machine) is built once more on the first visit, within a budget that
    # keeps the page under a second.
    _html, first_seconds, _queries = grading_page(client, version)

    html, seconds, queries = grading_page(client, version)

    assert first_seconds < PAGE_SECONDS and seconds < PAGE_SECONDS
    assert "No preview: " in html and "эссе.docx" in html
    assert reverse("portfolio:file_download", args=[version.files.get().pk]) in html
    # The same queries as for a document that has a preview.
    good = hand_in(cast.tasks["СОӨЖ 1"], cast.classmate, docx())
    _html, _seconds, good_queries = grading_page(client, good)
    assert queries == good_queries


@pytest.mark.django_db
def test_a_repository_bomb_is_handed_in_with_a_report_that_says_why_and_its_grading_page_is_quick(login, cast):
    repository = cast.tasks["СӨЖ 1"]
    # Packed under 100 times, so that only the work it takes stops the check (and not its test of the zip).
    upload = SimpleUploadedFile("репозиторий.xlsx", bombs.shared_strings_bomb(noise=0.03))

    version, seconds = timed(lambda: hand_in(repository, cast.student, upload, REPOSITORY_OPEN))

    assert seconds < PREVIEW_SECONDS + CHECK_SECONDS + 2 * SLACK
    assert version.check_report["fatal"]["code"] in {"too_many_elements", "too_slow"}
    assert not RepositoryRow.objects.exists()
    client = login(cast.instructor)
    _html, first_seconds, _queries = grading_page(client, version)  # a time-out is built once more, as above
    html, page_seconds, _queries = grading_page(client, version)
    assert first_seconds < PAGE_SECONDS and page_seconds < PAGE_SECONDS
    assert "No preview: " in html
