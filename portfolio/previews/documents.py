"""Paragraph documents (docx, odt) as the paragraphs of their text."""

import zipfile

from config.budget import OverBudget
from portfolio.previews.base import Clip, Preview, Room

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_P, W_T = f"{_W}p", f"{_W}t"

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TEXT_P, TEXT_H, TEXT_S, TEXT_TAB, TEXT_LINE_BREAK = (
    f"{_TEXT}p",
    f"{_TEXT}h",
    f"{_TEXT}s",
    f"{_TEXT}tab",
    f"{_TEXT}line-break",
)
OFFICE_ANNOTATION = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation"

# Elements that stand for whitespace; a run of spaces (text:s text:c="3") is shown as one.
_ODF_SPACES = {TEXT_S: " ", TEXT_TAB: "\t", TEXT_LINE_BREAK: "\n"}


def paragraph_preview(fileobj, member, paragraphs_of, max_paragraphs, budget):
    """The first ``max_paragraphs`` paragraphs with text of the part ``member``, each cut at MAX_TEXT characters and
    all together at MAX_PREVIEW_TEXT. When the budget runs out after some were read, they are shown, cut short;
    before any, the budget's reason is the answer."""
    paragraphs = []
    room = Room()
    truncated = False
    with zipfile.ZipFile(fileobj) as archive, budget.open_part(archive, member) as stream:
        try:
            for clip in paragraphs_of(budget.flat_events(stream)):
                text = clip.text()
                if not text:
                    continue
                if len(paragraphs) == max_paragraphs or not room.left:
                    truncated = True
                    break
                paragraphs.append(room.take(text))
                truncated |= clip.cut
        except OverBudget:
            if not paragraphs:
                raise
            truncated = True
    return Preview("text", paragraphs=tuple(paragraphs), truncated=truncated or room.full)


def docx_paragraphs(events):
    """The text of each w:p as it closes (a ``Clip``); a nested paragraph (a text box) is given on its own."""
    open_paragraphs = []
    for event, element in events:
        if element.tag == W_P:
            if event == "start":
                open_paragraphs.append(Clip())
            else:
                yield open_paragraphs.pop()
        elif element.tag == W_T and event == "end" and open_paragraphs:
            open_paragraphs[-1].append(element.text or "")


def odf_paragraphs(events):
    reader = OdfText()
    for event, element in events:
        if (text := reader.feed(event, element)) is not None:
            yield text


class OdfText:
    """Follows parse events and gives the text of each text:p or text:h as it closes, as a ``Clip``.

    ODF puts words both inside elements and between them (``text`` and ``tail``). Elements are forgotten once they
    close, so the text is taken in document order as it becomes known: an element's ``text`` when its first child
    opens or it closes, a child's ``tail`` when the next sibling opens or the parent closes.
    """

    def __init__(self):
        self._open = []
        self._in_annotation = 0

    def feed(self, event, element):
        if event == "start":
            parts = None
            if self._open:
                parent = self._open[-1]
                parent.flush()
                parent.last_child = element
                parts = parent.parts
            if element.tag in _ODF_SPACES and parts is not None:
                parts.append(_ODF_SPACES[element.tag])
            if element.tag in (TEXT_P, TEXT_H):
                parts = Clip()
            elif element.tag == OFFICE_ANNOTATION:
                self._in_annotation += 1
                parts = None
            self._open.append(_OpenElement(element, parts))
            return None
        closed = self._open.pop()
        closed.flush()
        if element.tag == OFFICE_ANNOTATION:
            self._in_annotation -= 1
        elif element.tag in (TEXT_P, TEXT_H) and not self._in_annotation:
            return closed.parts
        return None


class _OpenElement:
    """An element being read and the ``Clip`` its own text goes to (None outside paragraphs and in comments)."""

    __slots__ = ("element", "last_child", "parts")

    def __init__(self, element, parts):
        self.element = element
        self.parts = parts
        self.last_child = None

    def flush(self):
        """Keep the text that came just before now: the element's own text, or the tail of its last child."""
        text = self.element.text if self.last_child is None else self.last_child.tail
        if text and self.parts is not None:
            self.parts.append(text)
