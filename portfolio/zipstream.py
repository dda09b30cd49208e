"""A ZIP download built while it is sent, so memory stays at about one 64 KiB chunk whatever the files weigh."""

import posixpath
import re
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from typing import BinaryIO

CHUNK_SIZE = 64 * 1024

# Office documents and PDF are zip or flate streams already; deflating them again costs time and saves nothing.
STORED_EXTENSIONS = frozenset({"pdf", "docx", "xlsx", "pptx", "odt", "ods"})

# Separators, and what Windows refuses in a file name, so the archive unpacks on an instructor's laptop.
_UNSAFE = re.compile(r'[/\\:*?"<>|]')
_DOTS = re.compile(r"\.{2,}")
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})


def zip_stream(entries: Iterable[tuple[str, Callable[[], BinaryIO]]]) -> Iterator[bytes]:
    """Yield a ZIP of ``entries`` piece by piece.

    Each entry is an arcname (build it with ``safe_arcname``) and a callable that opens the file; files are opened
    one at a time, copied in chunks and closed. A repeated arcname gets " (2)", " (3)" before its extension.
    """
    sink = _Sink()
    taken = set()
    date_time = time.localtime()[:6]
    with zipfile.ZipFile(sink, mode="w") as archive:
        for arcname, open_file in entries:
            info = zipfile.ZipInfo(_unique(arcname, taken), date_time=date_time)
            info.external_attr = 0o644 << 16
            extension = posixpath.splitext(arcname)[1].lower().lstrip(".")
            info.compress_type = zipfile.ZIP_STORED if extension in STORED_EXTENSIONS else zipfile.ZIP_DEFLATED
            with closing(open_file()) as source, archive.open(info, "w", force_zip64=True) as dest:
                while chunk := source.read(CHUNK_SIZE):
                    dest.write(chunk)
                    if data := sink.take():
                        yield data
    if data := sink.take():
        yield data


def safe_arcname(*parts: str) -> str:
    """Join ``parts`` with "/" after making each one a single harmless name: NFC, no separators, no "..", no
    control or invisible formatting characters, trimmed, and "_" if nothing is left."""
    return "/".join(_safe_part(part) for part in parts)


def _safe_part(part):
    part = unicodedata.normalize("NFC", part)
    part = "".join(
        " " if char.isspace() else char
        for char in part
        if char.isspace() or unicodedata.category(char) not in _INVISIBLE
    )
    part = _DOTS.sub(".", _UNSAFE.sub("_", " ".join(part.split())))
    # A leading dot hides the file on Unix and a trailing one is dropped by Windows; "." alone means "here".
    return part.strip(" .") or "_"


def _unique(arcname, taken):
    # Compared without case: Windows and macOS would unpack "Эссе.pdf" and "эссе.pdf" onto one file.
    candidate = arcname
    stem, extension = posixpath.splitext(arcname)
    number = 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem} ({number}){extension}"
    taken.add(candidate.casefold())
    return candidate


class _Sink:
    """Where zipfile writes; it cannot seek, so zipfile writes sizes after each member instead of going back."""

    def __init__(self):
        self._buffer = bytearray()

    def write(self, data):
        self._buffer += data
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = bytes(self._buffer)
        self._buffer.clear()
        return data
