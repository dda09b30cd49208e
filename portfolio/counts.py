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
each part only if the zip says it is at most 50 MB. Nothing here raises: a file that cannot be read gives no counts.

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

from defusedxml.ElementTree import fromstring, iterparse
from pypdf import PdfReader

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

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
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


def document_counts(stream, extension: str) -> Counts:
    """The pages and words of a checked upload (pdf, docx or odt), or the slides and their titles (pptx);
    ``NO_COUNTS`` for any other kind or a file that cannot be read. Reads ``stream`` from its start; leaves it
    wherever reading stopped."""
    extension = extension.lower().lstrip(".")
    try:
        stream.seek(0)
        if extension == "pdf":
            return _pdf_counts(stream)
        if extension == "docx":
            return _office_counts(stream, _docx_statistics, "word/document.xml", _DOCX_TEXT)
        if extension == "odt":
            return _office_counts(stream, _odt_statistics, "content.xml", _ODT_TEXT)
        if extension == "pptx":
            return _pptx_counts(stream)
    # pypdf, zipfile, zlib and expat raise many unrelated types on damaged or crafted input; counts are a help to
    # the reader, so any failure means "not counted", never a refused upload.
    except Exception:
        logger.info("No counts for an uploaded .%s file", extension, exc_info=True)
    return NO_COUNTS


# PDF


def _pdf_counts(stream):
    reader = PdfReader(stream)
    if reader.is_encrypted:
        # Encrypted only against changes (an empty user password) still opens; a real password leaves no counts.
        reader.decrypt("")
    pages = len(reader.pages)
    words = sum(count_words(page.extract_text() or "") for page in reader.pages)
    # A scan is pages of pictures: no text layer, so its words are unknown rather than none.
    return Counts(pages=pages, words=words or None)


# Office documents (docx, odt)


def _office_counts(stream, statistics_of, text_part, text_rules):
    with zipfile.ZipFile(stream) as archive:
        pages, words = statistics_of(archive)
        if pages and words:
            return Counts(pages=pages, words=words)
        with _open_member(archive, text_part, MAX_MEMBER_SIZE) as part:
            words = _text_words(part, text_rules)
    return Counts(pages=estimated_pages(words), words=words, pages_estimated=True)


def _docx_statistics(archive):
    root = _statistics_root(archive, "docProps/app.xml")
    if root is None:
        return None, None
    return _number(root.findtext(f"{_APP}Pages")), _number(root.findtext(f"{_APP}Words"))


def _odt_statistics(archive):
    root = _statistics_root(archive, "meta.xml")
    statistic = None if root is None else root.find(f"{_OFFICE}meta/{_META}document-statistic")
    if statistic is None:
        return None, None
    return _number(statistic.get(f"{_META}page-count")), _number(statistic.get(f"{_META}word-count"))


def _statistics_root(archive, name):
    if name not in archive.namelist():
        return None
    with _open_member(archive, name, _MAX_STATISTICS_SIZE) as part:
        return fromstring(part.read(), forbid_dtd=True)


def _number(text):
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _open_member(archive, name, limit):
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise ValueError(f"{name} declares {info.file_size} bytes")
    # zipfile stops at the declared size, so the check also bounds what a lying header can inflate to.
    return archive.open(info)


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


def _text_words(part, rules):
    """The words of an XML text part, read a paragraph at a time: a paragraph's text is gathered when it closes
    (a word may run across several formatted runs), then the paragraph is dropped so memory stays flat."""
    words = 0
    open_elements = []
    paragraphs_open = 0
    for event, element in iterparse(part, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            open_elements.append(element)
            paragraphs_open += element.tag in rules.paragraphs
            continue
        open_elements.pop()
        if element.tag in rules.paragraphs:
            paragraphs_open -= 1
            if paragraphs_open == 0:
                words += count_words("".join(_paragraph_text(element, rules)))
        if paragraphs_open == 0 and open_elements:
            open_elements[-1].remove(element)
    return words


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


def _pptx_counts(stream):
    with zipfile.ZipFile(stream) as archive:
        titles = {}
        shown = []
        for part in _slide_parts(archive):
            # Two entries of the list may name one part; it is read once, so the list cannot multiply the reading.
            if part not in titles:
                with _open_member(archive, part, MAX_MEMBER_SIZE) as slide:
                    titles[part] = _slide_title(slide)
            shown.append(titles[part])
    return Counts(pages=len(shown), titles=tuple(shown))


def _slide_parts(archive):
    """The names of the slides' parts in the order the presentation shows them."""
    with _open_member(archive, "ppt/presentation.xml", _MAX_SLIDE_LIST_SIZE) as part:
        presentation = fromstring(part.read(), forbid_dtd=True)
    with _open_member(archive, "ppt/_rels/presentation.xml.rels", _MAX_SLIDE_LIST_SIZE) as part:
        relationships = fromstring(part.read(), forbid_dtd=True)
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


def _slide_title(part):
    """The text of the slide's first title placeholder among its shapes, read one shape at a time."""
    open_elements = []
    for event, element in iterparse(part, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            open_elements.append(element)
            continue
        open_elements.pop()
        if element.tag == f"{_P}sp" and _is_title(element):
            return _shape_text(element)
        # Outside a shape nothing is needed again: drop what closed so memory stays flat.
        if open_elements and not any(each.tag == f"{_P}sp" for each in open_elements):
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
