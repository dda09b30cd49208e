"""What a preview is, why there may be none, and how much work reading one may take."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from config.budget import MB, OverBudget, WorkBudget

MAX_MEMBER_SIZE = 50 * MB
# A preview is read once per file, at upload (or on the first visit of a file stored before previews were kept):
# long enough for any document a person writes, short enough that a page waiting on it still answers.
PREVIEW_SECONDS = 2.0
# The first MAX_PARAGRAPHS paragraphs of a long, heavily formatted document take some tens of thousands of elements.
PREVIEW_ELEMENTS = 500_000
PREVIEW_ROWS = 50_000


class Reason:
    """Why a file has no preview, as kept with it; "" for a kind of file that is never previewed (a presentation)."""

    DAMAGED = "damaged"
    UNSAFE = "unsafe"
    UNAVAILABLE = "unavailable"
    TOO_MANY_ELEMENTS = OverBudget.TOO_MANY_ELEMENTS
    TOO_MANY_ROWS = OverBudget.TOO_MANY_ROWS
    TOO_SLOW = OverBudget.TOO_SLOW
    TOO_LARGE = OverBudget.TOO_LARGE

    TEXTS = {
        DAMAGED: _("No preview: the file is damaged, or is not what its name says."),
        UNSAFE: _("No preview: the file holds XML declarations that no document needs, so it was not read."),
        UNAVAILABLE: _("No preview: the stored file cannot be opened at the moment."),
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


def preview_budget():
    return WorkBudget(seconds=PREVIEW_SECONDS, max_elements=PREVIEW_ELEMENTS, max_rows=PREVIEW_ROWS)
