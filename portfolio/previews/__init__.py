"""What an instructor sees of an uploaded file without downloading it.

Uploads are hostile input, and a preview is bounded by the work it may take, not only by bytes: every XML part is
read through defusedxml, streamed so that finished elements are forgotten, only after the zip says the part is at
most 50 MB, and within a ``WorkBudget`` (so many elements a part, so many rows, a few seconds in all). A workbook's
shared strings are read only as far as the rows shown need them (``config.xlsx``). Anything that cannot be read
gives ``Preview("none")`` with the reason, which the page shows beside the download; a file whose budget ran out
after some text was read shows that text, cut short. What is kept is bounded too, since a small file can hold one
paragraph of millions of characters: a paragraph or a cell is cut at ``MAX_TEXT`` characters, the whole preview at
``MAX_PREVIEW_TEXT``, each as it is read.

A preview is built once per file content and kept (``portfolio.previews.stored``), success or failure (a time-out
is built once more), so the pages that show it never parse anything themselves after that.
"""

import logging
import re
import unicodedata

from defusedxml import DefusedXmlException

from config.budget import OverBudget
from portfolio.previews.base import MAX_MEMBER_SIZE, Preview, Reason, preview_budget
from portfolio.previews.documents import docx_paragraphs, odf_paragraphs, paragraph_preview
from portfolio.previews.sheets import ods_preview, xlsx_preview

__all__ = ["MAX_MEMBER_SIZE", "PREVIEWED", "Preview", "Reason", "build_preview", "word_count"]

logger = logging.getLogger(__name__)

# The kinds of file read to be previewed; a PDF is shown by the browser and anything else is not shown.
PREVIEWED = frozenset({"docx", "odt", "xlsx", "ods"})

_WORD = re.compile(r"\w+(?:[-‐'’]\w+)*")


def build_preview(fileobj, extension: str, *, max_paragraphs=400, max_rows=200, max_columns=30, budget=None):
    """Read what can be shown of an upload within ``budget`` (``preview_budget()`` by default); never raises on a
    damaged or hostile file, it gives kind "none" and the reason."""
    extension = extension.lower().lstrip(".")
    if extension == "pdf":
        return Preview("pdf")
    if extension not in PREVIEWED:
        return Preview("none")
    budget = budget or preview_budget()
    try:
        if extension == "docx":
            return paragraph_preview(fileobj, "word/document.xml", docx_paragraphs, max_paragraphs, budget)
        if extension == "odt":
            return paragraph_preview(fileobj, "content.xml", odf_paragraphs, max_paragraphs, budget)
        if extension == "xlsx":
            return xlsx_preview(fileobj, max_rows, max_columns, budget)
        return ods_preview(fileobj, max_rows, max_columns, budget)
    except OverBudget as error:
        logger.info("No preview for an uploaded .%s file: %s", extension, error)
        return Preview("none", reason=error.code)
    except DefusedXmlException:
        logger.info("No preview for an uploaded .%s file: refused XML", extension, exc_info=True)
        return Preview("none", reason=Reason.UNSAFE)
    except OSError:
        # Reading the stored file failed (zipfile and zlib raise other types on a damaged one): kept, and tried again.
        logger.warning("No preview for an uploaded .%s file: it could not be read", extension, exc_info=True)
        return Preview("none", reason=Reason.UNAVAILABLE)
    # The parsers below us (zipfile, zlib, expat) raise many unrelated types on crafted input; a preview is a
    # convenience, so any other failure means "damaged: download it instead".
    except Exception:
        logger.info("No preview for an uploaded .%s file", extension, exc_info=True)
        return Preview("none", reason=Reason.DAMAGED)


def word_count(preview: Preview) -> int:
    """Words in a text preview, in any script (a hyphenated compound counts once); 0 for other kinds."""
    if preview.kind != "text":
        return 0
    return sum(len(_WORD.findall(unicodedata.normalize("NFC", paragraph))) for paragraph in preview.paragraphs)
