"""Every uploaded file is streamed to disk and hashed on arrival; past the cap it is counted but no longer stored."""

import hashlib
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import JsonResponse
from django.urls import path

from portfolio.validation import EXTENSIONS_BY_DELIVERABLE, check_upload

MB = 1024 * 1024


def describe(uploaded):
    return {
        "name": uploaded.name,
        "kind": type(uploaded).__name__,
        "sha256": uploaded.sha256,
        "size": uploaded.size,
        "too_large": uploaded.too_large,
        "on_disk": os.path.getsize(uploaded.temporary_file_path()),
        "starts_with": uploaded.read(8).decode("latin-1"),
    }


def received(request):
    return JsonResponse({"files": [describe(uploaded) for uploaded in request.FILES.getlist("file")]})


def checked(request):
    try:
        result = check_upload(request.FILES["file"], allowed_extensions=EXTENSIONS_BY_DELIVERABLE["essay"], max_size=MB)
    except ValidationError as error:
        return JsonResponse({"code": error.code, "message": error.messages[0]})
    return JsonResponse({"code": None, "extension": result.extension, "size": result.size})


urlpatterns = [
    path("received/", received),
    path("checked/", checked),
]

pytestmark = pytest.mark.urls("tests.portfolio.test_upload_handler")


@pytest.fixture(autouse=True)
def _hashing_handler(settings):
    settings.FILE_UPLOAD_HANDLERS = ["portfolio.uploads.HashingUploadHandler"]


def pdf_of(size, seed=2025):
    header = b"%PDF-1.4\n"
    # Deterministic bytes that do not repeat, so a misplaced chunk would change the hash.
    return header + hashlib.shake_256(str(seed).encode()).digest(size - len(header))


def send(client, *files):
    response = client.post("/received/", {"file": list(files)})
    assert response.status_code == 200
    return response.json()["files"]


def test_a_three_megabyte_file_arrives_with_its_sha256(client):
    content = pdf_of(3 * MB)
    (report,) = send(client, SimpleUploadedFile("essay.pdf", content))
    assert report["sha256"] == hashlib.sha256(content).hexdigest()
    assert (report["size"], report["on_disk"], report["too_large"]) == (len(content), len(content), False)
    assert report["starts_with"] == "%PDF-1.4"


def test_even_a_small_file_goes_to_disk_not_memory(client):
    (report,) = send(client, SimpleUploadedFile("essay.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert report["kind"] == "TemporaryUploadedFile"
    assert report["on_disk"] == 15
    assert report["sha256"] == hashlib.sha256(b"%PDF-1.4\n%%EOF\n").hexdigest()


def test_each_file_of_a_request_gets_its_own_hash(client):
    first, second = pdf_of(200_000, seed=1), pdf_of(300_000, seed=2)
    reports = send(client, SimpleUploadedFile("first.pdf", first), SimpleUploadedFile("second.pdf", second))
    assert [(report["name"], report["sha256"], report["size"]) for report in reports] == [
        ("first.pdf", hashlib.sha256(first).hexdigest(), len(first)),
        ("second.pdf", hashlib.sha256(second).hexdigest(), len(second)),
    ]


def test_a_file_past_the_cap_is_marked_too_large_with_its_true_size(client, settings):
    settings.PORTFOLIO_MAX_FILE_SIZE = 100_000
    (report,) = send(client, SimpleUploadedFile("essay.pdf", pdf_of(300_000)))
    assert report["too_large"] is True
    assert report["size"] == 300_000
    assert report["sha256"] == ""
    assert report["on_disk"] <= 100_000


def test_a_file_exactly_at_the_cap_is_kept_whole(client, settings):
    content = pdf_of(100_000)
    settings.PORTFOLIO_MAX_FILE_SIZE = len(content)
    (report,) = send(client, SimpleUploadedFile("essay.pdf", content))
    assert (report["too_large"], report["size"], report["on_disk"]) == (False, len(content), len(content))
    assert report["sha256"] == hashlib.sha256(content).hexdigest()


def test_one_byte_past_the_cap_is_too_large(client, settings):
    settings.PORTFOLIO_MAX_FILE_SIZE = 100_000
    (report,) = send(client, SimpleUploadedFile("essay.pdf", pdf_of(100_001)))
    assert (report["too_large"], report["size"], report["sha256"]) == (True, 100_001, "")


def test_the_cap_defaults_to_twenty_megabytes(client, settings):
    del settings.PORTFOLIO_MAX_FILE_SIZE
    (report,) = send(client, SimpleUploadedFile("essay.pdf", pdf_of(20 * MB + 1)))
    assert (report["too_large"], report["size"]) == (True, 20 * MB + 1)
    assert report["on_disk"] <= 20 * MB


def test_the_validation_refuses_a_cut_off_upload_with_its_true_size(client, settings):
    # The file is under the deliverable's 1 MB limit; the handler's verdict alone refuses it.
    settings.PORTFOLIO_MAX_FILE_SIZE = 100_000
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/checked/", {"file": SimpleUploadedFile("essay.pdf", pdf_of(300_000))})
    assert response.json() == {"code": "too_large", "message": "«essay.pdf» is 293.0\xa0KB; the limit is 1.0\xa0MB."}


def test_the_validation_accepts_a_streamed_file(client):
    response = client.post("/checked/", {"file": SimpleUploadedFile("essay.pdf", pdf_of(500_000))})
    assert response.json() == {"code": None, "extension": "pdf", "size": 500_000}
