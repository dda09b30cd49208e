"""Handing in in one step (services.draft_submit with the files picked in the hand-in form): the files go into the
version, all or nothing, within the limits of a version."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from portfolio import services
from portfolio.models import Submission, SubmissionFile, Version
from tests.portfolio.conftest import BEFORE, docx, hand_in, pdf

pytestmark = pytest.mark.django_db

DUE = BEFORE + dt.timedelta(days=1, hours=11, minutes=59)


def stored_files():
    root = Path(default_storage.location)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def submit(task, student, uploads, now=BEFORE, statement_accepted=True):
    return services.draft_submit(
        task=task, student=student, uploads=uploads, statement_accepted=statement_accepted, now=now
    )


def names(version):
    return sorted(version.files.values_list("original_name", flat=True))


def test_files_picked_in_the_hand_in_form_go_into_the_version_without_an_upload_first(cast, essay):
    version = submit(essay, cast.student, [docx("эссе.docx"), pdf("дереккөздер.pdf")])
    assert version.state == Version.State.SUBMITTED and version.number == 1 and version.is_latest
    assert names(version) == ["дереккөздер.pdf", "эссе.docx"]
    assert len(stored_files()) == 2


def test_picked_files_join_the_files_staged_on_an_earlier_visit(cast, essay):
    services.draft_add_files(task=essay, student=cast.student, uploads=[docx("эссе.docx")], now=BEFORE)
    version = submit(essay, cast.student, [pdf("дереккөздер.pdf")])
    assert Version.objects.get() == version
    assert names(version) == ["дереккөздер.pdf", "эссе.docx"]


@pytest.mark.parametrize(
    "bad",
    [
        SimpleUploadedFile("програм.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
        SimpleUploadedFile("бос.docx", b""),
    ],
)
def test_one_bad_file_stores_nothing_and_submits_nothing(cast, essay, bad):
    services.draft_add_files(task=essay, student=cast.student, uploads=[docx("жоба.docx")], now=BEFORE)
    staged = stored_files()
    with pytest.raises(ValidationError):
        submit(essay, cast.student, [pdf("жақсы.pdf"), bad])
    assert stored_files() == staged
    draft = Version.objects.get()
    assert draft.is_draft and names(draft) == ["жоба.docx"]


def test_a_failure_after_the_files_are_written_takes_them_back(cast, essay):
    hand_in(essay, cast.student, docx("v1.docx"))
    kept = stored_files()

    def refuse_submitting(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and "portfolio_version" in sql:
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_submitting), pytest.raises(DatabaseError):
        submit(essay, cast.student, [pdf("v2.pdf")])
    # Neither the picked file nor the copy of version 1's file it was joined to is left in storage.
    assert stored_files() == kept
    assert list(Version.objects.values_list("number", "state")) == [(1, "submitted")]
    assert SubmissionFile.objects.count() == 1


def test_without_the_statement_no_file_is_stored(cast, essay):
    with pytest.raises(ValidationError) as error:
        submit(essay, cast.student, [docx()], statement_accepted=False)
    assert error.value.code == "statement"
    assert not Submission.objects.exists()
    assert stored_files() == []


def test_past_the_cut_off_the_picked_files_are_refused(cast, essay):
    essay.cutoff_at = DUE + dt.timedelta(days=1)
    essay.save()
    with pytest.raises(ValidationError) as error:
        submit(essay, cast.student, [docx()], now=DUE + dt.timedelta(days=2))
    assert error.value.code == "closed"
    assert stored_files() == []


def test_a_hand_in_with_no_file_at_all_is_refused(cast, essay):
    with pytest.raises(ValidationError) as error:
        submit(essay, cast.student, [])
    assert error.value.code == "empty_draft"
    assert not Version.objects.exists()


def test_a_hand_in_that_changes_nothing_is_refused(cast, essay):
    hand_in(essay, cast.student, docx("эссе.docx"))
    with pytest.raises(ValidationError) as error:
        submit(essay, cast.student, [])
    assert error.value.code == "unchanged"
    assert Version.objects.count() == 1


def test_a_name_already_in_the_version_is_refused_until_the_old_file_is_removed(cast, essay):
    first = hand_in(essay, cast.student, docx("эссе.docx"))
    with pytest.raises(ValidationError) as error:
        submit(essay, cast.student, [docx("ЭССЕ.docx", text="Жаңартылған мәтін")])
    assert error.value.code == "duplicate_name"
    assert Version.objects.count() == 1
    draft = services.draft_remove_file(submission_file=first.files.get(), now=BEFORE)
    second = submit(essay, cast.student, [docx("ЭССЕ.docx", text="Жаңартылған мәтін")])
    assert second.pk == draft.pk and names(second) == ["ЭССЕ.docx"]


def test_a_late_hand_in_is_marked_late_by_how_much(cast, essay):
    version = submit(essay, cast.student, [docx()], now=DUE + dt.timedelta(hours=5))
    assert version.is_late and version.late_by == dt.timedelta(hours=5)
