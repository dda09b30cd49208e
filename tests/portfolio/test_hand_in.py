"""Staging, submitting, versions, deadlines and extensions at the service level."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from portfolio import services
from portfolio.models import Submission, SubmissionFile, Version
from tests.portfolio.conftest import at, docx, pdf, xlsx

pytestmark = pytest.mark.django_db

BEFORE = at(dt.date(2025, 9, 20))
DUE = at(dt.date(2025, 9, 21), 23, 59)


def stored_files():
    root = Path(default_storage.location)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def hand_in(task, student, upload, moment):
    services.draft_add_files(task=task, student=student, uploads=[upload], now=moment)
    return services.draft_submit(task=task, student=student, statement_accepted=True, now=moment)


def test_a_staged_file_is_stored_privately_under_a_generated_name(cast, essay):
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx("Менің эссем.docx")], now=BEFORE)
    item = draft.files.get()
    assert draft.is_draft and draft.number == 1
    assert item.original_name == "Менің эссем.docx"
    assert "эссе" not in item.file.name and item.file.name.endswith(".docx")
    assert item.file.name.startswith(f"portfolio/{essay.course_id}/{essay.pk}/")
    assert len(item.sha256) == 64
    assert stored_files() == [Path(default_storage.path(item.file.name))]


def test_submitting_freezes_the_draft_as_a_version(cast, essay):
    version = hand_in(essay, cast.student, docx(), BEFORE)
    assert version.state == Version.State.SUBMITTED
    assert version.submitted_at == BEFORE
    assert not version.is_late and version.late_by is None
    assert version.statement_accepted


def test_submitting_without_the_statement_is_refused_and_keeps_the_draft(cast, essay):
    services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    with pytest.raises(ValidationError) as error:
        services.draft_submit(task=essay, student=cast.student, statement_accepted=False, now=BEFORE)
    assert error.value.code == "statement"
    assert Version.objects.get().is_draft


def test_an_empty_draft_cannot_be_submitted(cast, essay):
    with pytest.raises(ValidationError) as error:
        services.draft_submit(task=essay, student=cast.student, statement_accepted=True, now=BEFORE)
    assert error.value.code == "empty_draft"


def test_resubmitting_creates_a_new_version_and_keeps_the_earlier_one(cast, essay):
    first = hand_in(essay, cast.student, docx("v1.docx"), BEFORE - dt.timedelta(days=2))
    second = hand_in(essay, cast.student, docx("v2.docx"), BEFORE)
    assert (first.number, second.number) == (1, 2)
    names = list(
        SubmissionFile.objects.order_by("version__number", "pk").values_list("version__number", "original_name")
    )
    assert names == [(1, "v1.docx"), (2, "v1.docx"), (2, "v2.docx")]  # version 2 started from version 1's file
    assert len(stored_files()) == 3
    latest = Version.objects.latest_submitted().get()
    assert latest.pk == second.pk


def test_a_hand_in_after_the_due_moment_is_late_by_how_much(cast, essay):
    version = hand_in(essay, cast.student, docx(), DUE + dt.timedelta(days=2, hours=3))
    assert version.is_late
    assert version.late_by == dt.timedelta(days=2, hours=3)


def test_a_cut_off_closes_submitting(cast, essay):
    essay.cutoff_at = DUE + dt.timedelta(days=3)
    essay.save()
    services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=DUE + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.draft_submit(task=essay, student=cast.student, statement_accepted=True, now=DUE + dt.timedelta(days=4))
    assert error.value.code == "closed"
    with pytest.raises(ValidationError):
        services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=DUE + dt.timedelta(days=4))
    assert not Version.objects.submitted().exists()


def test_an_extension_moves_one_students_dates_only(cast, essay):
    essay.cutoff_at = DUE + dt.timedelta(days=1)
    essay.save()
    services.extension_grant(
        task=essay,
        student=cast.student,
        due_at=DUE + dt.timedelta(days=5),
        cutoff_at=DUE + dt.timedelta(days=7),
        granted_by=cast.instructor,
    )
    moment = DUE + dt.timedelta(days=3)
    mine = hand_in(essay, cast.student, docx(), moment)
    assert not mine.is_late
    assert mine.due_at == DUE + dt.timedelta(days=5)
    with pytest.raises(ValidationError) as error:
        hand_in(essay, cast.classmate, docx(), moment)
    assert error.value.code == "closed"


def test_an_extension_is_only_for_students_of_the_course(cast, essay):
    with pytest.raises(ValidationError) as error:
        services.extension_grant(task=essay, student=cast.other_student, due_at=DUE, granted_by=cast.instructor)
    assert error.value.code == "not_enrolled"


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("програм.pdf", b"MZ\x90\x00" + b"\x00" * 200), "content"),
        (SimpleUploadedFile("эссе.docx", b""), "empty"),
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "extension"),
    ],
)
def test_a_refused_file_leaves_no_row_and_no_file(cast, essay, upload, code):
    with pytest.raises(ValidationError) as error:
        services.draft_add_files(task=essay, student=cast.student, uploads=[upload], now=BEFORE)
    assert error.value.code == code
    assert not Submission.objects.exists()
    assert stored_files() == []


def test_one_bad_file_among_good_ones_stores_none_of_them(cast, essay):
    with pytest.raises(ValidationError):
        services.draft_add_files(
            task=essay,
            student=cast.student,
            uploads=[docx(), SimpleUploadedFile("x.pdf", b"not a pdf")],
            now=BEFORE,
        )
    assert not SubmissionFile.objects.exists()
    assert stored_files() == []


def test_the_repository_task_takes_spreadsheets_not_documents(cast):
    repository = cast.tasks["СӨЖ 1"]
    services.draft_add_files(task=repository, student=cast.student, uploads=[xlsx()], now=BEFORE)
    with pytest.raises(ValidationError) as error:
        services.draft_add_files(task=repository, student=cast.student, uploads=[pdf()], now=BEFORE)
    assert error.value.code == "extension"


def test_a_submission_has_a_total_size_cap(cast, essay, settings):
    settings.PORTFOLIO_MAX_SUBMISSION_SIZE = 1000
    with pytest.raises(ValidationError) as error:
        services.draft_add_files(task=essay, student=cast.student, uploads=[docx(), docx()], now=BEFORE)
    assert error.value.code == "submission_too_large"
    assert stored_files() == []


def test_a_database_error_while_saving_leaves_no_file_behind(cast, essay):
    def refuse_file_rows(execute, sql, params, many, context):
        if "INSERT INTO" in sql and "portfolio_submissionfile" in sql:
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_file_rows), pytest.raises(DatabaseError):
        services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    assert not Submission.objects.exists()
    assert not Version.objects.exists()
    assert stored_files() == []


def test_removing_a_draft_file_deletes_it(cast, essay, django_capture_on_commit_callbacks):
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_remove_file(submission_file=draft.files.get())
    assert not SubmissionFile.objects.exists()
    assert stored_files() == []


def test_a_submitted_file_cannot_be_removed(cast, essay):
    first = hand_in(essay, cast.student, docx("v1.docx"), BEFORE)
    hand_in(essay, cast.student, docx("v2.docx"), BEFORE)
    with pytest.raises(ValidationError) as error:  # version 1 is no longer the one a new draft starts from
        services.draft_remove_file(submission_file=first.files.get(), now=BEFORE)
    assert error.value.code == "submitted"
    assert first.files.count() == 1
    assert not Version.objects.filter(state=Version.State.DRAFT).exists()


def test_the_database_allows_one_draft_per_portfolio(cast, essay):
    from django.db import IntegrityError, transaction

    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.create(submission=draft.submission, number=2)
