"""How long a handed-in document is: a text's pages and words, a presentation's slides and their titles.

The document's own statistics come first: a PDF's pages; the counts a word processor records in a docx
(docProps/app.xml <Pages>, <Words>) or an odt (meta.xml <meta:document-statistic>). Word and LibreOffice write
both on every save; a file that records no pages, or no words (a template's leftover 0), gets its words counted
from its text and its pages estimated from them, and says so (``pages_estimated``).

The estimate is WORDS_PER_PAGE words a page: what Kazakh universities ask of written work, A4 in 14 pt Times
New Roman single-spaced (margins 3 / 1.5 / 2 / 2 cm, 1.25 cm indent), measured on the course document's own Kazakh
prose set so in Liberation Serif (Times New Roman's metrics): 300 words a page at Word's single spacing, 232 at
1.5. A student who sets 1.5 spacing has more pages than the estimate says; hence "about" wherever it is shown.

A word is a whitespace-separated token holding at least one letter or digit, in any script: a dash or a bullet
alone is not a word. Uploads are hostile: the checks of ``portfolio.validation`` ran before this (a real PDF or
office archive within its size and entry limits); XML parts are read through defusedxml, one paragraph at a time,
each part only if the zip says it is at most 50 MB, and all within a ``WorkBudget`` (COUNT_SECONDS, so many elements
a part), since a small zip can hold millions of empty elements. Nothing here raises: a file that cannot be read, or
would take more work than that, gives no counts (a PDF whose words take too long keeps its pages).

A pptx's length is its slides, in the order the presentation shows them (ppt/presentation.xml's <p:sldIdLst>, each
entry's relationship in ppt/_rels/presentation.xml.rels naming its part; the parts' file names say nothing about
order), each with its title: the text of the slide's title or centred-title placeholder, "" for a slide without one.
It is read here rather than through python-pptx, which loads every part of the package into memory at once, with
no bound on a part's size, and parses with lxml rather than defusedxml.
"""

import logging
import posixpath
import zipfile
from dataclasses import dataclass

from pypdf import PdfReader

from config.budget import CHECK_EVERY, OverBudget, WorkBudget

logger = logging.getLogger(__name__)

WORDS_PER_PAGE = 300
MAX_MEMBER_SIZE = 50 * 1024 * 1024
# The statistics parts hold a few dozen elements; anything larger is not what a word processor writes.
_MAX_STATISTICS_SIZE = 1024 * 1024
# A presentation's list of slides and its relationships: about a hundred bytes a slide.
_MAX_SLIDE_LIST_SIZE = 1024 * 1024
# A title is a line on a slide; one longer than this is cut, so a crafted deck cannot fill the database.
MAX_TITLE_LENGTH = 300
# A defence's deck has tens of slides; a list longer than this is not a presentation a person shows (one slide named
# thirty thousand times fits in 100 KB), and gives no counts rather than a page of thousands of titles.
MAX_SLIDES = 1000
# Counting runs while the student waits for the upload: a thesis of a few hundred pages takes well under a second.
COUNT_SECONDS = 5.0
COUNT_ELEMENTS = 2_000_000
# A paragraph (or a slide's shape) is kept whole until it closes, to read its text in order: this bounds the memory.
MAX_HELD_ELEMENTS = 100_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SHAPE = f"{_P}sp"
_TITLE_PLACEHOLDERS = frozenset({"title", "ctrTitle"})


@dataclass(frozen=True)
class Counts:
    """A document's pages and words; None where they could not be told (a scanned PDF has no words). For a pptx,
    ``pages`` are its slides and ``titles`` their titles in the order they are shown ("" for a slide without)."""

    pages: int | None = None
    words: int | None = None
    pages_estimated: bool = False
    titles: tuple[str, ...] = ()


NO_COUNTS = Counts()


def count_words(text: str) -> int:
    """The words of ``text``: whitespace-separated tokens holding at least one letter or digit."""
    return sum(1 for token in text.split() if any(char.isalnum() for char in token))


def estimated_pages(words: int) -> int | None:
    """The pages ``words`` fill at WORDS_PER_PAGE a page, to the nearest page; None for no words."""
    if not words:
        return None
    return max(1, int(words / WORDS_PER_PAGE + 0.5))


def counts_budget():
    return WorkBudget(seconds=COUNT_SECONDS, max_elements=COUNT_ELEMENTS)


def document_counts(stream, extension: str, budget=None) -> Counts:
    """The pages and words of a checked upload (pdf, docx or odt), or the slides and their titles (pptx);
    ``NO_COUNTS`` for any other kind, a file that cannot be read, or one that takes more than ``budget``
    (``counts_budget()`` by default). Reads ``stream`` from its start; leaves it wherever reading stopped."""
    extension = extension.lower().lstrip(".")
    budget = budget or counts_budget()
    try:
        stream.seek(0)
        if extension == "pdf":
            return _pdf_counts(stream, budget)
        if extension == "docx":
            return _office_counts(stream, _docx_statistics, "word/document.xml", _DOCX_TEXT, budget)
        if extension == "odt":
            return _office_counts(stream, _odt_statistics, "content.xml", _ODT_TEXT, budget)
        if extension == "pptx":
            return _pptx_counts(stream, budget)
    except OverBudget as error:
        logger.info("No counts for an uploaded .%s file: %s", extension, error)
    # pypdf, zipfile, zlib and expat raise many unrelated types on damaged or crafted input; counts are a help to
    # the reader, so any failure means "not counted", never a refused upload.
    except Exception:
        logger.info("No counts for an uploaded .%s file", extension, exc_info=True)
    return NO_COUNTS


# PDF


def _pdf_counts(stream, budget):
    reader = PdfReader(stream)
    if reader.is_encrypted:
        # Encrypted only against changes (an empty user password) still opens; a real password leaves no counts.
        reader.decrypt("")
    pages = len(reader.pages)
    budget.check_time()
    watch = _OperatorWatch(budget)
    try:
        words = 0
        for page in reader.pages:
            budget.check_time()
            words += count_words(page.extract_text(visitor_operand_before=watch) or "")
    except OverBudget as error:
        # The pages are known; words that take longer than that to find are left uncounted.
        logger.info("Words of an uploaded PDF not counted: %s", error)
        words = 0
    # A scan is pages of pictures: no text layer, so its words are unknown rather than none.
    return Counts(pages=pages, words=words or None)


class _OperatorWatch:
    """Called by pypdf before each operator of a page's content (and of the forms it draws): reads the clock every
    CHECK_EVERY operators, and once the time is out raises on every call, since pypdf gives up on a form that raises
    but goes on with the page around it."""

    def __init__(self, budget):
        self.budget = budget
        self.operators = 0
        self.over = False

    def __call__(self, *_operation):
        self.operators += 1
        if self.over or not self.operators % CHECK_EVERY:
            try:
                self.budget.check_time()
            except OverBudget:
                self.over = True
                raise


# Office documents (docx, odt)


def _office_counts(stream, statistics_of, text_part, text_rules, budget):
    with zipfile.ZipFile(stream) as archive:
        pages, words = statistics_of(archive, budget)
        if pages and words:
            return Counts(pages=pages, words=words)
        with budget.open_part(archive, text_part, MAX_MEMBER_SIZE) as part:
            words = _text_words(part, text_rules, budget)
    return Counts(pages=estimated_pages(words), words=words, pages_estimated=True)


def _docx_statistics(archive, budget):
    root = _statistics_root(archive, "docProps/app.xml", budget)
    if root is None:
        return None, None
    return _number(root.findtext(f"{_APP}Pages")), _number(root.findtext(f"{_APP}Words"))


def _odt_statistics(archive, budget):
    root = _statistics_root(archive, "meta.xml", budget)
    statistic = None if root is None else root.find(f"{_OFFICE}meta/{_META}document-statistic")
    if statistic is None:
        return None, None
    return _number(statistic.get(f"{_META}page-count")), _number(statistic.get(f"{_META}word-count"))


def _statistics_root(archive, name, budget):
    if name not in archive.namelist():
        return None
    with budget.open_part(archive, name, _MAX_STATISTICS_SIZE) as part:
        return budget.tree(part)


def _number(text):
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


@dataclass(frozen=True)
class _TextRules:
    """How a format keeps its words: which elements are paragraphs, which hold text, which stand for a space, and
    which are left out with everything inside them (comments, a footnote's number)."""

    paragraphs: frozenset
    text_in: frozenset | None  # None: text anywhere inside a paragraph (ODF); else only inside these (w:t)
    spaces: frozenset
    skipped: frozenset


_DOCX_TEXT = _TextRules(
    paragraphs=frozenset({f"{_W}p"}),
    text_in=frozenset({f"{_W}t"}),
    spaces=frozenset({f"{_W}tab", f"{_W}br", f"{_W}cr"}),
    skipped=frozenset(),
)
_ODT_TEXT = _TextRules(
    paragraphs=frozenset({f"{_TEXT}p", f"{_TEXT}h"}),
    text_in=None,
    spaces=frozenset({f"{_TEXT}s", f"{_TEXT}tab", f"{_TEXT}line-break"}),
    skipped=frozenset({f"{_OFFICE}annotation", f"{_TEXT}note-citation"}),
)


def _text_words(part, rules, budget):
    """The words of an XML text part, read a paragraph at a time: a paragraph's text is gathered when it closes
    (a word may run across several formatted runs), then the paragraph is dropped so memory stays flat."""
    words = 0
    open_elements = []
    paragraphs_open = held = 0
    for event, element in budget.events(part):
        if event == "start":
            open_elements.append(element)
            paragraphs_open += element.tag in rules.paragraphs
            if paragraphs_open:
                held = _hold(held)
            continue
        open_elements.pop()
        if element.tag in rules.paragraphs:
            paragraphs_open -= 1
            if paragraphs_open == 0:
                words += count_words("".join(_paragraph_text(element, rules)))
                held = 0
        if paragraphs_open == 0 and open_elements:
            open_elements[-1].remove(element)
    return words


def _hold(held):
    """One more element kept in memory until its paragraph (or shape) closes; a real one holds a few hundred."""
    if held == MAX_HELD_ELEMENTS:
        raise OverBudget(OverBudget.TOO_MANY_ELEMENTS, f"over {MAX_HELD_ELEMENTS} elements in one paragraph")
    return held + 1


def _paragraph_text(element, rules, inside_text=False):
    """The pieces of text of ``element`` in document order; a paragraph nested in it (a text box, a footnote)
    is set apart by spaces."""
    if element.tag in rules.spaces or element.tag in rules.paragraphs:
        yield " "
    inside_text = inside_text or rules.text_in is None or element.tag in rules.text_in
    if element.tag not in rules.skipped:
        if inside_text and element.text:
            yield element.text
        for child in element:
            yield from _paragraph_text(child, rules, inside_text)
            if inside_text and child.tail:
                yield child.tail
    if element.tag in rules.paragraphs:
        yield " "


# Presentations (pptx)


def _pptx_counts(stream, budget):
    with zipfile.ZipFile(stream) as archive:
        titles = {}
        shown = []
        for part in _slide_parts(archive, budget):
            # Two entries of the list may name one part; it is read once, so the list cannot multiply the reading.
            if part not in titles:
                with budget.open_part(archive, part, MAX_MEMBER_SIZE) as slide:
                    titles[part] = _slide_title(slide, budget)
            shown.append(titles[part])
    return Counts(pages=len(shown), titles=tuple(shown))


def _slide_parts(archive, budget):
    """The names of the slides' parts in the order the presentation shows them."""
    with budget.open_part(archive, "ppt/presentation.xml", _MAX_SLIDE_LIST_SIZE) as part:
        presentation = budget.tree(part)
    with budget.open_part(archive, "ppt/_rels/presentation.xml.rels", _MAX_SLIDE_LIST_SIZE) as part:
        relationships = budget.tree(part)
    targets = {
        each.get("Id"): each.get("Target", "")
        for each in relationships.iter(f"{_RELS}Relationship")
        if each.get("TargetMode") != "External"
    }
    entries = presentation.findall(f"{_P}sldIdLst/{_P}sldId")
    if len(entries) > MAX_SLIDES:
        raise ValueError(f"{len(entries)} slides listed")
    parts = []
    for entry in entries:
        target = targets[entry.get(f"{_R}id")]
        # A target is relative to ppt/, or absolute from the package's root.
        parts.append(target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"ppt/{target}"))
    return parts


def _slide_title(part, budget):
    """The text of the slide's first title placeholder among its shapes, read one shape at a time."""
    open_elements = []
    shapes_open = held = 0
    for event, element in budget.events(part):
        if event == "start":
            open_elements.append(element)
            shapes_open += element.tag == _SHAPE
            if shapes_open:
                held = _hold(held)
            continue
        open_elements.pop()
        if element.tag == _SHAPE:
            shapes_open -= 1
            if _is_title(element):
                return _shape_text(element)
            if not shapes_open:
                held = 0
        # Outside a shape nothing is needed again: drop what closed so memory stays flat.
        if open_elements and not shapes_open:
            open_elements[-1].remove(element)
    return ""


def _is_title(shape):
    placeholder = shape.find(f"{_P}nvSpPr/{_P}nvPr/{_P}ph")
    return placeholder is not None and placeholder.get("type") in _TITLE_PLACEHOLDERS


def _shape_text(shape):
    """The shape's text on one line: its paragraphs and line breaks become spaces."""
    pieces = []
    for paragraph in shape.iterfind(f"{_P}txBody/{_A}p"):
        for element in paragraph.iter():
            if element.tag == f"{_A}t":
                pieces.append(element.text or "")
            elif element.tag == f"{_A}br":
                pieces.append(" ")
        pieces.append(" ")
    title = " ".join("".join(pieces).split())
    return title if len(title) <= MAX_TITLE_LENGTH else title[: MAX_TITLE_LENGTH - 1].rstrip() + "…"
