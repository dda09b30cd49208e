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
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from queue import SimpleQueue
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from django.conf import settings
from pypdf import PdfReader, PdfWriter
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


def serve_renders():
    """A render worker's loop: an HTML on standard input, its page count and PDF on standard output, until the
    input closes. A document that fails ends the worker (its error goes to standard error), and the caller then
    renders in its own process, where the error is raised."""
    inbox, outbox = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints goes to standard error, never into an answer
    while True:
        try:
            html = _receive(inbox).decode()
        except EOFError:
            return
        document = layout(html)
        with _no_cyclic_collection():
            content = document.write_pdf()
        _send(outbox, _PAGES.pack(len(document.pages)) + content)
        # An idle worker keeps nothing of the document it made: the layout ran with the collector paused.
        del html, document, content
        gc.collect()


class _Worker:
    """One render worker, started when first asked and again after it ended."""

    def __init__(self):
        self.process = None

    def render(self, html):
        """(PDF bytes, page count) of ``html``. A worker silent for PDF_RENDER_SECONDS is killed, so that a stuck
        layout never holds the document (or the worker's place) for ever; any failure leaves no answer behind in the
        pipes, as the worker is closed."""
        try:
            if self.process is None:
                self.process = subprocess.Popen(  # noqa: S603 — our command, no input in it
                    WORKER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=settings.BASE_DIR
                )
            watchdog = threading.Timer(settings.PDF_RENDER_SECONDS, self.process.kill)
            watchdog.start()
            try:
                _send(self.process.stdin, html.encode())
                answer = _receive(self.process.stdout)
            finally:
                watchdog.cancel()
        except (OSError, EOFError) as error:
            self.close()
            raise RenderWorkersUnavailable(f"a PDF render worker failed: {error!r}") from error
        except BaseException:
            self.close()
            raise
        return answer[_PAGES.size :], _PAGES.unpack_from(answer)[0]

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

    def render(self, html):
        worker = self._idle.get()
        try:
            return worker.render(html)
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


def render_pdfs(htmls):
    """(PDF bytes, page count) of each HTML, in order, laid out side by side by the render workers. ``htmls`` may be
    a generator: each HTML is sent as soon as it is made.

    Raises ``RenderWorkersUnavailable`` when a worker cannot start or ends before it answers."""
    workers = render_workers()
    with ThreadPoolExecutor(max_workers=workers.size) as threads:
        return list(threads.map(workers.render, htmls))


def render_pdf_elsewhere(html):
    """Start laying out ``html`` on a render worker and return at once a function that waits for its PDF bytes, so
    this process can do other work meanwhile. If the workers fail, the function lays it out in this process."""
    executor = ThreadPoolExecutor(max_workers=1)
    future = executor.submit(render_workers().render, html)
    executor.shutdown(wait=False)

    def result():
        try:
            return future.result()[0]
        except RenderWorkersUnavailable:
            logger.warning("a document laid out in this process: the PDF render workers failed", exc_info=True)
            return render_pdf(html)

    return result


def merge_pdfs(parts, *, overlay=None):
    """The PDFs ``parts`` one after another as one document, with page N of ``overlay`` (if given) drawn over page N:
    footers that needed the whole document's page count. The first part's metadata and bookmarks are kept.
    ``overlay`` may be a function giving its bytes (``render_pdf_elsewhere``): it is called once the parts are put
    together, so the overlay is laid out meanwhile."""
    writer = PdfWriter()
    for content in parts:
        writer.append(PdfReader(io.BytesIO(content)))
    if callable(overlay):
        overlay = overlay()
    if overlay is not None:
        for page, stamp in zip(writer.pages, PdfReader(io.BytesIO(overlay)).pages, strict=True):
            page.merge_page(stamp)
    writer.add_metadata(PdfReader(io.BytesIO(parts[0])).metadata)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
