"""A storage that refuses a write: the student is told that the file could not be stored and nothing was handed in,
and nothing is recorded — no version, no file row, no object or file left half there.

The refusals are real ones. The bucket: deleted under the portal (the server answers NoSuchBucket), or its server
gone (the connection is refused). The disk: a regular file where the storage must make a folder (tests run as root,
whom permissions do not stop) — the temporary area, or the folder a file is moved into just before the commit."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from caseplans import services as caseplans
from demo.portfolios import make_docx
from portfolio import services
from portfolio.models import SubmissionFile, Version
from tests.caseplans.conftest import plan_values
from tests.portfolio.conftest import BEFORE, docx, pdf
from tests.s3 import bucket_create, s3_server

pytestmark = pytest.mark.django_db

NOT_STORED = (
    "The file could not be stored just now, so nothing was saved or handed in. Try again in a few minutes; if it "
    "happens again, tell your instructor."
)


def task_page(task):
    return reverse("grading:task_detail", args=[task.course_id, task.pk])


def hand_in_page(client, task, *uploads):
    """Hand in ``uploads`` through the hand-in form; the messages of the page it leads to, in English."""
    client.cookies["portal_language"] = "en"
    url = reverse("portfolio:draft_submit", args=[task.course_id, task.pk])
    response = client.post(url, {"files": list(uploads), "own_work": "on", "deidentified": "on"}, follow=True)
    assert response.redirect_chain == [(task_page(task), 302)]
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def nothing_recorded():
    assert not Version.objects.exists()
    assert not SubmissionFile.objects.exists()


def disk_root(settings):
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def files_on(root):
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


# The bucket -------------------------------------------------------------------------------------------------------


def test_a_deleted_bucket_refuses_the_hand_in_and_nothing_is_recorded(login, cast, s3_bucket):
    s3_bucket.client.delete_bucket(Bucket=s3_bucket.name)
    messages = hand_in_page(login(cast.student), cast.tasks["СОӨЖ 1"], pdf())
    assert messages == [("error", NOT_STORED)]
    nothing_recorded()


def test_a_bucket_whose_server_is_gone_refuses_the_hand_in(login, cast, settings):
    with s3_server() as endpoint:
        bucket = bucket_create(endpoint)
        settings.STORAGES = {**settings.STORAGES, "default": bucket.storage}
    messages = hand_in_page(login(cast.student), cast.tasks["СОӨЖ 1"], pdf())
    assert messages == [("error", NOT_STORED)]
    nothing_recorded()


def test_a_file_the_bucket_lost_stops_the_next_draft_and_takes_back_what_was_copied(login, cast, s3_bucket):
    """The draft starts with copies of the version's two files: the first is copied, the second is not there any
    more. The first copy is deleted again; the bucket holds what it held."""
    essay = cast.tasks["СОӨЖ 1"]
    services.draft_add_files(task=essay, student=cast.student, uploads=[docx(), pdf()], now=BEFORE)
    version = services.draft_submit(task=essay, student=cast.student, statement_accepted=True, now=BEFORE)
    lost = version.files.order_by("pk").last()
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=lost.file.name)
    before = s3_bucket.keys()
    client = login(cast.student)
    client.cookies["portal_language"] = "en"
    url = reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk])
    response = client.post(url, {"files": [docx("жаңа.docx")]}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [NOT_STORED]
    assert s3_bucket.keys() == before
    assert list(Version.objects.values_list("pk", flat=True)) == [version.pk]
    assert SubmissionFile.objects.count() == 2


def test_a_deleted_bucket_refuses_a_plan_built_in_the_portal(login, cast, s3_bucket, given_case):
    task = given_case.task
    caseplans.plan_save(task=task, student=cast.student, values=plan_values())
    s3_bucket.client.delete_bucket(Bucket=s3_bucket.name)
    client = login(cast.student)
    client.cookies["portal_language"] = "en"
    url = reverse("caseplans:plan_submit", args=[task.course_id, task.pk])
    response = client.post(url, {"own_work": "on", "deidentified": "on"}, follow=True)
    assert response.redirect_chain == [
        (reverse("caseplans:plan_edit", args=[task.course_id, task.pk]) + "#hand-in", 302)
    ]
    assert [str(message) for message in response.context["messages"]] == [NOT_STORED]
    nothing_recorded()


# The disk ---------------------------------------------------------------------------------------------------------


def test_a_disk_that_cannot_make_the_temporary_area_refuses_the_hand_in(login, cast, settings):
    root = disk_root(settings)
    root.mkdir(parents=True)
    (root / "tmp").write_bytes(b"not a folder")
    messages = hand_in_page(login(cast.student), cast.tasks["СОӨЖ 1"], pdf())
    assert messages == [("error", NOT_STORED)]
    nothing_recorded()
    assert files_on(root) == ["tmp"]


def test_a_disk_that_refuses_the_move_into_place_keeps_no_temporary_file(login, cast, settings):
    """The bytes are written to the temporary area; the folder they must move to cannot be made."""
    essay = cast.tasks["СОӨЖ 1"]
    root = disk_root(settings)
    (root / "portfolio").mkdir(parents=True)
    (root / "portfolio" / str(essay.course_id)).write_bytes(b"not a folder")
    messages = hand_in_page(login(cast.student), essay, pdf(), SimpleUploadedFile("қосымша.docx", make_docx(["Мәтін"])))
    assert messages == [("error", NOT_STORED)]
    nothing_recorded()
    assert files_on(root) == [f"portfolio/{essay.course_id}"]


def test_a_disk_refusal_stops_a_plan_built_in_the_portal(login, cast, settings, given_case):
    task = given_case.task
    caseplans.plan_save(task=task, student=cast.student, values=plan_values())
    root = disk_root(settings)
    root.mkdir(parents=True)
    (root / "tmp").write_bytes(b"not a folder")
    client = login(cast.student)
    client.cookies["portal_language"] = "en"
    response = client.post(
        reverse("caseplans:plan_submit", args=[task.course_id, task.pk]),
        {"own_work": "on", "deidentified": "on"},
        follow=True,
    )
    assert [str(message) for message in response.context["messages"]] == [NOT_STORED]
    nothing_recorded()
