import datetime as dt
import io
import time
import zipfile

import openpyxl
import pytest

from portfolio.previews import MAX_MEMBER_SIZE, Preview, build_preview, word_count

TITLE = "Кейс-менеджменттің даму тарихы"

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"'
)


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


def docx(body):
    return zipped(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.wordprocessingml.document.main+xml"/></Types>'
            ),
            "word/document.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f"<w:document {W_NS}><w:body>{body}</w:body></w:document>",
        }
    )


def paragraph(*runs):
    return "<w:p>" + "".join(f'<w:r><w:t xml:space="preserve">{run}</w:t></w:r>' for run in runs) + "</w:p>"


def odf(mimetype, body):
    return zipped(
        {
            "mimetype": mimetype,
            "content.xml": f'<?xml version="1.0" encoding="UTF-8"?>'
            f"<office:document-content {ODF_NS}><office:body>{body}</office:body></office:document-content>",
        }
    )


def odt(text):
    return odf("application/vnd.oasis.opendocument.text", f"<office:text>{text}</office:text>")


def ods(tables):
    return odf("application/vnd.oasis.opendocument.spreadsheet", f"<office:spreadsheet>{tables}</office:spreadsheet>")


def ods_row(*cells, repeated=1):
    xml = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{cell}</text:p></table:table-cell>'
        if cell
        else "<table:table-cell/>"
        for cell in cells
    )
    return f'<table:table-row table:number-rows-repeated="{repeated}">{xml}</table:table-row>'


EMPTY_ODS_ROWS = (
    '<table:table-row table:number-rows-repeated="1048576">'
    '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
)


def xlsx():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Бағалар"
    sheet.append(["Студент", "Балл", "Тапсырған күні", None])
    sheet.append(["Әсел Қайратқызы", 95.0, dt.datetime(2025, 9, 1)])
    sheet.append(["Нұржан Серікұлы", 87.5, dt.datetime(2025, 9, 2, 14, 30)])
    sheet.append(["Дана Болатқызы", 100])
    # A formatted but empty cell far out is written to the file and must not widen or lengthen the table.
    sheet.cell(row=40, column=12).number_format = "0.00"
    workbook.create_sheet("Екінші парақ").append(["бұл көрсетілмейді"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE w:document ['
    '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    + "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefgh", "bcdefghi", strict=True))
    + f"]><w:document {W_NS}><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>"
)


def test_a_pdf_is_shown_by_the_browser():
    assert build_preview(io.BytesIO(b"%PDF-1.7"), "pdf") == Preview("pdf")


def test_a_docx_gives_its_paragraphs_with_runs_joined_and_table_cells_included():
    body = (
        paragraph("Кейс-менеджменттің ", "даму", " тарихы")
        + "<w:p/>"
        + paragraph("   ")
        + "<w:tbl><w:tr>"
        + f"<w:tc>{paragraph('Кезең')}</w:tc><w:tc>{paragraph('Жылы')}</w:tc>"
        + "</w:tr></w:tbl>"
        + paragraph("Қорытынды")
    )

    preview = build_preview(docx(body), "docx")

    assert preview == Preview("text", paragraphs=(TITLE, "Кезең", "Жылы", "Қорытынды"))


def test_deleted_text_in_tracked_changes_is_left_out_of_a_docx():
    body = "<w:p><w:r><w:t>Қалды</w:t></w:r><w:del><w:r><w:delText> жойылды</w:delText></w:r></w:del></w:p>"

    assert build_preview(docx(body), "docx").paragraphs == ("Қалды",)


def test_a_long_docx_is_cut_at_the_paragraph_limit_and_says_so():
    body = "".join(paragraph(f"{number}-бөлім") for number in range(1, 11))

    preview = build_preview(docx(body), "DOCX", max_paragraphs=3)

    assert preview.paragraphs == ("1-бөлім", "2-бөлім", "3-бөлім")
    assert preview.truncated


def test_an_odt_gives_headings_and_paragraphs_with_spans_spaces_and_tabs():
    text = (
        f"<text:h>{TITLE}</text:h>"
        "<text:p/>"
        '<text:p>Әлеуметтік<text:s text:c="3"/><text:span>жұмыс</text:span><text:tab/>2025</text:p>'
        "<text:list><text:list-item><text:p>Тізім <text:span>жолы</text:span> бар</text:p></text:list-item></text:list>"
    )

    preview = build_preview(odt(text), "odt")

    assert preview == Preview("text", paragraphs=(TITLE, "Әлеуметтік жұмыс\t2025", "Тізім жолы бар"))


def test_a_comment_in_an_odt_is_left_out_and_a_footnote_is_a_paragraph_of_its_own():
    text = (
        "<text:p>Мәтін<office:annotation><dc:creator>Ұстаз</dc:creator><text:p>пікір</text:p></office:annotation>"
        ' жалғасы<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
        "<text:note-body><text:p>Ескерту</text:p></text:note-body></text:note> соңы.</text:p>"
    )

    assert build_preview(odt(text), "odt").paragraphs == ("Ескерту", "Мәтін жалғасы1 соңы.")


def test_a_long_odt_keeps_every_word_in_order_across_the_parsers_buffers():
    # 2,000 paragraphs: about 80,000 characters, within what a preview keeps, and some 400 KB of XML.
    expected = tuple(f"{number}. Әлеуметтік жұмыс\tтарихы мен дамуы" for number in range(2000))
    text = "".join(
        f'<text:p>{number}. <text:span text:style-name="T1">Әлеуметтік</text:span><text:s/>жұмыс<text:tab/>'
        f"<text:span>тарихы <text:span>мен</text:span> дамуы</text:span></text:p>"
        for number in range(2000)
    )

    preview = build_preview(odt(text), "odt", max_paragraphs=5000)

    assert preview.paragraphs == expected
    assert not preview.truncated


def test_an_xlsx_gives_the_first_sheet_with_numbers_and_dates_written_plainly():
    preview = build_preview(xlsx(), "xlsx")

    assert preview == Preview(
        "table",
        rows=(
            ("Студент", "Балл", "Тапсырған күні"),
            ("Әсел Қайратқызы", "95", "2025-09-01"),
            ("Нұржан Серікұлы", "87.5", "2025-09-02 14:30:00"),
            ("Дана Болатқызы", "100"),
        ),
        sheet_name="Бағалар",
    )


def test_an_xlsx_is_cut_at_the_row_and_column_limits_and_says_so():
    preview = build_preview(xlsx(), "xlsx", max_rows=2, max_columns=2)

    assert preview.rows == (("Студент", "Балл"), ("Әсел Қайратқызы", "95"))
    assert preview.truncated


def test_an_ods_shows_its_first_sheet_and_ignores_a_million_repeated_empty_rows():
    table = (
        '<table:table table:name="Бағалар">'
        + ods_row("Студент", "Балл")
        + ods_row("Әсел", "95", repeated=2)
        + "<table:table-row><table:table-cell><text:p>Бірінші <text:span>жол</text:span></text:p>"
        "<text:p>екінші</text:p></table:table-cell></table:table-row>"
        + '<table:table-row><table:table-cell table:number-columns-repeated="3"><text:p>0</text:p>'
        '</table:table-cell><table:table-cell table:number-columns-repeated="16381"/></table:table-row>'
        + EMPTY_ODS_ROWS
        + "</table:table>"
        + '<table:table table:name="Екінші">'
        + ods_row("көрсетілмейді")
        + "</table:table>"
    )

    started = time.monotonic()
    preview = build_preview(ods(table), "ods")

    assert time.monotonic() - started < 1
    assert preview == Preview(
        "table",
        rows=(
            ("Студент", "Балл"),
            ("Әсел", "95"),
            ("Әсел", "95"),
            ("Бірінші жол\nекінші",),
            ("0", "0", "0"),
        ),
        sheet_name="Бағалар",
    )


def test_an_ods_row_after_a_million_empty_ones_is_cut_at_the_row_limit():
    table = '<table:table table:name="Парақ1">' + ods_row("басы") + EMPTY_ODS_ROWS + ods_row("соңы") + "</table:table>"

    started = time.monotonic()
    preview = build_preview(ods(table), "ods", max_rows=50)

    assert time.monotonic() - started < 1
    assert preview.rows == (("басы",), *[()] * 49)
    assert preview.truncated


def test_an_ods_row_wider_than_the_column_limit_is_cut_and_says_so():
    table = '<table:table table:name="Парақ1">' + ods_row("а", "", "б", "в") + "</table:table>"

    preview = build_preview(ods(table), "ods", max_columns=3)

    assert preview.rows == (("а", "", "б"),)
    assert preview.truncated


def test_an_entity_expansion_bomb_gives_no_preview_quickly():
    started = time.monotonic()
    preview = build_preview(zipped({"word/document.xml": BOMB}), "docx")

    assert time.monotonic() - started < 1
    assert preview == Preview("none")


def test_an_entity_expansion_bomb_in_a_spreadsheet_gives_no_preview_quickly():
    source = zipfile.ZipFile(xlsx())
    members = {name: source.read(name) for name in source.namelist()}
    members["xl/worksheets/sheet1.xml"] = BOMB.replace("w:document", "worksheet")

    started = time.monotonic()
    preview = build_preview(zipped(members), "xlsx")

    assert time.monotonic() - started < 1
    assert preview == Preview("none")


@pytest.mark.parametrize("extension", ["docx", "odt", "xlsx", "ods"])
def test_a_corrupt_zip_gives_no_preview(extension):
    corrupt = io.BytesIO(b"PK\x03\x04" + b"\x00\xff" * 200)

    assert build_preview(corrupt, extension) == Preview("none")


@pytest.mark.parametrize("extension", ["docx", "odt", "ods"])
def test_a_zip_without_the_expected_part_gives_no_preview(extension):
    assert build_preview(zipped({"other.xml": "<a/>"}), extension) == Preview("none")


def test_malformed_xml_gives_no_preview():
    assert build_preview(docx("<w:p><w:r><w:t>ашық қалды</w:r></w:p>"), "docx") == Preview("none")


def test_a_part_declaring_more_than_fifty_megabytes_is_not_read():
    padding = " " * (MAX_MEMBER_SIZE + 1)
    big = docx(paragraph("сөз") + padding)

    assert build_preview(big, "docx") == Preview("none")


def test_a_presentation_has_no_preview():
    assert build_preview(zipped({"ppt/presentation.xml": "<p/>"}), "pptx") == Preview("none")


def test_words_are_counted_in_kazakh_with_a_hyphenated_compound_counting_once():
    preview = Preview("text", paragraphs=(TITLE, "Әлеуметтік жұмыс\t2025 жыл."))

    assert word_count(preview) == 7


def test_only_text_previews_have_words():
    assert word_count(Preview("table", rows=(("бір екі",),))) == 0
    assert word_count(Preview("none")) == 0
