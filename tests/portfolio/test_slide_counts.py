"""A presentation's slides and their titles (portfolio/counts.py): from pptx decks the tests make with python-pptx,
read in the order the presentation shows them; then staging stores them, a new draft carries them, and the pages
that show a file's length show the slides with their titles. Damaged or oversized decks give no counts and no error.
"""

import io
import re
import zipfile
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from pptx import Presentation

from coursework.models import Deliverable
from portfolio import services
from portfolio.counts import MAX_MEMBER_SIZE, MAX_SLIDES, MAX_TITLE_LENGTH, NO_COUNTS, Counts, document_counts
from portfolio.models import SubmissionFile
from tests.portfolio.conftest import BEFORE
from tests.portfolio.test_counts import lengths, pdf_of_pages, zipped

pytestmark = pytest.mark.django_db

# The default template's layouts: a title slide (centred title), title and content, blank (no title at all).
TITLE_SLIDE, TITLE_AND_CONTENT, BLANK = 0, 1, 6

COVER = "Әлеуметтік тарихты бағалау құралдары"
CRITERIA = "Әлеуметтік тарих критерийлері"
QUESTIONNAIRE = "Сауалнама: отбасы және тұрғын үй"


def deck(slides, *, moved_to_end=0):
    """The bytes of a pptx with ``slides`` — (layout, title or None, body text) each —, after moving the first
    ``moved_to_end`` slides to the end of the presentation's list: their parts keep their names (slide1.xml …), so
    the order of the files is no longer the order of the slides."""
    presentation = Presentation()
    for layout, title, body in slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[layout])
        if title is not None:
            slide.shapes.title.text = title
        if body:
            slide.placeholders[1].text = body
    slide_list = presentation.slides._sldIdLst
    for entry in list(slide_list)[:moved_to_end]:
        slide_list.remove(entry)
        slide_list.append(entry)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def defence_deck():
    """Four slides in the files' order cover, criteria, a blank one, questionnaire; shown with the cover last."""
    return deck(
        [
            (TITLE_SLIDE, COVER, "Әбілқасымова Әсел, СЖ-23-01"),
            (TITLE_AND_CONTENT, CRITERIA, "Денсаулық\nТұрғын үй\nТабыс"),
            (BLANK, None, ""),
            (TITLE_AND_CONTENT, "Сауалнама:\vотбасы және\nтұрғын үй", "Бес сұрақ"),
        ],
        moved_to_end=1,
    )


def counts(data, extension="pptx"):
    return document_counts(io.BytesIO(data), extension)


def rezipped(data, changes):
    """The package ``data`` with the parts named in ``changes`` replaced."""
    assert set(changes) <= set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: changes.get(name, archive.read(name)) for name in archive.namelist()}
    return zipped(parts)


# Reading a deck ---------------------------------------------------------------------------------------------------


def test_a_deck_gives_its_slides_in_the_order_shown_each_with_its_title_or_none():
    data = defence_deck()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert COVER.encode() in archive.read("ppt/slides/slide1.xml")  # first as a file, last as a slide
    assert counts(data) == Counts(pages=4, words=None, titles=(CRITERIA, "", QUESTIONNAIRE, COVER))


def test_the_titles_are_the_ones_python_pptx_reads_on_one_line():
    data = defence_deck()
    slides = Presentation(io.BytesIO(data)).slides
    theirs = tuple(" ".join(slide.shapes.title.text.split()) if slide.shapes.title else "" for slide in slides)
    assert counts(data).titles == theirs == (CRITERIA, "", QUESTIONNAIRE, COVER)


def test_a_title_placeholder_left_empty_is_no_title_and_body_text_is_never_one():
    data = deck([(TITLE_AND_CONTENT, None, "Мазмұны бар, атауы жоқ"), (TITLE_SLIDE, "", "")])
    assert counts(data) == Counts(pages=2, titles=("", ""))


def test_a_deck_without_slides_has_none():
    assert counts(deck([])) == Counts(pages=0, titles=())


def test_a_very_long_title_is_cut_to_the_stated_length():
    data = deck([(TITLE_AND_CONTENT, "сөз " * 200, "")])
    (title,) = counts(data).titles
    assert len(title) == MAX_TITLE_LENGTH and title.endswith("…") and title.startswith("сөз сөз")


def test_a_slide_the_list_names_twice_is_shown_twice():
    data = deck([(TITLE_AND_CONTENT, CRITERIA, "")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        presentation = archive.read("ppt/presentation.xml").decode()
    entry = re.search(r"<p:sldId [^>]*/>", presentation).group(0)
    twice = presentation.replace(entry, entry + entry.replace('id="256"', 'id="257"'))
    assert counts(rezipped(data, {"ppt/presentation.xml": twice})) == Counts(pages=2, titles=(CRITERIA, CRITERIA))


def test_a_list_of_more_slides_than_a_deck_holds_gives_no_counts():
    data = deck([(TITLE_AND_CONTENT, CRITERIA, "")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        presentation = archive.read("ppt/presentation.xml").decode()
    entry = re.search(r"<p:sldId [^>]*/>", presentation).group(0)

    def listed(times):
        entries = "".join(entry.replace('id="256"', f'id="{256 + number}"') for number in range(times))
        return rezipped(data, {"ppt/presentation.xml": presentation.replace(entry, entries)})

    assert counts(listed(MAX_SLIDES)).pages == MAX_SLIDES
    assert counts(listed(MAX_SLIDES + 1)) == NO_COUNTS


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">&lol2;</p:sld>'
)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p:presentation"}),
        lambda data: zipped({"[Content_Types].xml": "<Types/>", "docProps/app.xml": "<Properties/>"}),
        lambda data: rezipped(data, {"ppt/_rels/presentation.xml.rels": "<Relationships/>"}),
        lambda data: rezipped(data, {"ppt/slides/slide2.xml": LAUGHS}),
        lambda data: data[:-60],
        lambda data: b"PK\x03\x04 not really a zip",
    ],
    ids=["unclosed-presentation", "no-presentation", "slides-without-relationships", "entities", "cut-short", "junk"],
)
def test_a_damaged_deck_gives_no_counts_and_raises_nothing(damage):
    assert counts(damage(defence_deck())) == NO_COUNTS == Counts(None, None, False, ())


def test_a_slide_bigger_than_a_part_may_be_is_not_read_and_the_deck_has_no_counts():
    data = defence_deck()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        slide = archive.read("ppt/slides/slide2.xml")
    # Whitespace after the root element is still well-formed XML: only the size refuses it.
    padded = slide + b" " * (MAX_MEMBER_SIZE + 1 - len(slide))
    assert counts(rezipped(data, {"ppt/slides/slide2.xml": slide})).pages == 4
    assert counts(rezipped(data, {"ppt/slides/slide2.xml": padded})) == NO_COUNTS


def test_a_pdf_presentation_still_gives_its_pages():
    assert counts(pdf_of_pages("Кіріспе", "Критерийлер", "Қорытынды"), "pdf").pages == 3


# Staging stores them -----------------------------------------------------------------------------------------------


@pytest.fixture
def presentation(cast):
    """A task whose deliverable is a presentation (pptx or pdf), due as СОӨЖ 1 is, with no length asked."""
    task = cast.tasks["СОӨЖ 1"]
    task.deliverable, task.pages_min, task.pages_max = Deliverable.PRESENTATION, None, None
    task.save()
    return task


def stage(task, student, name, data):
    return services.draft_add_files(task=task, student=student, uploads=[SimpleUploadedFile(name, data)], now=BEFORE)


def test_staging_a_deck_stores_its_slides_and_titles(cast, presentation):
    data = defence_deck()  # built once: a zip's members carry the time they were written
    item = stage(presentation, cast.student, "қорғау.pptx", data).files.get()
    item.refresh_from_db()
    assert (item.page_count, item.word_count, item.pages_estimated) == (4, None, False)
    assert item.slide_titles == [CRITERIA, "", QUESTIONNAIRE, COVER]
    with item.file.open("rb") as stored:
        assert stored.read() == data


def test_a_deck_carried_into_the_next_draft_keeps_its_titles(cast, presentation):
    stage(presentation, cast.student, "қорғау.pptx", defence_deck())
    services.draft_submit(task=presentation, student=cast.student, statement_accepted=True, now=BEFORE)
    draft = stage(presentation, cast.student, "қосымша.pdf", pdf_of_pages("Қосымша"))
    carried = draft.files.get(carried_over=True)
    assert (carried.page_count, carried.slide_titles) == (4, [CRITERIA, "", QUESTIONNAIRE, COVER])
    assert draft.files.get(carried_over=False).slide_titles == []


def test_a_damaged_deck_is_still_accepted_without_counts(cast, presentation):
    # The deck's required parts are there, so the upload checks pass; its slide list names a part that is missing.
    with zipfile.ZipFile(io.BytesIO(defence_deck())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name != "ppt/slides/slide3.xml"}
    item = stage(presentation, cast.student, "қорғау.pptx", zipped(parts)).files.get()
    assert (item.page_count, item.slide_titles) == (None, [])


# What the pages show -----------------------------------------------------------------------------------------------


class _Outlines(HTMLParser):
    """Each element of class "slide-outline": its text, whitespace collapsed, its list items, and whether its
    <details> is open."""

    def __init__(self):
        super().__init__()
        self.found, self._depth, self._item = [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._depth:
            self._depth += 1
            if tag == "li":
                self.found[-1]["titles"].append("")
                self._item = True
            if tag == "details":
                self.found[-1]["open"] = "open" in attrs
        elif "slide-outline" in (attrs.get("class") or "").split():
            self._depth = 1
            self.found.append({"text": "", "titles": [], "open": None})

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1
            if tag == "li":
                self._item = None

    def handle_data(self, data):
        if self._depth:
            self.found[-1]["text"] += data
            if self._item:
                self.found[-1]["titles"][-1] += data


def outlines(response):
    parser = _Outlines()
    parser.feed(response.content.decode())
    for found in parser.found:
        found["text"] = " ".join(found["text"].split())
        found["titles"] = [" ".join(title.split()) for title in found["titles"]]
    return parser.found


def in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def task_page(task):
    return reverse("grading:task_detail", args=[task.course_id, task.pk])


def test_the_hand_in_panel_shows_the_slides_with_their_numbered_titles(login, cast, presentation):
    stage(presentation, cast.student, "қорғау.pptx", defence_deck())
    response = in_english(login(cast.student)).get(task_page(presentation))
    assert outlines(response) == [
        {
            "text": f"4 slides {CRITERIA} (no title) {QUESTIONNAIRE} {COVER}",
            "titles": [CRITERIA, "(no title)", QUESTIONNAIRE, COVER],
            "open": True,
        }
    ]
    assert '<ol class="slide-titles' in response.content.decode()
    assert "document-length" not in response.content.decode()  # a deck claims no pages or words


def test_a_long_deck_folds_its_titles(login, cast, presentation):
    titles = [f"{number}-слайд" for number in range(1, 13)]
    stage(presentation, cast.student, "ұзын.pptx", deck([(TITLE_AND_CONTENT, title, "") for title in titles]))
    (outline,) = outlines(in_english(login(cast.student)).get(task_page(presentation)))
    assert outline["titles"] == titles and outline["open"] is False
    assert outline["text"].startswith("12 slides 1-слайд")


def test_the_receipt_the_submission_page_and_the_grading_page_show_the_slides(login, cast, presentation):
    stage(presentation, cast.student, "қорғау.pptx", defence_deck())
    version = services.draft_submit(task=presentation, student=cast.student, statement_accepted=True, now=BEFORE)
    titles = [CRITERIA, "(no title)", QUESTIONNAIRE, COVER]
    # The receipt's and the next version's (it starts from the same file).
    student_page = outlines(in_english(login(cast.student)).get(task_page(presentation)))
    assert [outline["titles"] for outline in student_page] == [titles, titles]
    client = in_english(login(cast.instructor))
    for url in (
        reverse("portfolio:submission_detail", args=[version.submission_id]),
        reverse("grading:grade", args=[version.submission_id]),
    ):
        shown = outlines(client.get(url))
        assert shown and all(outline["titles"] == titles for outline in shown), url
        assert shown[0]["text"].startswith("4 slides")


def test_a_pdf_presentation_shows_its_pages_as_before(login, cast, presentation):
    stage(presentation, cast.student, "қорғау.pdf", pdf_of_pages("Кіріспе", "Критерийлер", "Қорытынды"))
    response = in_english(login(cast.student)).get(task_page(presentation))
    assert outlines(response) == []
    assert lengths(response)[0] == ["3 pages · 3 words"]


def test_the_outline_alone_says_a_pdfs_pages_and_nothing_for_an_uncounted_file(cast, presentation):
    pdf = SubmissionFile(extension="pdf", page_count=8)
    uncounted = SubmissionFile(extension="pptx", page_count=None)
    made = SubmissionFile(extension="pdf", page_count=2, is_generated=True)

    def shown(item):
        html = render_to_string("portfolio/includes/slide_outline.html", {"item": item})
        return " ".join(re.sub(r"<[^>]+>", " ", html).split())

    with translation.override("en"):
        assert shown(pdf) == "8 pages"
        assert shown(uncounted) == shown(made) == ""
