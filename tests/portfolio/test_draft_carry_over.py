"""A new draft starts from the files of the version before it (services._draft through draft_add_files,
draft_remove_file and draft_submit): copies stored anew, independent of the version, all or nothing."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from portfolio import services
from portfolio.models import SubmissionFile, Version
from portfolio.selectors import selected_file
from tests.portfolio.conftest import BEFORE, docx, pdf

pytestmark = pytest.mark.django_db


def stored_files():
    root = Path(default_storage.location)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def first_version(task, student):
    """Version 1 of the student's essay: эссе.docx and дереккөздер.pdf."""
    return services.draft_submit(
        task=task,
        student=student,
        uploads=[docx("эссе.docx"), pdf("дереккөздер.pdf")],
        statement_accepted=True,
        now=BEFORE,
    )


def rows(version):
    return list(version.files.order_by("pk").values_list("original_name", "carried_over"))


def test_a_new_draft_begins_with_copies_of_the_last_versions_files(cast, essay):
    first = first_version(essay, cast.student)
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx("қосымша.docx")], now=BEFORE)
    assert draft.number == 2 and draft.is_draft
    assert rows(draft) == [("эссе.docx", True), ("дереккөздер.pdf", True), ("қосымша.docx", False)]
    originals = {item.original_name: item for item in first.files.all()}
    for copy in draft.files.filter(carried_over=True):
        original = originals[copy.original_name]
        assert copy.file.name != original.file.name  # stored anew, under a new generated name
        assert (copy.size, copy.sha256, copy.extension) == (original.size, original.sha256, original.extension)
        with copy.file.open("rb") as mine, original.file.open("rb") as theirs:
            assert mine.read() == theirs.read()
    assert len(stored_files()) == 5


def test_removing_a_copy_never_touches_the_versions_file(cast, essay, django_capture_on_commit_callbacks):
    first = first_version(essay, cast.student)
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx("жаңа.docx")], now=BEFORE)
    copy = draft.files.get(original_name="эссе.docx")
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_remove_file(submission_file=copy)
    original = first.files.get(original_name="эссе.docx")
    assert default_storage.exists(original.file.name)
    assert not default_storage.exists(copy.file.name)
    assert sorted(first.files.values_list("original_name", flat=True)) == ["дереккөздер.pdf", "эссе.docx"]


def test_removing_a_file_before_the_draft_exists_starts_the_draft_without_it(cast, essay):
    first = first_version(essay, cast.student)
    draft = services.draft_remove_file(submission_file=first.files.get(original_name="эссе.docx"), now=BEFORE)
    assert draft.number == 2 and draft.is_draft
    assert rows(draft) == [("дереккөздер.pdf", True)]
    assert first.files.count() == 2 and len(stored_files()) == 3
    # The draft is the student's now: a second visit finds it as they left it, not a fresh copy.
    services.draft_add_files(task=essay, student=cast.student, uploads=[docx("эссе-2.docx")], now=BEFORE)
    assert rows(Version.objects.get(number=2)) == [("дереккөздер.pdf", True), ("эссе-2.docx", False)]


def test_a_file_of_an_older_version_cannot_start_a_draft(cast, essay):
    first = first_version(essay, cast.student)
    services.draft_submit(
        task=essay, student=cast.student, uploads=[docx("v2.docx")], statement_accepted=True, now=BEFORE
    )
    with pytest.raises(ValidationError) as error:
        services.draft_remove_file(submission_file=first.files.first(), now=BEFORE)
    assert error.value.code == "submitted"
    assert not Version.objects.filter(state=Version.State.DRAFT).exists()


def test_the_copies_are_all_or_nothing(cast, essay):
    first = first_version(essay, cast.student)
    lost = first.files.get(original_name="дереккөздер.pdf")
    default_storage.delete(lost.file.name)  # the second copy cannot be read
    kept = stored_files()
    with pytest.raises(ValidationError) as refused:  # the student is told the file could not be stored
        services.draft_add_files(task=essay, student=cast.student, uploads=[docx("жаңа.docx")], now=BEFORE)
    assert refused.value.code == "not_stored"
    assert stored_files() == kept  # the first copy was taken back
    assert not Version.objects.filter(state=Version.State.DRAFT).exists()
    assert SubmissionFile.objects.count() == 2


def test_the_copies_count_toward_the_limits_of_a_version(cast, essay, settings):
    first_version(essay, cast.student)
    settings.PORTFOLIO_MAX_FILES = 2
    with pytest.raises(ValidationError) as error:
        services.draft_add_files(task=essay, student=cast.student, uploads=[docx("үшінші.docx")], now=BEFORE)
    assert error.value.code == "too_many_files"
    assert len(stored_files()) == 2
    assert not Version.objects.filter(state=Version.State.DRAFT).exists()


def test_the_next_version_holds_the_copies_and_the_new_file_and_opens_on_the_new_one(cast, essay):
    first_version(essay, cast.student)
    second = services.draft_submit(
        task=essay, student=cast.student, uploads=[docx("қосымша.docx")], statement_accepted=True, now=BEFORE
    )
    assert second.number == 2 and second.is_latest
    assert rows(second) == [("эссе.docx", True), ("дереккөздер.pdf", True), ("қосымша.docx", False)]
    assert selected_file([second], None).original_name == "қосымша.docx"
