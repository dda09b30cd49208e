"""What a preview is, why there may be none, how much work reading one may take and how much text it may keep."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from config.budget import MB, OverBudget, WorkBudget

MAX_MEMBER_SIZE = 50 * MB
# A preview is read once per file, at upload (or on the first visit of a file stored before previews were kept):
# long enough for any document a person writes, short enough that a page waiting on it still answers.
PREVIEW_SECONDS = 2.0
# A preview that ran out of time is built once more on a page visit (portfolio.previews.stored), within this much:
# enough for a file that only met a busy server at upload, and the page still answers within a second.
RETRY_SECONDS = 0.5
# The first MAX_PARAGRAPHS paragraphs of a long, heavily formatted document take some tens of thousands of elements.
PREVIEW_ELEMENTS = 500_000
PREVIEW_ROWS = 50_000
# A preview shows the beginning of a file, and is kept and sent with every visit of the pages showing it: a paragraph
# or a cell is cut at MAX_TEXT characters, the whole preview at MAX_PREVIEW_TEXT (some fifty pages of text), since a
# 58 KB .docx can hold one paragraph of forty million characters.
MAX_TEXT = 2_000
MAX_PREVIEW_TEXT = 100_000
MAX_SHEET_NAME = 100

_NOT_SPACE = re.compile(r"\S")


class Reason:
    """Why a file has no preview, as kept with it; "" for a kind of file that is never previewed (a presentation)."""

    DAMAGED = "damaged"
    UNSAFE = "unsafe"
    UNAVAILABLE = "unavailable"
    PENDING = "pending"
    TOO_MANY_ELEMENTS = OverBudget.TOO_MANY_ELEMENTS
    TOO_MANY_ROWS = OverBudget.TOO_MANY_ROWS
    TOO_SLOW = OverBudget.TOO_SLOW
    TOO_LARGE = OverBudget.TOO_LARGE

    TEXTS = {
        DAMAGED: _("No preview: the file is damaged, or is not what its name says."),
        UNSAFE: _("No preview: the file holds XML declarations that no document needs, so it was not read."),
        UNAVAILABLE: _("No preview: the stored file cannot be opened at the moment."),
        PENDING: _("The preview waits to be built. Reload the page in a moment."),
        TOO_MANY_ELEMENTS: _("No preview: the file has too many elements to preview."),
        TOO_MANY_ROWS: _("No preview: the sheet has too many rows to preview."),
        TOO_SLOW: _("No preview: the file took too long to read."),
        TOO_LARGE: _("No preview: a part of the file unpacks to more than 50 MB."),
    }


@dataclass(frozen=True)
class Preview:
    """``kind`` is "pdf" (shown inline by the browser), "text" (paragraphs), "table" (rows of the first sheet) or
    "none" (nothing to show, ``reason`` says why). A preview cut short by the work it may take keeps what was read,
    ``truncated``. Two previews are equal when they show the same; the reason is not compared."""

    kind: str
    paragraphs: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    truncated: bool = False
    sheet_name: str = ""
    reason: str = field(default="", compare=False)

    @property
    def reason_text(self):
        """ "No preview: why", in the reader's language; "" without a reason."""
        return Reason.TEXTS.get(self.reason, Reason.TEXTS[Reason.DAMAGED]) if self.reason else ""


def preview_budget(seconds=PREVIEW_SECONDS):
    return WorkBudget(seconds=seconds, max_elements=PREVIEW_ELEMENTS, max_rows=PREVIEW_ROWS)


def clipped(text, limit):
    """``text`` cut to at most ``limit`` characters and "…"; never between a letter and its accents."""
    cut = min(limit, len(text))
    while 0 < cut < len(text) and unicodedata.combining(text[cut]):
        cut -= 1
    return text[:cut].rstrip() + "…"


def shortened(text, limit=MAX_TEXT):
    """``text``, or its first ``limit`` characters and "…" when it is longer."""
    return text if len(text) <= limit else clipped(text, limit)


class Clip:
    """The text of one paragraph or cell, gathered piece by piece as the file is read and kept only as far as a
    preview shows it: a paragraph of forty million characters costs a few thousand. Leading and trailing whitespace
    is not shown; ``cut`` says that text was left out."""

    __slots__ = ("cut", "parts", "size")

    def __init__(self):
        self.parts = []
        self.size = 0
        self.cut = False

    def append(self, text):
        if not self.size:
            text = text.lstrip()
        # One character more than is shown is kept, to tell a text of exactly MAX_TEXT from a longer one.
        room = MAX_TEXT + 1 - self.size
        if len(text) > room:
            # Only whitespace left out (the end of a paragraph) is not a cut: it is never shown.
            self.cut |= _NOT_SPACE.search(text, max(room, 0)) is not None
            text = text[: max(room, 0)]
        if text:
            self.parts.append(text)
            self.size += len(text)

    def text(self):
        """What is shown; sets ``cut`` when it had to be cut here."""
        text = "".join(self.parts).strip()
        if len(text) > MAX_TEXT:
            self.cut = True
            return clipped(text, MAX_TEXT)
        return text + "…" if self.cut and text else text


class Room:
    """What is left of a preview's MAX_PREVIEW_TEXT characters as its texts are taken in order; ``full`` once a text
    had to be cut or left out."""

    def __init__(self, chars=MAX_PREVIEW_TEXT):
        self.left = chars
        self.full = False

    def take(self, text):
        if len(text) <= self.left:
            self.left -= len(text)
            return text
        self.full = True
        text = clipped(text, self.left) if self.left else ""
        self.left = 0
        return text
