"""What one upload request may make the portal parse: no more files than a version holds, none past its size cap, and
no more bytes together than a version holds. Each limit is refused before any file is parsed (the count of its pages
and the preview kept with it cost seconds each), so nothing of the request is kept, not even a preview."""

import secrets
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from demo.portfolios import make_docx
from portfolio import services
from portfolio.models import FilePreview, SubmissionFile
from tests.portfolio.conftest import BEFORE, docx

pytestmark = pytest.mark.django_db


def essays(count):
    """``count`` documents of different content, each of which would get a preview of its own."""
    return [docx(f"{number}.docx", text=f"Эссе нөмірі {number}") for number in range(count)]


def nothing_kept():
    root = Path(default_storage.location)
    stored = [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
    return not FilePreview.objects.exists() and not SubmissionFile.objects.exists() and stored == []


@pytest.mark.parametrize("service", ["draft_add_files", "draft_submit"])
def test_more_files_than_a_version_holds_are_refused_before_any_is_parsed(cast, essay, settings, service):
    extra = {"statement_accepted": True} if service == "draft_submit" else {}
    with pytest.raises(ValidationError) as error:
        getattr(services, service)(
            task=essay, student=cast.student, uploads=essays(settings.PORTFOLIO_MAX_FILES + 1), now=BEFORE, **extra
        )
    assert error.value.code == "too_many_files"
    limit = gettext("A version can hold at most %(count)d files.") % {"count": settings.PORTFOLIO_MAX_FILES}
    assert error.value.messages == [limit]  # as when files already in the draft and new ones come to too many
    assert nothing_kept()


def test_as_many_files_as_a_version_holds_are_taken(cast, essay, settings):
    draft = services.draft_add_files(
        task=essay, student=cast.student, uploads=essays(settings.PORTFOLIO_MAX_FILES), now=BEFORE
    )
    assert draft.files.count() == settings.PORTFOLIO_MAX_FILES
    assert FilePreview.objects.count() == settings.PORTFOLIO_MAX_FILES


def test_files_together_past_the_cap_are_refused_before_any_is_parsed(cast, essay, settings):
    uploads = essays(3)
    settings.PORTFOLIO_MAX_SUBMISSION_SIZE = sum(upload.size for upload in uploads) - 1
    with pytest.raises(ValidationError) as error:
        services.draft_add_files(task=essay, student=cast.student, uploads=uploads, now=BEFORE)
    assert error.value.code == "submission_too_large"
    assert nothing_kept()


def test_one_file_past_its_cap_is_refused_before_the_others_are_parsed(cast, essay, settings):
    small = essays(2)
    settings.PORTFOLIO_MAX_FILE_SIZE = max(upload.size for upload in small)
    large = SimpleUploadedFile("үлкен.docx", make_docx([secrets.token_hex(20_000)]))  # random: it does not shrink
    assert large.size > settings.PORTFOLIO_MAX_FILE_SIZE
    with pytest.raises(ValidationError) as error:
        services.draft_add_files(task=essay, student=cast.student, uploads=[*small, large], now=BEFORE)
    assert error.value.code == "too_large"
    assert nothing_kept()


def test_a_form_sending_more_files_than_a_version_holds_gets_a_page_saying_so(login, cast, essay, settings):
    client = login(cast.student)
    response = client.post(
        reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk]),
        {"files": essays(settings.PORTFOLIO_MAX_FILES + 1)},
    )
    assert response.status_code == 400
    problem = gettext("The form sent more than %(count)s files at once; nothing was saved.") % {
        "count": settings.PORTFOLIO_MAX_FILES
    }
    assert problem in response.content.decode()
    assert nothing_kept()
