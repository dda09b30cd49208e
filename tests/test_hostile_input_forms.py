"""Every form of every page, as the instructor, the student and the department admin find them by following the
portal's own links, posted with hostile values: numbers that are not finite or past 64 bits in every numeric field,
ids past 64 bits in every choice, 240,000 characters in every text. And every page asked for with such values in
the query parameters the views read. Nothing may answer 500, and no text of that length may be stored anywhere.

A page or form added later is swept without a line here, as long as a link leads to it.
"""

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.apps import apps
from django.db import models
from django.db.models.functions import Length

from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import essay_rubric_ensure
from tests.grading.conftest import hand_in_work

pytestmark = pytest.mark.django_db

HOSTILE_NUMBERS = ["NaN", "Infinity", "-Infinity", "sNaN", "1e999", "99999999999999999999", "-1"]
HUGE_ID = "99999999999999999999"
HUGE_TEXT = "я" * 240_000
# At 480 KB a field (Cyrillic is two bytes), four fit in Django's 2.5 MB of form text; more would be refused whole.
TEXTS_PER_POST = 4
# The query parameters the views read (grep request.GET), each given every hostile number.
QUERY_PARAMETERS = ["page", "sort", "group", "status", "file", "q", "token", "preset", "confirm", "inline", "entry"]
SKIPPED = ("/static/", "/admin/", "/accounts/logout/", "/i18n/", "/jsi18n/")
# Files are swept by test_hostile_input; PDFs, workbooks and archives take seconds each and read no form.
NOT_PAGES = (".pdf", ".xlsx", ".zip", ".ics", "/download/")
PAGES_OF_A_SHAPE = 12  # pages whose addresses differ only in ids: enough to reach every task's kind of page


def shape(path):
    return re.sub(r"[0-9]+", "N", path)


def _links(document):
    for link in document.xpath("//a[@href]"):
        href = urlsplit(link.get("href"))
        path = href.path
        if not href.netloc and path.startswith("/") and not path.startswith(SKIPPED) and not path.endswith(NOT_PAGES):
            yield path


def _forms(document, page):
    for form in document.forms:
        action = urlsplit(form.get("action") or page).path or page
        if (form.method or "GET").upper() != "POST" or action.startswith(SKIPPED):
            continue
        kinds = {}
        for element in form.inputs:
            if element.get("name"):
                kind = (element.get("type") or "text").lower() if element.tag == "input" else element.tag
                kinds.setdefault(element.get("name"), kind)
        yield SimpleNamespace(page=page, action=action, values=dict(form.form_values()), kinds=kinds)


def crawl(client):
    """The pages reachable from home by links (a few of each shape), and the POST forms on them."""
    seen, queue, forms, shapes = [], ["/"], [], {}
    while queue:
        path = queue.pop(0)
        if path in seen or shapes.get(shape(path), 0) >= PAGES_OF_A_SHAPE:
            continue
        seen.append(path)
        shapes[shape(path)] = shapes.get(shape(path), 0) + 1
        response = client.get(path)
        assert response.status_code != 500, path
        if response.status_code == 302:
            queue.append(urlsplit(response["Location"]).path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        document = lxml.html.fromstring(response.content)
        queue.extend(_links(document))
        forms.extend(_forms(document, path))
    return seen, forms


TYPED = ("number", "text", "textarea", "search", "tel", "email", "url")


def _holds_a_number(value):
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def hostile_posts(form):
    """(what, data) of each hostile post of ``form``: hostile numbers in every field a person types into and every
    hidden one that holds a number (a revision, a count of rows), ids past 64 bits in every choice, texts far too
    long in every typed field."""
    fields = {name: kind for name, kind in form.kinds.items() if name != "csrfmiddlewaretoken"}
    texts = [name for name, kind in fields.items() if kind in TYPED]
    hidden = [name for name, kind in fields.items() if kind == "hidden" and _holds_a_number(form.values.get(name))]
    numbers = texts + hidden
    choices = [name for name, kind in fields.items() if kind in ("select", "checkbox", "radio")]
    for value in HOSTILE_NUMBERS if numbers else ():
        yield f"numbers = {value}", {**form.values, **dict.fromkeys(numbers, value)}
    if choices:
        yield "ids past 64 bits", {**form.values, **dict.fromkeys(choices, HUGE_ID)}
    for start in range(0, len(texts), TEXTS_PER_POST):
        yield "240,000 characters", {**form.values, **dict.fromkeys(texts[start : start + TEXTS_PER_POST], HUGE_TEXT)}


@pytest.fixture
def world(cast):
    """The cast's course with every task handed in by the student, the essay on the seed rubric."""
    letter_scale_ensure()
    essay = cast.tasks["СОӨЖ 1"]
    essay.rubric = essay_rubric_ensure()
    essay.save()
    for task in cast.tasks.values():
        hand_in_work(task, cast.student)
    return cast


def failure(response, what):
    error = response.exc_info[1] if response.exc_info else None
    return f"{what}: {type(error).__name__}: {error}"


def stored_huge_texts():
    """Every model's text column holding a text as long as the hostile one, as "model.field"."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                rows = model._default_manager.annotate(length=Length(field.attname))
                if rows.filter(length__gte=len(HUGE_TEXT)).exists():
                    found.append(f"{model._meta.label}.{field.name}")
    return found


@pytest.mark.parametrize("who", ["instructor", "student", "dept_admin"])
def test_no_form_or_page_answers_500_to_hostile_values_and_no_huge_text_is_stored(login, world, who):
    client = login(getattr(world, who))
    client.raise_request_exception = False
    pages, forms = crawl(client)
    assert len(pages) > 10 and forms
    failures = []
    for page in sorted({shape(page): page for page in pages}.values()):
        for value in HOSTILE_NUMBERS:
            response = client.get(page, dict.fromkeys(QUERY_PARAMETERS, value))
            if response.status_code == 500:
                failures.append(failure(response, f"GET {page}?…={value}"))
    swept = set()
    for form in forms:
        key = (shape(form.action), tuple(sorted(form.kinds)))
        if key in swept:
            continue
        swept.add(key)
        for what, data in hostile_posts(form):
            response = client.post(form.action, data)
            if response.status_code == 500:
                failures.append(failure(response, f"POST {form.action} ({what})"))
    assert not failures, "\n".join(failures)
    assert not stored_huge_texts()
