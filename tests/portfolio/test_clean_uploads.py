"""`manage.py clean_uploads`: what killed or failed uploads left in private storage goes once it is old enough; what
rows name, and whatever is younger (a request may still be writing it), stays."""

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from portfolio import services
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


@pytest.fixture
def leftovers(cast, essay, incoming):
    """A handed-in file (aged), and beside it an old and a young file of each kind a killed upload leaves."""
    root = Path(default_storage.location)
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    kept = Path(default_storage.path(draft.files.get().file.name))
    os.utime(kept, (TWO_HOURS_AGO, TWO_HOURS_AGO))
    return {
        "kept": kept,
        "old": [
            put(root / f"portfolio/{essay.course_id}/{essay.pk}/0123.pdf", mtime=TWO_HOURS_AGO),  # an orphan
            put(root / "tmp/4567.part", mtime=TWO_HOURS_AGO),
            put(incoming / "tmpab12.upload.pdf", b"y" * (1024 * 1024), mtime=TWO_HOURS_AGO),
        ],
        "young": [
            put(root / f"portfolio/{essay.course_id}/{essay.pk}/89ab.pdf"),
            put(root / "tmp/cdef.part"),
            put(incoming / "tmpcd34.upload.pdf"),
        ],
    }


def test_it_removes_orphans_and_old_leftovers_and_keeps_what_rows_name_and_young_files(leftovers):
    summary = clean()
    assert not any(path.exists() for path in leftovers["old"])
    assert leftovers["kept"].exists()
    assert all(path.exists() for path in leftovers["young"])
    assert summary == (
        "Removed 1 orphan file(s) (0.0 MB) and 2 temporary leftover(s) (1.0 MB) older than 60 min; "
        "kept 1 file(s) that rows name."
    )


def test_a_dry_run_removes_nothing_and_says_what_it_would_remove(leftovers):
    summary = clean("--dry-run")
    assert all(path.exists() for path in [*leftovers["old"], *leftovers["young"], leftovers["kept"]])
    assert summary.startswith("Would remove 1 orphan file(s) (0.0 MB) and 2 temporary leftover(s) (1.0 MB)")


def test_the_age_is_a_choice_and_a_file_a_row_names_is_never_removed_however_old(leftovers):
    summary = clean("--older-than", "0")
    assert not any(path.exists() for path in [*leftovers["old"], *leftovers["young"]])
    assert leftovers["kept"].exists()
    assert summary.startswith("Removed 2 orphan file(s)") and "4 temporary leftover(s)" in summary


def test_it_says_so_when_there_is_nothing_to_remove(db, incoming):
    assert clean() == (
        "Removed 0 orphan file(s) (0.0 MB) and 0 temporary leftover(s) (0.0 MB) older than 60 min; "
        "kept 0 file(s) that rows name."
    )
