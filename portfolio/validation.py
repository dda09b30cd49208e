"""What a portfolio upload must be before it is stored: the right kind of file, really that kind, and safe to open.

Pure checks on the uploaded bytes; nothing here touches the database or storage.
"""

import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MB = 1024 * 1024

_TEXT_DOCUMENTS = ("docx", "pdf", "odt")

EXTENSIONS_BY_DELIVERABLE = {
    "essay": _TEXT_DOCUMENTS,
    "case_plan": (),  # built in the portal; it takes no file
    "model_comparison": _TEXT_DOCUMENTS,
    "institution_report": _TEXT_DOCUMENTS,
    "service_repository": ("xlsx", "ods"),
    "assessment_toolkit": ("pptx", "pdf"),  # built in the portal; the one file is the presentation
    "presentation": ("pptx", "pdf"),
}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

# Office Open XML packages: the parts without which the application cannot open the file.
_OOXML_PARTS = {
    "docx": ("[Content_Types].xml", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    "pptx": ("[Content_Types].xml", "ppt/presentation.xml"),
}

MAX_NAME_LENGTH = 150
# Beyond this an apparent extension is more likely a sentence after a dot than a file type.
_MAX_EXTENSION_LENGTH = 10
_WINDOWS_ILLEGAL = re.compile(r'[<>:"/\\|?*]')
_WHITESPACE = re.compile(r"\s+")
_PATH_SEPARATORS = re.compile(r"[/\\]")
_DRIVE = re.compile(r"^[A-Za-z]:")

_PDF_MARKER = b"%PDF-"
_PDF_HEAD = 1024
_UTF8_BOM = b"\xef\xbb\xbf"
# PDF's own whitespace set (ISO 32000, 7.2.2).
_PDF_WHITESPACE = b"\x00\t\n\x0c\r "

# A member is only suspected of being a bomb once it is big enough to hurt.
_BOMB_MIN_SIZE = 10 * MB
_BOMB_MAX_RATIO = 200
_MIMETYPE_READ_LIMIT = 100

# Everything zipfile and zlib raise on a damaged or unreadable archive.
_BROKEN_ARCHIVE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError)


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check: its lowercase extension, the content type it is served with, its size."""

    extension: str
    content_type: str
    size: int
    original_name: str


def sanitize_filename(name: str) -> str:
    """The name a person gave their file, made safe to show and to offer back for download on any system.

    Only the last path component survives; control and format characters and those Windows forbids are dropped,
    whitespace collapses to single spaces, leading dots and spaces go, and the name is cut to 150 characters
    without losing its extension. Letters of any script are kept.
    """
    name = _PATH_SEPARATORS.split(name)[-1]
    name = unicodedata.normalize("NFC", name)
    # Format characters include right-to-left overrides, which can make "cod.exe" display as "exe.doc".
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf"))
    name = _WINDOWS_ILLEGAL.sub("", name)
    # Windows drops trailing dots and spaces, so a name ending in them would not round-trip.
    name = _WHITESPACE.sub(" ", name).rstrip(" .")

    stem, dot, suffix = name.rpartition(".")
    if dot and suffix and len(suffix) <= _MAX_EXTENSION_LENGTH and " " not in suffix:
        extension = f".{suffix}"
    else:
        stem, extension = name, ""
    stem = stem.lstrip(". ").rstrip(" ")
    if not stem:
        return f"file{extension}"
    return stem[: MAX_NAME_LENGTH - len(extension)].rstrip(" .") + extension


def _extension_of(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return suffix.lower() if dot and stem else ""


def check_upload(uploaded, *, allowed_extensions: Iterable[str], max_size: int) -> CheckedFile:
    """Accept an upload only if its extension is allowed, it is not empty, not above max_size, and its content
    is really a file of the kind its extension claims (a PDF header; an office archive that is safe to open and
    holds the parts its format requires).

    The checks run in that order and the first failure raises a ValidationError with a user-facing message and
    a code. The file is left positioned at its start.
    """
    allowed = tuple(extension.lower() for extension in allowed_extensions)
    unknown = set(allowed) - CONTENT_TYPES.keys()
    if unknown:
        raise ValueError(f"No content check exists for {sorted(unknown)}; add one before accepting these types.")

    name = sanitize_filename(uploaded.name or "")
    extension = _extension_of(name)
    accepted = ", ".join(f".{each}" for each in allowed)
    if not extension:
        raise ValidationError(
            _("«%(name)s» has no file extension. Accepted: %(allowed)s."),
            code="extension",
            params={"name": name, "allowed": accepted},
        )
    if extension not in allowed:
        raise ValidationError(
            _("«%(name)s»: files of type .%(extension)s are not accepted here. Accepted: %(allowed)s."),
            code="extension",
            params={"name": name, "extension": extension, "allowed": accepted},
        )

    size = uploaded.size or 0
    if size == 0:
        raise ValidationError(_("«%(name)s» is empty."), code="empty", params={"name": name})
    # The upload handler sets too_large when it stopped storing the file part-way through.
    if getattr(uploaded, "too_large", False) or size > max_size:
        raise ValidationError(
            _("«%(name)s» is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_size)},
        )

    try:
        uploaded.seek(0)
        if extension == "pdf":
            _check_pdf(uploaded, name)
        else:
            _check_archive(uploaded, name, extension)
    finally:
        uploaded.seek(0)

    return CheckedFile(extension=extension, content_type=CONTENT_TYPES[extension], size=size, original_name=name)


def check_total_size(sizes: Iterable[int], *, max_total: int) -> None:
    """A submission's files together may not exceed max_total bytes."""
    total = sum(sizes)
    if total > max_total:
        raise ValidationError(
            _("Together these files are %(size)s; a submission may hold at most %(limit)s."),
            code="submission_too_large",
            params={"size": filesizeformat(total), "limit": filesizeformat(max_total)},
        )


def _not_a_real(name: str, extension: str) -> ValidationError:
    return ValidationError(
        _("«%(name)s» is not a real %(kind)s file: its content does not match its extension."),
        code="content",
        params={"name": name, "kind": extension.upper()},
    )


def _check_pdf(uploaded, name: str) -> None:
    head = uploaded.read(_PDF_HEAD)
    # Some generators put a byte-order mark or blank lines before the header; anything else means another format.
    head = head.removeprefix(_UTF8_BOM).lstrip(_PDF_WHITESPACE)
    if not head.startswith(_PDF_MARKER):
        raise _not_a_real(name, "pdf")


def _check_archive(uploaded, name: str, extension: str) -> None:
    try:
        if not zipfile.is_zipfile(uploaded):
            raise _not_a_real(name, extension)
        uploaded.seek(0)
        # ZipFile reads only the central directory here; no member is decompressed until opened.
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
            _check_archive_safety(members, name)
            _check_required_parts(archive, name, extension)
    except _BROKEN_ARCHIVE as error:
        raise _not_a_real(name, extension) from error


def _check_archive_safety(members: list[zipfile.ZipInfo], name: str) -> None:
    max_entries = getattr(settings, "PORTFOLIO_ZIP_MAX_ENTRIES", 5000)
    if len(members) > max_entries:
        raise ValidationError(
            _("«%(name)s» holds %(count)s parts; at most %(limit)s are accepted."),
            code="archive_too_many_entries",
            params={"name": name, "count": len(members), "limit": max_entries},
        )

    max_unpacked = getattr(settings, "PORTFOLIO_ZIP_MAX_UNPACKED", 300 * MB)
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked:
        raise ValidationError(
            _("«%(name)s» unpacks to %(size)s; the limit is %(limit)s."),
            code="archive_too_large",
            params={"name": name, "size": filesizeformat(unpacked), "limit": filesizeformat(max_unpacked)},
        )

    for member in members:
        if _is_unsafe_path(member.filename):
            raise ValidationError(
                _("«%(name)s» contains a part with an unsafe path and cannot be accepted."),
                code="archive_unsafe",
                params={"name": name},
            )

    for member in members:
        if member.file_size > _BOMB_MIN_SIZE and (
            member.compress_size == 0 or member.file_size / member.compress_size > _BOMB_MAX_RATIO
        ):
            raise ValidationError(
                _("«%(name)s» contains a part that unpacks to %(size)s from only %(packed)s; it cannot be accepted."),
                code="archive_too_large",
                params={
                    "name": name,
                    "size": filesizeformat(member.file_size),
                    "packed": filesizeformat(member.compress_size),
                },
            )


def _is_unsafe_path(path: str) -> bool:
    if path.startswith(("/", "\\")) or _DRIVE.match(path):
        return True
    return ".." in _PATH_SEPARATORS.split(path)


def _check_required_parts(archive: zipfile.ZipFile, name: str, extension: str) -> None:
    present = set(archive.namelist())
    if extension in _OOXML_PARTS:
        if not present.issuperset(_OOXML_PARTS[extension]):
            raise _not_a_real(name, extension)
        return

    # An OpenDocument file declares its kind in an uncompressed "mimetype" member.
    if "mimetype" not in present or "content.xml" not in present:
        raise _not_a_real(name, extension)
    with archive.open("mimetype") as member:
        declared = member.read(_MIMETYPE_READ_LIMIT)
    if declared != CONTENT_TYPES[extension].encode("ascii"):
        raise _not_a_real(name, extension)
