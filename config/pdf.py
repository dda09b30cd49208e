"""The one WeasyPrint entry point of the portal, and the CSS helpers every PDF's page boxes use.

It lives in config so that every app that prints (grading's reports, a case plan) can reach it."""

import gc
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from django.conf import settings
from weasyprint.text.fonts import FontConfiguration

# Relative URLs in the template resolve against the static folder, and nothing outside it is fetched.
STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()
BASE_URL = STATIC_DIR.as_uri() + "/"


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
