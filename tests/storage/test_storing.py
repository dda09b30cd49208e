"""Storing a workflow's files (portfolio/storing.py) on a disk and in a bucket: on a disk a file waits under a
temporary name and is moved into place just before the commit; in a bucket it is written at its final name at once
(an object is whole or absent). Either way, once the rows commit the file is whole at the name its row holds, and a
workflow that fails leaves no file behind."""

import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from portfolio import services
from portfolio.models import SubmissionFile
from portfolio.storing import storing
from tests.portfolio.conftest import BEFORE, docx

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 " + os.urandom(64 * 1024)


class Disk:
    def __init__(self, settings):
        self.root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])

    def keys(self):
        return sorted(path.relative_to(self.root).as_posix() for path in self.root.rglob("*") if path.is_file())

    def read(self, name):
        return (self.root / name).read_bytes()


@pytest.fixture(params=["disk", "bucket"])
def where(request, settings):
    """Where the default storage keeps files for this test: the throwaway folder, or a fresh bucket."""
    if request.param == "bucket":
        return request.getfixturevalue("s3_bucket")
    return Disk(settings)


def a_row(draft):
    return SubmissionFile(
        version=draft, original_name="а.pdf", extension="pdf", content_type="application/pdf", size=len(CONTENT)
    )


def test_a_file_is_whole_at_its_rows_name_once_the_rows_commit(cast, where):
    draft = services.draft_add_files(task=cast.tasks["СОӨЖ 1"], student=cast.student, uploads=[docx()], now=BEFORE)
    before = where.keys()
    with storing() as staging:
        row = a_row(draft)
        staging.store(row, ContentFile(CONTENT))
        waiting = set(where.keys()) - set(before)
        with staging.open(row.file) as stream:
            assert stream.read() == CONTENT
    if isinstance(where, Disk):
        assert [name.split("/")[0] for name in waiting] == ["tmp"]  # not yet at its final name
    else:
        assert waiting == {row.file.name}  # an object is whole or absent: written at its final name
    assert set(where.keys()) - set(before) == {row.file.name}
    assert where.read(row.file.name) == CONTENT
    assert SubmissionFile.objects.get(pk=row.pk).file.name == row.file.name


def test_a_workflow_that_fails_after_storing_leaves_no_file(cast, where):
    draft = services.draft_add_files(task=cast.tasks["СОӨЖ 1"], student=cast.student, uploads=[docx()], now=BEFORE)
    before = where.keys()
    with pytest.raises(RuntimeError), storing() as staging:
        staging.store(a_row(draft), ContentFile(CONTENT))
        staging.store(a_row(draft), ContentFile(CONTENT))
        raise RuntimeError("the workflow fails after storing")
    assert where.keys() == before
    assert not SubmissionFile.objects.filter(original_name="а.pdf").exists()


def test_a_new_draft_copies_the_versions_files_within_the_same_storage(cast, where):
    essay = cast.tasks["СОӨЖ 1"]
    services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    first = services.draft_submit(task=essay, student=cast.student, statement_accepted=True, now=BEFORE)
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx("екінші.docx")], now=BEFORE)
    original, copy = first.files.get(), draft.files.get(carried_over=True)
    assert copy.file.name != original.file.name
    assert where.read(copy.file.name) == where.read(original.file.name)
    assert sorted(SubmissionFile.objects.values_list("file", flat=True)) == where.keys()
    assert default_storage.exists(copy.file.name)
