"""`manage.py clean_uploads` on a bucket: an orphan object, one left in the temporary area and a multipart upload a
killed request never finished go once they are old enough; the objects rows name, younger ones and whatever lies
outside the portal's prefix stay. Run against a database that names no file, it removes no stored object.

An object's age is the server's LastModified, which cannot be set back: "old enough" is ``--older-than 0`` here.
moto says every multipart upload was initiated in 2010, so here an unfinished upload is always old enough (on S3 it
has its real date and is kept for the hour like any young file)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portfolio import services
from tests.portfolio.conftest import BEFORE, docx

pytestmark = pytest.mark.django_db


def clean(*options):
    out = StringIO()
    call_command("clean_uploads", *options, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def incoming(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "incoming")


def put(bucket, key, size=1024):
    bucket.client.put_object(Bucket=bucket.name, Key=key, Body=b"x" * size)
    return key


def unfinished_upload(bucket, key):
    """A multipart upload with one part sent and never completed: no object, but its part is kept."""
    started = bucket.client.create_multipart_upload(Bucket=bucket.name, Key=key)
    bucket.client.upload_part(
        Bucket=bucket.name, Key=key, UploadId=started["UploadId"], PartNumber=1, Body=b"y" * (1024 * 1024)
    )


def unfinished(bucket):
    return [upload["Key"] for upload in bucket.client.list_multipart_uploads(Bucket=bucket.name).get("Uploads", [])]


@pytest.fixture
def leftovers(cast, s3_bucket, incoming):
    essay = cast.tasks["СОӨЖ 1"]
    draft = services.draft_add_files(
        task=essay, student=cast.student, uploads=[docx(f"{n}.docx") for n in range(5)], now=BEFORE
    )
    folder = f"portfolio/{essay.course_id}/{essay.pk}"
    unfinished_upload(s3_bucket, f"{folder}/89ab.pdf")
    return {
        "kept": sorted(draft.files.values_list("file", flat=True)),
        "orphan": put(s3_bucket, f"{folder}/0123.pdf"),
        "temporary": put(s3_bucket, "tmp/4567.part", size=2048),
    }


def test_young_objects_are_kept_whatever_names_them(s3_bucket, leftovers):
    summary = clean()
    assert s3_bucket.keys() == sorted([*leftovers["kept"], leftovers["orphan"], leftovers["temporary"]])
    assert summary == (
        "Removed 0 orphan file(s) (0.0 MB) and 1 temporary leftover(s) (1.0 MB) older than 60 min; "
        "kept 5 file(s) that rows name."
    )


def test_old_enough_orphans_temporary_objects_and_unfinished_uploads_go_and_named_objects_stay(s3_bucket, leftovers):
    summary = clean("--older-than", "0")
    assert s3_bucket.keys() == leftovers["kept"]
    assert unfinished(s3_bucket) == []
    assert summary == (
        "Removed 1 orphan file(s) (0.0 MB) and 2 temporary leftover(s) (1.0 MB) older than 0 min; "
        "kept 5 file(s) that rows name."
    )


def test_a_dry_run_removes_nothing_from_the_bucket(s3_bucket, leftovers):
    before = s3_bucket.keys()
    assert clean("--older-than", "0", "--dry-run").startswith("Would remove 1 orphan file(s)")
    assert s3_bucket.keys() == before
    assert len(unfinished(s3_bucket)) == 1


def test_only_objects_under_the_portals_prefix_are_looked_at(cast, s3_bucket, settings, incoming):
    """A bucket shared with something else (STORAGE_PREFIX): keys outside the prefix are not the portal's."""
    storage = s3_bucket.storage
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**storage, "OPTIONS": {**storage["OPTIONS"], "location": "portal"}},
    }
    essay = cast.tasks["СОӨЖ 1"]
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    named = f"portal/{draft.files.get().file.name}"
    outside = put(s3_bucket, f"other-app/portfolio/{essay.course_id}/{essay.pk}/0123.pdf")
    put(s3_bucket, f"portal/portfolio/{essay.course_id}/{essay.pk}/0123.pdf")  # an orphan
    assert clean("--older-than", "0").startswith("Removed 1 orphan file(s)")
    assert s3_bucket.keys() == sorted([outside, named])


def test_a_database_naming_no_file_removes_no_object_of_the_bucket(s3_bucket, incoming):
    stored = [put(s3_bucket, f"portfolio/1/1/{number:04x}.pdf") for number in range(3)]
    put(s3_bucket, "tmp/4567.part")
    with pytest.raises(CommandError, match="names no stored file at all, yet the storage holds 3"):
        clean("--older-than", "0")
    assert s3_bucket.keys() == stored  # the temporary leftover went: it is never anyone's work
