"""Previews kept by content (portfolio/previews/stored.py): built once when a file is uploaded, kept whether it could be
read or not, shared by copies of the file, built once on the first visit for a file stored before they were kept;
the pages show "No preview: why" beside the download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.portfolios import make_docx
from portfolio import services
from portfolio.models import FilePreview, SubmissionFile
from portfolio.previews import Preview, stored
from tests.portfolio.bombs import zipped
from tests.portfolio.conftest import BEFORE, docx, hand_in, pdf

pytestmark = pytest.mark.django_db

# Passes the upload checks (the parts a .docx must have), but its text is not XML.
DAMAGED = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document>ашық қалды"})


@pytest.fixture
def builds(monkeypatch):
    """The contents whose preview is built (parsed), in order."""
    built = []
    real = stored.build_preview

    def build(fileobj, extension, **kwargs):
        built.append(extension)
        return real(fileobj, extension, **kwargs)

    monkeypatch.setattr(stored, "build_preview", build)
    return built


def page(client, version, item=None):
    client.cookies["portal_language"] = "en"
    url = reverse("grading:grade", args=[version.submission_id])
    response = client.get(url + (f"?file={item.pk}" if item else ""))
    assert response.status_code == 200
    return response.content.decode()


def test_an_upload_keeps_its_preview_when_it_is_uploaded(cast, builds):
    essay = cast.tasks["СОӨЖ 1"]

    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx(text="Кіріспе")], now=BEFORE)

    kept = FilePreview.objects.get()
    assert (kept.sha256, kept.extension) == (draft.files.get().sha256, "docx")
    assert (kept.kind, kept.data, kept.reason) == ("text", {"paragraphs": ["Кіріспе"]}, "")
    assert builds == ["docx"]


def test_the_grading_page_shows_the_kept_preview_without_reading_the_file(login, cast, builds):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, docx(text="Сақталған мәтін"))
    item = version.files.get()
    item.file.storage.delete(item.file.name)

    assert "<p>Сақталған мәтін</p>" in page(login(cast.instructor), version)
    assert builds == ["docx"]  # at upload only


def test_a_damaged_file_is_kept_as_no_preview_and_the_page_says_why_beside_the_download(login, cast, builds):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, SimpleUploadedFile("эссе.docx", DAMAGED))

    html = page(login(cast.instructor), version)

    assert FilePreview.objects.get().reason == "damaged"
    assert "No preview: the file is damaged, or is not what its name says." in html
    assert reverse("portfolio:file_download", args=[version.files.get().pk]) in html
    assert builds == ["docx"]


def test_a_file_stored_before_previews_were_kept_gets_its_failure_kept_on_the_first_visit(login, cast, builds):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, SimpleUploadedFile("эссе.docx", DAMAGED))
    FilePreview.objects.all().delete()
    client = login(cast.instructor)

    first, second = page(client, version), page(client, version)

    assert "No preview: the file is damaged" in first and "No preview: the file is damaged" in second
    assert builds == ["docx", "docx"]  # at upload, then once on the first visit; never on the second
    assert FilePreview.objects.get().reason == "damaged"


def test_copies_of_a_file_in_later_versions_share_its_preview(login, cast, builds):
    essay = cast.tasks["СОӨЖ 1"]
    hand_in(essay, cast.student, docx("эссе.docx", text="Бір мазмұн"))
    later = hand_in(essay, cast.student, SimpleUploadedFile("қосымша.docx", make_docx(["Қосымша"])))
    copy = later.files.get(carried_over=True)

    assert "<p>Бір мазмұн</p>" in page(login(cast.instructor), later, copy)
    assert FilePreview.objects.count() == 2 and builds == ["docx", "docx"]  # one for each content
    assert SubmissionFile.objects.filter(sha256=copy.sha256).count() == 2


def test_a_pdf_needs_no_kept_preview(login, cast, builds):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, pdf())

    assert "pdf-frame" in page(login(cast.instructor), version)
    assert not FilePreview.objects.exists()


def test_a_stored_file_that_cannot_be_opened_says_so_and_is_not_kept(login, cast):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, docx())
    FilePreview.objects.all().delete()
    item = version.files.get()
    item.file.storage.delete(item.file.name)

    assert "No preview: the stored file cannot be opened at the moment." in page(login(cast.instructor), version)
    assert not FilePreview.objects.exists()


def test_the_students_own_page_shows_why_there_is_no_preview(login, cast):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, SimpleUploadedFile("эссе.docx", DAMAGED))
    client = login(cast.student)
    client.cookies["portal_language"] = "en"

    html = client.get(reverse("portfolio:submission_detail", args=[version.submission_id])).content.decode()

    assert "No preview: the file is damaged" in html


# A failure that may go otherwise next time ------------------------------------------------------------------------


def kept_as(reason, attempts=1):
    """Keep the preview row of the one file as a failure for ``reason``, as a build that went wrong would have."""
    FilePreview.objects.update(kind="none", data={}, reason=reason, attempts=attempts)


@pytest.mark.parametrize("reason", ["too_slow", "unavailable"])
def test_a_preview_that_ran_out_of_time_is_built_once_more_on_the_next_visit_and_then_kept(login, cast, builds, reason):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, docx(text="Екінші рет оқылды"))
    kept_as(reason)  # the server was busy at the deadline
    client = login(cast.instructor)

    first, second = page(client, version), page(client, version)

    assert "<p>Екінші рет оқылды</p>" in first and "<p>Екінші рет оқылды</p>" in second
    assert builds == ["docx", "docx"]  # at upload, then once on the first visit
    kept = FilePreview.objects.get()
    assert (kept.kind, kept.reason, kept.attempts) == ("text", "", 2)


def test_a_preview_that_ran_out_of_time_twice_is_kept_and_never_built_again(login, cast, builds):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, docx())
    kept_as("too_slow", attempts=2)
    client = login(cast.instructor)

    html = page(client, version) + page(client, version)

    assert html.count("No preview: the file took too long to read.") == 2
    assert builds == ["docx"]
    assert FilePreview.objects.get().attempts == 2


def test_a_file_that_could_not_be_read_twice_is_read_again_on_the_next_visit(login, cast, builds):
    """ "Cannot be opened at the moment" is never the last word: the storage may be back."""
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, docx(text="Қайта оқылды"))
    kept_as("unavailable", attempts=2)
    client = login(cast.instructor)

    assert "<p>Қайта оқылды</p>" in page(client, version)
    assert builds == ["docx", "docx"]
    assert FilePreview.objects.get().reason == ""


def test_a_second_time_out_is_kept_as_the_last_word(login, cast, builds, monkeypatch):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, docx())
    kept_as("too_slow")
    monkeypatch.setattr(stored, "build_preview", lambda *args, **kwargs: Preview("none", reason="too_slow"))
    client = login(cast.instructor)

    html = page(client, version) + page(client, version)

    assert html.count("No preview: the file took too long to read.") == 2
    kept = FilePreview.objects.get()
    assert (kept.reason, kept.attempts) == ("too_slow", 2)


@pytest.mark.parametrize("reason", ["too_many_elements", "too_many_rows", "too_large", "damaged", "unsafe"])
def test_a_preview_refused_for_what_the_file_holds_is_never_built_again(login, cast, builds, reason):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, docx())
    kept_as(reason)
    client = login(cast.instructor)

    html = page(client, version) + page(client, version)

    assert html.count("No preview: ") == 2
    assert builds == ["docx"]
    assert FilePreview.objects.get().attempts == 1


def test_a_stored_file_that_cannot_be_opened_for_the_second_attempt_keeps_the_attempt_for_later(login, cast, builds):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student, docx())
    kept_as("too_slow")
    item = version.files.get()
    item.file.storage.delete(item.file.name)

    assert "No preview: the file took too long to read." in page(login(cast.instructor), version)
    assert builds == ["docx"]
    assert FilePreview.objects.get().attempts == 1


def test_uploading_the_same_content_again_is_the_second_attempt(cast, builds):
    essay = cast.tasks["СОӨЖ 1"]
    services.draft_add_files(task=essay, student=cast.student, uploads=[docx(text="Бір мазмұн")], now=BEFORE)
    kept_as("too_slow")

    services.draft_add_files(task=essay, student=cast.classmate, uploads=[docx(text="Бір мазмұн")], now=BEFORE)

    kept = FilePreview.objects.get()
    assert (kept.kind, kept.data, kept.attempts) == ("text", {"paragraphs": ["Бір мазмұн"]}, 2)
    assert builds == ["docx", "docx"]
