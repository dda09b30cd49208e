"""The directory fed by real hand-ins: a filled template handed in through ``portfolio.services.draft_submit``
(which checks it, stores its valid rows and sends ``version_submitted``) reaches the department's directory."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from demo.portfolios import make_repository_xlsx
from directory.models import Entry, Listing
from directory.text import merge_key
from portfolio.models import RepositoryRow
from tests.portfolio.conftest import at, hand_in

pytestmark = pytest.mark.django_db

WHEN = at(dt.date(2025, 10, 1))  # before СӨЖ 1 is due


def repository_file(student, first=0, mistakes=(), name="репозиторий.xlsx"):
    content = make_repository_xlsx(student.display_name, first=first, checked_before=WHEN.date(), mistakes=mistakes)
    return SimpleUploadedFile(name, content)


def test_the_valid_rows_of_a_handed_in_repository_become_entries(cast):
    version = hand_in(cast.tasks["СӨЖ 1"], cast.student, repository_file(cast.student, mistakes=("phone",)), WHEN)
    rows = RepositoryRow.objects.filter(version=version)
    assert rows.exists()
    assert Listing.objects.filter(row__version=version).count() == rows.count()
    entries = Entry.objects.of_department(cast.department.pk)
    assert entries.exists() and all(entry.student_count == 1 for entry in entries)


def keys_of(version):
    return {merge_key(row.organisation, row.city) for row in RepositoryRow.objects.filter(version=version)}


def test_two_students_listing_the_same_services_share_entries_and_a_new_version_moves_its_rows(cast):
    task = cast.tasks["СӨЖ 1"]
    mine = hand_in(task, cast.student, repository_file(cast.student), WHEN)
    hand_in(task, cast.classmate, repository_file(cast.classmate), WHEN)
    assert set(Entry.objects.filter(student_count=2).values_list("key", flat=True)) == keys_of(mine)
    newer = hand_in(task, cast.classmate, repository_file(cast.classmate, first=4, name="v2.xlsx"), WHEN)
    assert keys_of(mine) & keys_of(newer) and keys_of(newer) - keys_of(mine)  # some shared, some new
    counts = dict(Entry.objects.of_department(cast.department.pk).values_list("key", "student_count"))
    assert set(counts) == keys_of(mine) | keys_of(newer)
    assert {key for key, count in counts.items() if count == 2} == keys_of(mine) & keys_of(newer)
    assert not Listing.objects.filter(row__version__is_latest=False).exists()
