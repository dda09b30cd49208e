"""A draft's file taken out while the storage refuses to delete it: the removal is committed and the student told so;
the stored file stays for ``clean_uploads``, as an orphan. The deletion runs after the commit, so this needs a
transaction that really commits."""

import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from portfolio import services
from portfolio.models import SubmissionFile
from tests.portfolio.conftest import BEFORE, pdf

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_storage_refusing_to_delete_a_removed_draft_file_does_not_undo_the_removal(login, cast, settings):
    essay = cast.tasks["СОӨЖ 1"]
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[pdf()], now=BEFORE)
    item = draft.files.get()
    stored = Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / item.file.name
    stored.unlink()
    (stored / "inside").mkdir(parents=True)  # a folder where the file was: the disk refuses to delete it as a file
    client = login(cast.student)
    client.cookies["portal_language"] = "en"
    url = reverse("portfolio:draft_file_remove", args=[essay.course_id, essay.pk, item.pk])
    response = client.post(url, follow=True)
    assert [str(message) for message in response.context["messages"]] == ["The file was removed from your draft."]
    assert not SubmissionFile.objects.exists()
    assert stored.is_dir()
    shutil.rmtree(stored)
