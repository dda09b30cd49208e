"""How much text a preview keeps (issue 15): a 58 KB .docx can hold one paragraph of forty million bytes, and
its preview is kept and sent with every visit of the grading page. A paragraph or a cell is cut at MAX_TEXT
characters and the whole preview at MAX_PREVIEW_TEXT, on a character boundary with "…", and the preview says it was
cut short; the kept row stays small and the page quick."""

import datetime as dt
import io
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio.models import FilePreview
from portfolio.previews import build_preview
from portfolio.previews.base import MAX_PREVIEW_TEXT, MAX_TEXT
from tests.portfolio import bombs
from tests.portfolio.conftest import BEFORE, at, hand_in
from tests.portfolio.test_previews import docx, ods, ods_row, paragraph

REPOSITORY_OPEN = at(dt.date(2025, 10, 1))  # before СӨЖ 1 is due
WORDS = "Әлеуметтік жұмыс тарихы "  # 24 characters


def long_text(size):
    return (WORDS * (size // len(WORDS) + 1))[:size]


def one_huge_run(size):
    """The .docx of the review: one paragraph, one run, ``size`` characters of text."""
    return docx(paragraph(long_text(size))).getvalue()


def timed(work):
    started = time.monotonic()
    result = work()
    return result, time.monotonic() - started


def text_size(preview):
    return sum(map(len, preview.paragraphs)) + sum(len(cell) for row in preview.rows for cell in row)


# Building ---------------------------------------------------------------------------------------------------------


def test_a_paragraph_of_twenty_million_characters_is_kept_as_its_first_two_thousand():
    document = one_huge_run(20_000_000)  # 37 MB of XML in some 110 KB of zip

    preview, seconds = timed(lambda: build_preview(io.BytesIO(document), "docx"))

    (shown,) = preview.paragraphs
    assert shown == long_text(MAX_TEXT).rstrip() + "…"
    assert preview.truncated
    assert seconds < 2


def test_a_paragraph_of_a_hundred_thousand_runs_is_cut_like_one_of_a_single_run():
    runs = f"<w:r><w:t>{WORDS}</w:t></w:r>" * 100_000
    document = docx(f"<w:p>{runs}</w:p>{paragraph('Қорытынды')}")

    preview = build_preview(document, "docx")

    assert [len(each) for each in preview.paragraphs] == [MAX_TEXT + 1, len("Қорытынды")]
    assert preview.paragraphs[0].endswith("…") and preview.truncated


def test_a_paragraph_of_exactly_the_limit_is_whole_and_not_cut_short():
    preview = build_preview(docx(paragraph(long_text(MAX_TEXT - 1) + "ы")), "docx")

    assert preview.paragraphs == (long_text(MAX_TEXT - 1) + "ы",)
    assert not preview.truncated


def test_a_cut_never_parts_a_letter_from_its_accent():
    # «й» written as «и» and a combining breve, standing just across the limit.
    text = "а" * (MAX_TEXT - 1) + "и\u0306" + "қ" * 10

    (shown,) = build_preview(docx(paragraph(text)), "docx").paragraphs

    assert shown == "а" * (MAX_TEXT - 1) + "…"


def test_whitespace_before_a_paragraphs_text_does_not_take_its_place():
    preview = build_preview(docx(paragraph(" " * 1_000_000, "Кіріспе", " " * 1_000_000)), "docx")

    assert preview.paragraphs == ("Кіріспе",)
    assert not preview.truncated


def test_paragraphs_together_are_cut_at_the_preview_limit():
    document = docx("".join(paragraph(f"{number}. {long_text(1_500)}") for number in range(400)))

    preview = build_preview(document, "docx")

    assert MAX_PREVIEW_TEXT <= text_size(preview) <= MAX_PREVIEW_TEXT + 1
    assert len(preview.paragraphs) < 80 and preview.paragraphs[-1].endswith("…")
    assert preview.truncated


@pytest.mark.parametrize("shared", [True, False], ids=["shared string", "inline string"])
def test_an_xlsx_cell_of_millions_of_characters_is_cut(shared):
    text = long_text(5_000_000)
    if shared:
        workbook = bombs.xlsx(bombs.string_cells(0, 1), f"<si><t>{text}</t></si><si><t>Балл</t></si>".encode())
    else:
        workbook = bombs.xlsx(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>')

    preview, seconds = timed(lambda: build_preview(io.BytesIO(workbook), "xlsx"))

    assert preview.rows[0][0] == long_text(MAX_TEXT).rstrip() + "…"
    assert preview.rows[0][1:] == (("Балл",) if shared else ())
    assert preview.truncated and seconds < 2


def test_an_ods_cell_of_millions_of_characters_is_cut():
    sheet = ods(f'<table:table table:name="Парақ1">{ods_row(long_text(5_000_000), "Балл")}</table:table>')

    preview = build_preview(sheet, "ods")

    assert preview.rows == ((long_text(MAX_TEXT).rstrip() + "…", "Балл"),)
    assert preview.truncated


def test_an_ods_cell_of_many_lines_keeps_them_and_is_cut_like_one_text():
    lines = "".join(f"<text:p>{number}</text:p>" for number in range(3))
    many = "".join(f"<text:p>{WORDS}</text:p>" for _ in range(10_000))
    cells = (
        f'<table:table-cell office:value-type="string">{lines}</table:table-cell>'
        f'<table:table-cell office:value-type="string">{many}</table:table-cell>'
    )
    sheet = ods(f'<table:table table:name="Парақ1"><table:table-row>{cells}</table:table-row></table:table>')

    ((first, second),) = build_preview(sheet, "ods").rows

    assert first == "0\n1\n2"
    assert len(second) <= MAX_TEXT + 1 and second.endswith("…")


def test_a_sheet_of_long_cells_is_cut_at_the_preview_limit():
    # Every cell refers to the same shared string of 1,999 characters: a small file, a table of millions.
    rows = "".join(
        f'<row r="{row}">' + "".join(f'<c r="{chr(65 + at)}{row}" t="s"><v>0</v></c>' for at in range(26)) + "</row>"
        for row in range(1, 201)
    )
    workbook = bombs.xlsx(rows, f"<si><t>{long_text(MAX_TEXT - 1)}</t></si>".encode())

    preview = build_preview(io.BytesIO(workbook), "xlsx")

    assert MAX_PREVIEW_TEXT <= text_size(preview) <= MAX_PREVIEW_TEXT + 1
    assert len(preview.rows) == MAX_PREVIEW_TEXT // (26 * (MAX_TEXT - 1)) + 1
    assert preview.truncated


def test_a_long_sheet_name_is_cut():
    sheet = ods(f'<table:table table:name="{"П" * 10_000}">{ods_row("Аты")}</table:table>')

    assert build_preview(sheet, "ods").sheet_name == "П" * 100 + "…"


# Kept and shown -----------------------------------------------------------------------------------------------------


def grading_page(client, version):
    client.cookies["portal_language"] = "en"
    started = time.monotonic()
    response = client.get(reverse("grading:grade", args=[version.submission_id]))
    assert response.status_code == 200
    return response.content.decode(), time.monotonic() - started


HUGE_RUN = 4_500_000  # characters: some 8 MB, under the size at which the upload checks weigh how far a part unpacks


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "moment", "upload"),
    [
        ("СОӨЖ 1", BEFORE, lambda: SimpleUploadedFile("эссе.docx", one_huge_run(HUGE_RUN))),
        (
            "СӨЖ 1",
            REPOSITORY_OPEN,
            lambda: SimpleUploadedFile(
                "репозиторий.xlsx",
                bombs.xlsx(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{long_text(HUGE_RUN)}</t></is></c></row>'),
            ),
        ),
    ],
    ids=["docx of one huge run", "xlsx of one huge cell"],
)
def test_a_file_of_one_huge_text_keeps_a_small_preview_and_its_grading_page_is_quick(
    login, cast, label, moment, upload
):
    version = hand_in(cast.tasks[label], cast.student, upload(), moment)

    kept = FilePreview.objects.get()
    assert len(json.dumps(kept.data)) < 250_000 and kept.data["truncated"]
    client = login(cast.instructor)
    grading_page(client, version)  # templates compiled, caches filled
    html, seconds = grading_page(client, version)

    assert seconds < 1 and len(html) < 250_000
    assert long_text(100) in html and "Only the beginning is shown." in html
