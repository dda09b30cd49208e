"""The one WeasyPrint entry point of the portal, and the CSS helpers every PDF's page boxes use.

It lives in config so that every app that prints (grading's reports, a case plan) can reach it."""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from django.conf import settings

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


def layout(html):
    """WeasyPrint's laid-out pages of ``html`` (what ``render_pdf`` writes), fetching nothing outside static/."""
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_StaticOnlyFetcher()).render()


def render_pdf(html):
    """WeasyPrint on ``html``, fetching nothing outside static/."""
    return layout(html).write_pdf()
