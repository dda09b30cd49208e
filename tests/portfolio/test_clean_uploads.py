"""`manage.py clean_uploads`: what killed or failed uploads left in private storage goes once it is old enough; what
rows name, and whatever is younger (a request may still be writing it), stays; so does whatever else is in the
folder uploads arrive in. Run against a database that is not the service's, it removes no stored file."""

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from portfolio import services
from portfolio.models import SubmissionFile
from portfolio.storing import storing
from tests.portfolio.conftest import BEFORE, docx

pytestmark = pytest.mark.django_db

TWO_HOURS_AGO = time.time() - 2 * 60 * 60


@pytest.fixture
def incoming(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "incoming")
    return tmp_path / "incoming"


def put(path, content=b"x" * 1024, mtime=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def clean(*options):
    out = StringIO()
    call_command("clean_uploads", *options, stdout=out)
    return out.getvalue().strip()


KEPT = 8  # files rows name: one orphan among them is a killed upload's, well within the share the command allows


def age(path):
    os.utime(path, (TWO_HOURS_AGO, TWO_HOURS_AGO))
    return path


@pytest.fixture
def draft(cast, essay):
    """The student's draft of the essay with KEPT files, aged."""
    uploads = [docx(f"{number}.docx", text=f"Эссе {number}") for number in range(KEPT)]
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=uploads, now=BEFORE)
    for item in draft.files.all():
        age(Path(default_storage.path(item.file.name)))
    return draft


@pytest.fixture
def leftovers(essay, incoming, draft):
    """Handed-in files (aged), and beside them an old and a young file of each kind a killed upload leaves."""
    root = Path(default_storage.location)
    return {
        "kept": [Path(default_storage.path(item.file.name)) for item in draft.files.all()],
        "old": [
            put(root / f"portfolio/{essay.course_id}/{essay.pk}/0123.pdf", mtime=TWO_HOURS_AGO),  # an orphan
            put(root / "tmp/4567.part", mtime=TWO_HOURS_AGO),
            put(incoming / "tmpab12cd34.upload.pdf", b"y" * (1024 * 1024), mtime=TWO_HOURS_AGO),
        ],
        "young": [
            put(root / f"portfolio/{essay.course_id}/{essay.pk}/89ab.pdf"),
            put(root / "tmp/cdef.part"),
            put(incoming / "tmpcd34ef56.upload.pdf"),
        ],
    }


def test_it_removes_orphans_and_old_leftovers_and_keeps_what_rows_name_and_young_files(leftovers):
    summary = clean()
    assert not any(path.exists() for path in leftovers["old"])
    assert all(path.exists() for path in leftovers["kept"])
    assert all(path.exists() for path in leftovers["young"])
    assert summary == (
        "Removed 1 orphan file(s) (0.0 MB) and 2 temporary leftover(s) (1.0 MB) older than 60 min; "
        f"kept {KEPT} file(s) that rows name."
    )


def test_a_dry_run_removes_nothing_and_says_what_it_would_remove(leftovers):
    summary = clean("--dry-run")
    assert all(path.exists() for path in [*leftovers["old"], *leftovers["young"], *leftovers["kept"]])
    assert summary.startswith("Would remove 1 orphan file(s) (0.0 MB) and 2 temporary leftover(s) (1.0 MB)")


def test_the_age_is_a_choice_and_a_file_a_row_names_is_never_removed_however_old(leftovers):
    summary = clean("--older-than", "0")
    assert not any(path.exists() for path in [*leftovers["old"], *leftovers["young"]])
    assert all(path.exists() for path in leftovers["kept"])
    assert summary.startswith("Removed 2 orphan file(s)") and "4 temporary leftover(s)" in summary


def test_it_says_so_when_there_is_nothing_to_remove(db, incoming):
    assert clean() == (
        "Removed 0 orphan file(s) (0.0 MB) and 0 temporary leftover(s) (0.0 MB) older than 60 min; "
        "kept 0 file(s) that rows name."
    )


# The folder uploads arrive in may be shared (/tmp) --------------------------------------------------------------


def test_in_a_shared_upload_folder_only_djangos_old_upload_files_at_its_top_go(db, settings, tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(shared)
    arrived = TemporaryUploadedFile("эссе.docx", "application/octet-stream", 0, None)  # named as Django names it
    arrived.write(b"PK")
    arrived.flush()
    uploads = [age(Path(arrived.temporary_file_path())), put(shared / "tmpzz_9x7y6.upload", mtime=TWO_HOURS_AGO)]
    foreign = [
        put(shared / name, mtime=TWO_HOURS_AGO)
        for name in ("report.pdf", "tmpab12cd34.pdf", "tmpab12.upload.pdf", "xtmpab12cd34.upload.pdf")
    ]
    foreign.append(put(shared / "session-1/tmpab12cd34.upload.pdf", mtime=TWO_HOURS_AGO))  # not at the top
    link_target = put(tmp_path / "elsewhere.pdf", mtime=TWO_HOURS_AGO)
    link = shared / "tmpqq11ww22.upload.pdf"
    link.symlink_to(link_target)

    summary = clean()
    arrived.close()
    assert not any(path.exists() for path in uploads)
    assert all(path.exists() for path in foreign)
    assert link.is_symlink() and link_target.exists()
    assert "and 2 temporary leftover(s)" in summary


def test_in_the_default_upload_folder_inside_storage_a_file_not_djangos_is_kept(leftovers, incoming):
    foreign = put(incoming / "notes.txt", mtime=TWO_HOURS_AGO)
    clean()
    assert foreign.exists()


# Not the service's database ---------------------------------------------------------------------------------------


def orphans(essay, count):
    root = Path(default_storage.location)
    return [
        put(root / f"portfolio/{essay.course_id}/{essay.pk}/{number:04x}.pdf", mtime=TWO_HOURS_AGO)
        for number in range(count)
    ]


def test_a_database_naming_no_file_removes_no_stored_file_and_fails_naming_the_database(essay, incoming):
    stored = orphans(essay, 3)
    leftover = put(Path(default_storage.location) / "tmp/4567.part", mtime=TWO_HOURS_AGO)
    out = StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command("clean_uploads", stdout=out)
    assert all(path.exists() for path in stored)
    assert not leftover.exists()  # temporary leftovers are never anyone's work
    message = str(refusal.value)
    assert str(connection.settings_dict["NAME"]) in message and connection.vendor in message
    assert "names no stored file at all, yet the storage holds 3" in message
    assert out.getvalue().startswith("Removed 1 temporary leftover(s)") and "left 3 orphan file(s)" in out.getvalue()


def test_orphans_beyond_a_fifth_of_the_stored_files_are_kept_unless_forced(cast, essay, incoming, settings):
    settings.PORTFOLIO_MAX_FILES = 3
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    stored = orphans(essay, 4)
    with pytest.raises(CommandError, match=r"4 of the 5 stored files \(80%\) are named by no row"):
        clean()
    with pytest.raises(CommandError):
        clean("--dry-run")
    assert all(path.exists() for path in stored)
    assert clean("--force").startswith("Removed 4 orphan file(s)")
    assert not any(path.exists() for path in stored)
    assert default_storage.exists(draft.files.get().file.name)


def test_a_killed_requests_orphans_on_a_new_installation_are_removed_whatever_their_share(cast, essay, incoming):
    """A request killed just before its commit leaves at most a version's files (PORTFOLIO_MAX_FILES): on a portal
    holding one file, so many orphans must not make the hourly run fail until someone forces it."""
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    stored = orphans(essay, settings.PORTFOLIO_MAX_FILES)
    assert clean().startswith(f"Removed {settings.PORTFOLIO_MAX_FILES} orphan file(s)")
    assert not any(path.exists() for path in stored)
    assert default_storage.exists(draft.files.get().file.name)


def test_orphans_up_to_a_fifth_of_the_stored_files_are_removed(essay, incoming, draft):
    stored = orphans(essay, 2)  # of KEPT + 2 = 10 stored files
    assert clean().startswith("Removed 2 orphan file(s)")
    assert not any(path.exists() for path in stored)


# A workflow nested in an outer transaction ------------------------------------------------------------------------


def test_a_file_stored_in_an_outer_transaction_that_then_fails_is_an_orphan_the_command_removes(draft, incoming):
    with pytest.raises(RuntimeError), transaction.atomic():
        with storing() as staging:
            row = SubmissionFile(
                version=draft, original_name="а.pdf", extension="pdf", content_type="application/pdf", size=4
            )
            staging.store(row, ContentFile(b"%PDF"))
        raise RuntimeError("the hand-in around it fails after its files were moved into place")
    moved = Path(default_storage.path(row.file.name))
    assert moved.exists() and not SubmissionFile.objects.filter(file=row.file.name).exists()
    age(moved)
    assert clean().startswith("Removed 1 orphan file(s)")
    assert not moved.exists()
    assert draft.files.count() == KEPT and all(default_storage.exists(item.file.name) for item in draft.files.all())
