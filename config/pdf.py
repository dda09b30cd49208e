"""The one WeasyPrint entry point of the portal, the CSS helpers every PDF's page boxes use, and the render workers
that lay out the parts of a long document side by side.

It lives in config so that every app that prints (grading's reports, a case plan) can reach it."""

import gc
import io
import logging
import os
import struct
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from queue import SimpleQueue
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from django.conf import settings
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
from weasyprint.text.fonts import FontConfiguration

# Relative URLs in the template resolve against the static folder, and nothing outside it is fetched.
STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()
BASE_URL = STATIC_DIR.as_uri() + "/"

logger = logging.getLogger("portal.documents")


class _StaticOnlyFetcher(weasyprint.URLFetcher):
    """Fetches files under static/ and nothing else: a PDF never reaches the network or the rest of the disk."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or not Path(url2pathname(parts.path)).resolve().is_relative_to(STATIC_DIR):
            raise ValueError(f"refused to fetch {url}")
        return super().fetch(url, headers)


def css_string(text):
    """``text`` as a quoted CSS string: anything but letters, digits and spaces becomes a hex escape."""
    return '"' + "".join(char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text) + '"'


def css_counter_content(sentence, **values):
    """A translated sentence as a CSS ``content`` value whose %(page)s and %(pages)s become page counters.

    The sentence is translated whole and cut at its placeholders, so each language keeps its word order.
    """
    marker = "\x00"
    text = sentence % {**values, "page": f"{marker}page{marker}", "pages": f"{marker}pages{marker}"}
    parts = []
    for index, piece in enumerate(text.split(marker)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


_fonts = threading.local()


def _font_configuration():
    """This thread's WeasyPrint font configuration, made once: making one sets up fontconfig afresh, a tenth of a
    long document's render. Our PDFs load no web fonts (@font-face), so nothing of one document stays in it for the
    next."""
    if not hasattr(_fonts, "configuration"):
        _fonts.configuration = FontConfiguration()
    return _fonts.configuration


@contextmanager
def _no_cyclic_collection():
    """Python's cycle collector paused for the block. Laying out a document makes hundreds of thousands of short-lived
    objects (boxes, styles, line breaks) that keep each other alive until the end; the collector would walk them
    again and again, about a tenth of a long toolkit's render (bench/toolkit_pdf.py). What was enabled is
    enabled again, and the garbage left is collected as usual afterwards; overlapping renders in other threads end
    with the collector on, as the first one to have paused it resumes it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def layout(html):
    """WeasyPrint's laid-out pages of ``html`` (what ``render_pdf`` writes), fetching nothing outside static/."""
    with _no_cyclic_collection():
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_StaticOnlyFetcher())
        return document.render(font_config=_font_configuration())


def render_pdf(html):
    """WeasyPrint on ``html``, fetching nothing outside static/."""
    document = layout(html)
    with _no_cyclic_collection():
        return document.write_pdf()


# Render workers --------------------------------------------------------------------------------------------------
#
# Child processes started with subprocess, not multiprocessing: a job runs in a Celery prefork worker, a daemonic
# process that multiprocessing forbids to have children, and a web process runs threads, which a fork without exec
# could copy holding locks. A worker is a fresh Python that imports this module and answers on its pipes: it gets
# HTML, returns PDF bytes, and never reaches the database. It ends when its input closes: when the process that
# started it ends (and any process forked from that one, which holds copies of the pipes), or when it is stopped
# (``close_render_workers``, or a document that outlasts PDF_RENDER_SECONDS).

WORKER_COMMAND = [sys.executable, "-c", "from config.pdf import serve_renders; serve_renders()"]
_SIZE = struct.Struct("!Q")
_PAGES = struct.Struct("!I")


class RenderWorkersUnavailable(Exception):
    """A render worker could not start, or ended before it answered: the caller renders in its own process."""


def _send(stream, data):
    stream.write(_SIZE.pack(len(data)) + data)
    stream.flush()


def _receive(stream):
    header = stream.read(_SIZE.size)
    if len(header) < _SIZE.size:
        raise EOFError
    (size,) = _SIZE.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return data


def _answer(html, outbox):
    """Lay out ``html`` and send its page count, then write and send its PDF, as ``render_pdf`` does."""
    document = layout(html)
    _send(outbox, _PAGES.pack(len(document.pages)))
    with _no_cyclic_collection():
        _send(outbox, document.write_pdf())


def serve_renders():
    """A render worker's loop: an HTML on standard input; its page count, as soon as it is laid out, and its PDF on
    standard output; until the input closes. A document that fails ends the worker (its error goes to standard
    error), and the caller then renders in its own process, where the error is raised."""
    inbox, outbox = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints goes to standard error, never into an answer
    while True:
        try:
            html = _receive(inbox).decode()
        except EOFError:
            return
        _answer(html, outbox)
        # An idle worker keeps nothing of the document it made: the layout ran with the collector paused.
        del html
        gc.collect()


class _Worker:
    """One render worker, started when first asked and again after it ended."""

    def __init__(self):
        self.process = None

    def render(self, html, laid_out=None):
        """(PDF bytes, page count) of ``html``; ``laid_out``, if given, is called with the page count as soon as the
        worker has laid the document out, before it writes the PDF. A worker silent for PDF_RENDER_SECONDS is
        killed, so that a stuck layout never holds the document (or the worker's place) for ever; any failure leaves
        no answer behind in the pipes, as the worker is closed."""
        try:
            if self.process is None:
                self.process = subprocess.Popen(  # noqa: S603 — our command, no input in it
                    WORKER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=settings.BASE_DIR
                )
            watchdog = threading.Timer(settings.PDF_RENDER_SECONDS, self.process.kill)
            watchdog.start()
            try:
                _send(self.process.stdin, html.encode())
                (pages,) = _PAGES.unpack(_receive(self.process.stdout))
                if laid_out is not None:
                    laid_out(pages)
                content = _receive(self.process.stdout)
            finally:
                watchdog.cancel()
        except (OSError, EOFError) as error:
            self.close()
            raise RenderWorkersUnavailable(f"a PDF render worker failed: {error!r}") from error
        except BaseException:
            self.close()
            raise
        return content, pages

    def close(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


class RenderWorkers:
    """``size`` render workers shared by the threads of one process: each document waits for a free worker."""

    def __init__(self, size):
        self.size = size
        self.pid = os.getpid()
        self._idle = SimpleQueue()
        for _ in range(size):
            self._idle.put(_Worker())

    def render(self, html, laid_out=None):
        worker = self._idle.get()
        try:
            return worker.render(html, laid_out)
        finally:
            self._idle.put(worker)

    def close(self):
        for _ in range(self.size):
            self._idle.get().close()


_workers = None
_workers_lock = threading.Lock()


def render_workers():
    """This process's render workers, made on first use (``PDF_WORKERS`` of them, by default one per CPU); a
    process forked after they were made gets its own, as pipes cannot be shared."""
    global _workers
    with _workers_lock:
        if _workers is None or _workers.pid != os.getpid():
            _workers = RenderWorkers(settings.PDF_WORKERS)
        return _workers


def close_render_workers():
    """Stop this process's render workers; the next document starts new ones."""
    global _workers
    with _workers_lock:
        if _workers is not None and _workers.pid == os.getpid():
            _workers.close()
        _workers = None


def render_pdfs(htmls, *, meanwhile=None):
    """(PDF bytes, page count) of each HTML, in order, laid out side by side by the render workers, and what
    ``meanwhile`` returned (None without it). ``htmls`` may be a generator: each HTML is sent as soon as it is made.
    ``meanwhile``, if given, is called in this thread with the page counts as soon as every HTML is laid out, while
    the workers still write their PDFs: this process, idle until then, does work that needs the counts.

    Raises ``RenderWorkersUnavailable`` when a worker cannot start or ends before it answers."""
    workers = render_workers()
    with ThreadPoolExecutor(max_workers=workers.size) as threads:
        counts, answers = [], []
        for html in htmls:
            counts.append(Future())
            answers.append(threads.submit(_render_counted, workers, html, counts[-1]))
        done = meanwhile([count.result() for count in counts]) if meanwhile else None
        return [answer.result() for answer in answers], done


def _render_counted(workers, html, count):
    """``workers.render(html)``, with the page count set on the future ``count``, or its failure if it has none."""
    try:
        return workers.render(html, count.set_result)
    except BaseException as error:
        if not count.done():
            count.set_exception(error)
        raise


_OVERLAY = "/MergedOverlay"


def merge_pdfs(parts, *, overlay=None):
    """The PDFs ``parts`` one after another as one document, with page N of ``overlay`` (if given, pages of the same
    size) drawn over page N: footers that needed the whole document's page count. The document is built on a copy of
    the first part, whose metadata, language and bookmarks it keeps."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(parts[0])))
    for content in parts[1:]:
        writer.append(PdfReader(io.BytesIO(content)))
    if overlay is not None:
        # Wrapped in q … Q, a page's content leaves the graphics state as it found it for the overlay drawn after it.
        before, after = DecodedStreamObject(), DecodedStreamObject()
        before.set_data(b"q\n")
        after.set_data(f"\nQ\n{_OVERLAY} Do\n".encode())
        before, after = writer._add_object(before), writer._add_object(after)
        for page, stamp in zip(writer.pages, PdfReader(io.BytesIO(overlay)).pages, strict=True):
            _draw_over(writer, page, stamp, before, after)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _draw_over(writer, page, stamp, before, after):
    """Draw the page ``stamp`` over ``page`` as a form XObject, the page's content streams kept as they are. pypdf's
    ``merge_page`` draws the same, but parses both pages' content and writes it back uncompressed: for the
    500-student grade sheet, 0.09 s and 3.7 MB against 0.03 s and 0.39 MB (the sheet laid out whole: 0.35 MB)."""
    form = DecodedStreamObject()
    form.set_data(stamp.get_contents().get_data())
    form = form.flate_encode()
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): stamp.mediabox,
            NameObject("/Resources"): stamp.raw_get("/Resources").clone(writer),
        }
    )
    # The parts' pages share their resources; each page gets its own, to name its own overlay.
    resources = DictionaryObject(page["/Resources"])
    xobjects = DictionaryObject(resources["/XObject"]) if "/XObject" in resources else DictionaryObject()
    xobjects[NameObject(_OVERLAY)] = writer._add_object(form)  # pypdf 7 has no public way to add an object
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    contents = page.raw_get("/Contents")
    streams = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([before, *streams, after])
