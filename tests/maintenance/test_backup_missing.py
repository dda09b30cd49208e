"""A file deleted between the database dump and the copy of the files (a job's file expiring, a draft file removed)
leaves a row in the backup whose file is not there: the backup says so, by name, instead of passing in silence."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from maintenance import backups
from maintenance.backups import storage_files

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_file_named_by_a_row_but_gone_from_the_storage_is_listed_by_the_backup(world, tmp_path, monkeypatch):
    gone = world.files[1].file.name

    def listed_then_deleted(storage):
        """The files as listed, one of them deleted right after (the race with a concurrent deletion)."""
        names = storage_files(storage)
        storage.delete(gone)
        return names

    monkeypatch.setattr(backups, "storage_files", listed_then_deleted)
    errors = StringIO()
    call_command("backup_portal", str(tmp_path / "backup"), stderr=errors, stdout=StringIO())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["missing"] == [gone]
    assert len(manifest["files"]) == len(world.files) - 1
    assert f"1 file(s) named by rows in the dump were deleted before they could be copied: {gone}." in errors.getvalue()
