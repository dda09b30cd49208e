"""A text document's pages and words (portfolio/counts.py): from PDFs, docx and odt files the tests make, with and
without the statistics a word processor records; then staging stores them, and the hand-in panel, the receipt, the
grading page and the task page show them beside what the task asks, in Kazakh."""

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from config.pdf import render_pdf
from portfolio import services
from portfolio.counts import NO_COUNTS, WORDS_PER_PAGE, Counts, count_words, document_counts, estimated_pages
from portfolio.models import SubmissionFile
from tests.portfolio.conftest import BEFORE

pytestmark = pytest.mark.django_db

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)


def zipped(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            # An OpenDocument file's mimetype comes first and is stored uncompressed.
            archive.writestr(name, text, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def app_xml(pages, words):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<Template>Normal.dotm</Template><TotalTime>95</TotalTime>"
        f"<Pages>{pages}</Pages><Words>{words}</Words><Characters>24600</Characters>"
        "<Application>Microsoft Office Word</Application></Properties>"
    )


def docx(body, app=None):
    """A docx of the w:body ``body``, with docProps/app.xml ``app`` if given."""
    parts = {
        "[Content_Types].xml": DOCX_TYPES,
        "word/document.xml": f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>',
    }
    if app is not None:
        parts["docProps/app.xml"] = app
    return zipped(parts)


def paragraphs(count, words_each, word="сөз"):
    """``count`` Word paragraphs of ``words_each`` words."""
    text = " ".join([word] * words_each)
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>' * count


def odt(text, statistic=None):
    """An odt of the office:text ``text``, with meta.xml holding ``statistic`` (attributes) if given."""
    parts = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NAMESPACES} '
        f'office:version="1.3"><office:body><office:text>{text}</office:text></office:body></office:document-content>',
    }
    if statistic is not None:
        parts["meta.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NAMESPACES} office:version="1.3">'
            f"<office:meta><meta:document-statistic {statistic}/></office:meta></office:document-meta>"
        )
    return zipped(parts)


def pdf_of_pages(*pages):
    """A PDF WeasyPrint makes, one page for each of ``pages``' texts."""
    body = "".join(f'<p style="break-before: page">{escape(text)}</p>' for text in pages)
    return render_pdf(f"<html><body>{body}</body></html>")


def counts(data, extension):
    return document_counts(io.BytesIO(data), extension)


# Words ----------------------------------------------------------------------------------------------------------


def test_a_word_holds_a_letter_or_a_digit_in_any_script():
    assert count_words("Кейс-менеджмент – 2025 жылы • case management ... «Әлеуметтік» 1)") == 7


def test_pages_are_estimated_at_the_stated_words_a_page_to_the_nearest_page():
    assert WORDS_PER_PAGE == 300
    assert estimated_pages(1900) == 6  # 6.33
    assert estimated_pages(2000) == 7  # 6.67
    assert estimated_pages(40) == 1  # a short text still fills a page
    assert estimated_pages(0) is None


# PDF ------------------------------------------------------------------------------------------------------------


def test_a_pdf_gives_its_pages_and_the_words_of_its_text():
    data = pdf_of_pages("Кейс-менеджменттің даму тарихы", "Бір екі – үш", "2025 жыл")
    assert counts(data, "pdf") == Counts(pages=3, words=8, pages_estimated=False)


def test_a_scanned_pdf_has_pages_but_no_words_rather_than_none():
    writer = PdfWriter()
    for _page in range(2):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert counts(buffer.getvalue(), "pdf") == Counts(pages=2, words=None, pages_estimated=False)


# docx -----------------------------------------------------------------------------------------------------------


def test_a_docx_gives_the_pages_and_words_word_recorded():
    data = docx(paragraphs(3, 10), app=app_xml(12, 3450))
    assert counts(data, "docx") == Counts(pages=12, words=3450, pages_estimated=False)


def test_a_docx_without_statistics_has_its_words_counted_and_its_pages_estimated():
    data = docx(paragraphs(19, 100))
    assert counts(data, "docx") == Counts(pages=6, words=1900, pages_estimated=True)


def test_a_docx_word_spans_runs_paragraphs_part_words_and_deleted_text_and_fields_are_not_words():
    body = (
        # One word across two runs (the second bold), and a dash alone.
        "<w:p><w:r><w:t>Кейс-</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>менеджмент</w:t></w:r>"
        '<w:r><w:t xml:space="preserve"> – тарихы</w:t></w:r></w:p>'
        # Two paragraphs with nothing between them: two words.
        "<w:p><w:r><w:t>бір</w:t></w:r></w:p><w:p><w:r><w:t>екі</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>үш</w:t><w:tab/><w:t>төрт</w:t></w:r></w:p>"
        # A tracked deletion and a page-number field.
        "<w:p><w:del><w:r><w:delText>өшірілген</w:delText></w:r></w:del><w:r><w:t>2025</w:t></w:r></w:p>"
        "<w:p><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>"
        # A table cell's paragraph.
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>кесте</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    assert counts(docx(body), "docx") == Counts(pages=1, words=8, pages_estimated=True)


def test_statistics_a_template_left_at_zero_are_not_taken_for_the_documents():
    data = docx(paragraphs(7, 100), app=app_xml(1, 0))
    assert counts(data, "docx") == Counts(pages=2, words=700, pages_estimated=True)


def test_a_docx_with_no_text_has_no_words_and_no_estimated_pages():
    assert counts(docx(""), "docx") == Counts(pages=None, words=0, pages_estimated=True)


# odt ------------------------------------------------------------------------------------------------------------


def test_an_odt_gives_the_pages_and_words_libreoffice_recorded():
    data = odt(
        "<text:p>Кейс</text:p>", statistic='meta:page-count="6" meta:word-count="1900" meta:paragraph-count="40"'
    )
    assert counts(data, "odt") == Counts(pages=6, words=1900, pages_estimated=False)


def test_an_odt_without_statistics_has_its_words_counted_without_comments_or_note_numbers():
    text = (
        '<text:h text:outline-level="1">Кейс-менеджмент тарихы</text:h>'
        # A space element, and a span that does not part a word.
        "<text:p>Бірінші<text:s/>абзац <text:span>екі</text:span>бөлік</text:p>"
        # A comment is not the document's text; what follows it is.
        "<text:p>Сөз<office:annotation><text:p>пікір сөздері</text:p></office:annotation> соңы</text:p>"
        # A footnote's words count; its number does not.
        "<text:p>Сілтеме<text:note><text:note-citation>1</text:note-citation><text:note-body>"
        "<text:p>Ескерту мәтіні</text:p></text:note-body></text:note> – бітті</text:p>"
    )
    assert counts(odt(text), "odt") == Counts(pages=1, words=11, pages_estimated=True)
    assert counts(odt(text, statistic='meta:paragraph-count="4"'), "odt").words == 11


# Files that cannot be counted -------------------------------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Properties><Words>&lol3;</Words></Properties>'
)


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n", "pdf"),  # a header and nothing readable
        (docx(paragraphs(2, 5))[:-40], "docx"),  # cut short
        (zipped({"[Content_Types].xml": DOCX_TYPES}), "docx"),  # no document part
        (docx("<w:p><w:r><w:t>ашылмаған", app=None), "docx"),  # XML that never closes
        (docx(paragraphs(1, 5), app=LAUGHS), "docx"),  # an entity expansion bomb in the statistics
        (zipped({"mimetype": "application/vnd.oasis.opendocument.text"}), "odt"),  # no content part
        (docx(paragraphs(1, 5)), "xlsx"),  # not a text document
    ],
    ids=["pdf", "truncated", "no-document", "unclosed", "entities", "odt-no-content", "other-kind"],
)
def test_a_file_that_cannot_be_counted_gives_no_counts_and_raises_nothing(data, extension):
    assert counts(data, extension) == NO_COUNTS == Counts(None, None, False)


# Staging stores the counts ----------------------------------------------------------------------------------------


def test_staging_a_docx_in_a_draft_stores_its_counts(cast, essay):
    # Made once: a docx made again a moment later can differ (its zip entries carry the time they were written).
    content = docx(paragraphs(19, 100))
    upload = SimpleUploadedFile("эссе.docx", content)
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[upload], now=BEFORE)
    item = draft.files.get()
    assert (item.page_count, item.word_count, item.pages_estimated) == (6, 1900, True)
    # The stored file is the whole upload, not what was left after counting.
    with item.file.open("rb") as stored:
        assert stored.read() == content


def test_staging_a_pdf_stores_its_pages_and_words(cast, essay):
    upload = SimpleUploadedFile("эссе.pdf", pdf_of_pages("Бір екі", "үш"))
    item = services.draft_add_files(task=essay, student=cast.student, uploads=[upload], now=BEFORE).files.get()
    assert (item.page_count, item.word_count, item.pages_estimated) == (2, 3, False)


def test_a_file_carried_into_the_next_draft_keeps_its_counts(cast, essay):
    first = SimpleUploadedFile("эссе.docx", docx(paragraphs(1, 10), app=app_xml(7, 2100)))
    services.draft_add_files(task=essay, student=cast.student, uploads=[first], now=BEFORE)
    services.draft_submit(task=essay, student=cast.student, statement_accepted=True, now=BEFORE)
    second = SimpleUploadedFile("қосымша.docx", docx(paragraphs(1, 10)))
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[second], now=BEFORE)
    carried = draft.files.get(carried_over=True)
    assert (carried.page_count, carried.word_count, carried.pages_estimated) == (7, 2100, False)


# What the pages show -----------------------------------------------------------------------------------------------


class _Lengths(HTMLParser):
    """The text of each element of class "document-length", whitespace collapsed, and its title attributes."""

    def __init__(self):
        super().__init__()
        self.found, self.titles, self._depth = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._depth:
            self._depth += 1
            if attrs.get("title"):
                self.titles.append(attrs["title"])
        elif "document-length" in (attrs.get("class") or "").split():
            self._depth = 1
            self.found.append("")

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.found[-1] += data


def lengths(response):
    parser = _Lengths()
    parser.feed(response.content.decode())
    # Spaces collapse; the no-break space inside a number ("1 200") stays.
    return [re.sub(r"[ \t\r\n]+", " ", text).strip() for text in parser.found], parser.titles


def task_page(task):
    return reverse("grading:task_detail", args=[task.course_id, task.pk])


def stage(task, student, name, data):
    return services.draft_add_files(task=task, student=student, uploads=[SimpleUploadedFile(name, data)], now=BEFORE)


def test_the_hand_in_panel_shows_an_estimate_as_one_with_the_mark_below_the_range(login, cast, essay):
    stage(essay, cast.student, "эссе.docx", docx(paragraphs(12, 100)))  # 1 200 words: about 4 pages
    texts, titles = lengths(login(cast.student).get(task_page(essay)))
    assert texts == [
        "шамамен 4 бет (сөз санынан есептелді) · 1\xa0200 сөз · тапсырма бойынша: 5–7 бет "
        "шамалап есептегенде, бет саны талап етілгеннен аз"
    ]
    assert titles == ["Құжатта бет саны жазылмаған: бетіне 300 сөзден есептелді (A4, 14 пт, бір интервал)."]


def test_the_receipt_shows_the_recorded_length_above_the_range(login, cast, essay):
    stage(essay, cast.student, "эссе.docx", docx(paragraphs(1, 10), app=app_xml(12, 3450)))
    services.draft_submit(task=essay, student=cast.student, statement_accepted=True, now=BEFORE)
    response = login(cast.student).get(task_page(essay))
    receipt = response.content.decode().split('class="card mb-4 receipt"')[1].split("</section>")[0]
    assert "12 бет" in receipt and "3\xa0450 сөз" in receipt
    texts, _titles = lengths(response)
    # The receipt's line and the next version's (it starts from the same file), each with the mark.
    assert texts == ["12 бет · 3\xa0450 сөз · тапсырма бойынша: 5–7 бет бет саны талап етілгеннен көп"] * 2


def test_a_length_within_the_range_has_no_mark(login, cast, essay):
    stage(essay, cast.student, "эссе.docx", docx(paragraphs(1, 10), app=app_xml(6, 1800)))
    texts, _titles = lengths(login(cast.student).get(task_page(essay)))
    assert texts == ["6 бет · 1\xa0800 сөз · тапсырма бойынша: 5–7 бет"]


def test_a_task_that_sets_no_length_claims_none(login, cast):
    report = cast.tasks["СОӨЖ 4-5"]
    assert (report.pages_min, report.pages_max) == (None, None)
    stage(report, cast.student, "есеп.pdf", pdf_of_pages("Мекеме туралы есеп", "Қорытынды"))
    response = login(cast.student).get(task_page(report))
    texts, _titles = lengths(response)
    assert texts == ["2 бет · 4 сөз"]
    assert "pages-asked" not in response.content.decode()


def test_a_scanned_pdf_says_it_has_no_text_layer_and_one_side_of_a_range_is_said_as_such(login, cast, essay):
    essay.pages_min, essay.pages_max = 3, None
    essay.save()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    stage(essay, cast.student, "скан.pdf", buffer.getvalue())
    texts, _titles = lengths(login(cast.student).get(task_page(essay)))
    assert texts == ["1 бет · мәтін қабаты жоқ · тапсырма бойынша: кемінде 3 бет бет саны талап етілгеннен аз"]


def test_the_grading_page_shows_the_selected_documents_length_beside_the_range(login, cast, essay):
    stage(
        essay,
        cast.student,
        "эссе.odt",
        odt("<text:p>Кейс</text:p>", statistic='meta:page-count="9" meta:word-count="2700"'),
    )
    version = services.draft_submit(task=essay, student=cast.student, statement_accepted=True, now=BEFORE)
    response = login(cast.instructor).get(reverse("grading:grade", args=[version.submission_id]))
    assert response.status_code == 200
    texts, _titles = lengths(response)
    assert texts == ["9 бет · 2\xa0700 сөз · тапсырма бойынша: 5–7 бет бет саны талап етілгеннен көп"]


def test_the_submission_page_shows_the_length_in_the_files_header(login, cast, essay):
    stage(essay, cast.student, "эссе.docx", docx(paragraphs(19, 100)))
    version = services.draft_submit(task=essay, student=cast.student, statement_accepted=True, now=BEFORE)
    response = login(cast.instructor).get(reverse("portfolio:submission_detail", args=[version.submission_id]))
    texts, _titles = lengths(response)
    assert texts == ["шамамен 6 бет (сөз санынан есептелді) · 1\xa0900 сөз · тапсырма бойынша: 5–7 бет"]


def test_the_estimates_stated_figure_is_the_one_counts_uses():
    template = Path(settings.BASE_DIR, "templates/portfolio/includes/document_length.html").read_text()
    assert re.findall(r"per_page=(\d+)", template) == [str(WORDS_PER_PAGE)]


# The task's length: its page and the editor ------------------------------------------------------------------------


def test_the_task_page_states_the_length_only_when_the_task_sets_one(login, cast, essay):
    client = login(cast.student)
    facts = client.get(task_page(essay)).content.decode().split('class="row task-facts')[1].split("</dl>")[0]
    assert '<dt class="col-sm-3">Көлемі</dt>' in facts
    assert " ".join(facts.split('task-length">')[1].split("</dd>")[0].split()) == "5–7 бет"
    other = client.get(task_page(cast.tasks["СОӨЖ 4-5"])).content.decode()
    assert "Көлемі" not in other


TEXTS, SUFFIXES = ("title", "description", "portfolio"), ("", "_ru", "_en")


def editor_data(task, **changes):
    """The task editor's form as the page fills it for ``task``, with ``changes``."""
    fields = ("label", "kind", "deliverable", "due_week", *(f"{text}{suffix}" for text in TEXTS for suffix in SUFFIXES))
    data = {name: getattr(task, name) for name in fields}
    data.update(due_at_override="", cutoff_at="", max_points="", rating_period="", rubric="")
    data.update(pages_min=task.pages_min or "", pages_max=task.pages_max or "")
    return {**data, **changes}


def test_the_task_editor_sets_the_length_and_refuses_one_out_of_order(login, cast):
    task = cast.tasks["СОӨЖ 4-5"]
    client = login(cast.instructor)
    url = reverse("grading:task_edit", args=[task.course_id, task.pk])
    page = client.get(url).content.decode()
    assert 'name="pages_min"' in page and 'name="pages_max"' in page
    assert client.post(url, editor_data(task, pages_min="3", pages_max="4")).status_code == 302
    task.refresh_from_db()
    assert (task.pages_min, task.pages_max) == (3, 4)

    refused = client.post(url, editor_data(task, pages_min="6", pages_max="4"))
    assert refused.status_code == 200
    assert refused.context["form"].errors["pages_max"] == ["Ең көп бет саны ең аз бет санынан кем бола алмайды."]
    assert client.post(url, editor_data(task, pages_min="0")).context["form"].errors["pages_min"]
    task.refresh_from_db()
    assert (task.pages_min, task.pages_max) == (3, 4)


def test_staged_files_keep_their_counts_in_the_database_not_recounted_on_each_page(login, cast, essay):
    stage(essay, cast.student, "эссе.docx", docx(paragraphs(19, 100)))
    # Were the page to count again, this change would not show.
    SubmissionFile.objects.update(page_count=11, pages_estimated=False)
    texts, _titles = lengths(login(cast.student).get(task_page(essay)))
    assert texts[0].startswith("11 бет · 1\xa0900 сөз")
