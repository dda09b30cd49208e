"""Keeping the directory in step with hand-ins (directory/services.py: directory_refresh, entry_hide, entry_show)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Entry, EntryCategory, Listing
from directory.services import directory_refresh, entry_hide, entry_show
from tests.directory.conftest import hand_in_rows, row, students

pytestmark = pytest.mark.django_db


def entries(cast):
    return list(Entry.objects.of_department(cast.department.pk).order_by("key"))


# Merging duplicates ---------------------------------------------------------------------------------------------


def test_kazakh_spellings_that_differ_only_in_case_or_quotes_become_one_entry(cast, repository):
    hand_in_rows(repository, cast.student, [row("«Ақ жүрек» қоры")])
    hand_in_rows(repository, cast.classmate, [row('"АҚ ЖҮРЕК" ҚОРЫ', city="г. Алматы")])
    [entry] = entries(cast)
    assert entry.student_count == 2
    assert entry.key == "ақ жүрек қоры | алматы"


def test_russian_spellings_that_differ_only_in_case_or_quotes_become_one_entry(cast, repository):
    hand_in_rows(repository, cast.student, [row("Кризисный центр «Родник»", city="Астана", region="astana")])
    hand_in_rows(repository, cast.classmate, [row("КРИЗИСНЫЙ ЦЕНТР “РОДНИК”", city="АСТАНА", region="astana")])
    [entry] = entries(cast)
    assert entry.student_count == 2


def test_the_same_organisation_in_another_city_is_another_entry(cast, repository):
    hand_in_rows(repository, cast.student, [row(city="Алматы"), row(city="Астана", region="astana")])
    assert [entry.city for entry in entries(cast)] == ["Алматы", "Астана"]


def test_an_entry_takes_the_most_common_spelling_and_gathers_what_the_rows_say(cast, repository):
    others = students(cast, 2)
    hand_in_rows(repository, cast.student, [row("«Ақ жүрек» қоры", phone="+7 727 111 11 11")])
    hand_in_rows(repository, others[0], [row('"Ақ жүрек" қоры', category="children", checked_on=dt.date(2025, 9, 18))])
    hand_in_rows(
        repository,
        others[1],
        [
            row('"Ақ жүрек" қоры', category="families", services="Заң кеңесі", checked_on=None),
            row('"Ақ жүрек" қоры', category="children", services="Заң кеңесі"),
        ],
    )
    [entry] = entries(cast)
    assert entry.name == '"Ақ жүрек" қоры'
    assert entry.student_count == 3
    assert entry.checked_on == dt.date(2025, 9, 18)
    assert [item.category for item in entry.categories.all()] == ["children", "domestic_violence", "families"]
    assert entry.service_list == ["Заң кеңесі", "Уақытша баспана, психологиялық көмек"]
    assert entry.phone_list == ["+7 727 300 00 00", "+7 727 111 11 11"]
    assert "асел" not in entry.search_text and "журек" in entry.search_text


def test_two_rows_of_one_student_count_the_student_once(cast, repository):
    hand_in_rows(repository, cast.student, [row(category="children"), row(category="elderly")])
    [entry] = entries(cast)
    assert entry.student_count == 1
    assert Listing.objects.filter(entry=entry).count() == 2


# A newer version replaces the rows of the one before ------------------------------------------------------------


def test_a_newer_version_replaces_the_rows_of_the_one_before(cast, repository):
    hand_in_rows(
        repository, cast.student, [row("Үміт орталығы", category="elderly"), row("Сенім", category="children")]
    )
    hand_in_rows(repository, cast.student, [row("Үміт орталығы", category="disability")])
    [entry] = entries(cast)
    assert entry.name == "Үміт орталығы"
    assert [item.category for item in entry.categories.all()] == ["disability"]
    assert entry.student_count == 1
    assert Listing.objects.count() == 1


def test_an_entry_with_no_rows_left_disappears_with_its_categories(cast, repository):
    hand_in_rows(repository, cast.student, [row("Сенім")])
    hand_in_rows(repository, cast.classmate, [row("Үміт")])
    hand_in_rows(repository, cast.student, [row("Үміт")])
    [entry] = entries(cast)
    assert entry.name == "Үміт"
    assert entry.student_count == 2
    assert EntryCategory.objects.filter(entry__department=cast.department).count() == 1


def test_a_newer_version_without_valid_rows_empties_the_students_entries(cast, repository):
    hand_in_rows(repository, cast.student, [row("Сенім")])
    hand_in_rows(repository, cast.student, [])
    assert entries(cast) == []


def test_only_the_latest_version_counts_when_an_older_one_is_refreshed_again(cast, repository):
    first = hand_in_rows(repository, cast.student, [row("Сенім")])
    hand_in_rows(repository, cast.student, [row("Үміт")])
    first.refresh_from_db()
    directory_refresh(version=first, replaced=None)  # a stray signal for a version no longer the latest
    assert [entry.name for entry in entries(cast)] == ["Үміт"]


# Departments, hiding ---------------------------------------------------------------------------------------------


def test_each_department_has_its_own_directory(cast, repository):
    hand_in_rows(repository, cast.student, [row()])
    hand_in_rows(cast.other_task, cast.other_student, [row()])
    assert Entry.objects.of_department(cast.department.pk).get().student_count == 1
    assert Entry.objects.of_department(cast.other_department.pk).get().student_count == 1


def test_a_hidden_entry_stays_hidden_when_it_is_refreshed(cast, repository):
    hand_in_rows(repository, cast.student, [row()])
    entry_hide(entry=entries(cast)[0], hidden_by=cast.instructor)
    hand_in_rows(repository, cast.classmate, [row('"АҚ ЖҮРЕК" ҚОРЫ', category="children")])
    hand_in_rows(repository, cast.student, [row(category="elderly")])
    [entry] = entries(cast)
    assert entry.is_hidden and entry.hidden_by == cast.instructor and entry.hidden_at is not None
    assert entry.student_count == 2
    assert {item.category for item in entry.categories.all()} == {"elderly", "children"}


def test_showing_an_entry_again_clears_who_hid_it(cast, repository):
    hand_in_rows(repository, cast.student, [row()])
    entry = entry_hide(entry=entries(cast)[0], hidden_by=cast.instructor)
    entry_show(entry=entry)
    entry.refresh_from_db()
    assert (entry.is_hidden, entry.hidden_by, entry.hidden_at) == (False, None, None)


# The work does not grow with the directory -----------------------------------------------------------------------


def _fill(cast, repository, size, prefix):
    """``size`` students, each with five organisations of their own and one shared by all."""
    for number, student in enumerate(students(cast, size, prefix=prefix)):
        rows = [row(f"Ұйым {prefix}{number}-{index}") for index in range(5)]
        hand_in_rows(repository, student, [*rows, row("Ортақ орталық")])


def _hand_in_queries(cast, repository, names):
    with CaptureQueriesContext(connection) as queries:
        hand_in_rows(repository, cast.student, [row(name, category="elderly") for name in names])
    return len(queries.captured_queries)


def test_a_hand_in_takes_the_same_number_of_queries_however_big_the_directory(cast, repository):
    _fill(cast, repository, 2, prefix="a")
    hand_in_rows(repository, cast.student, [row("Ортақ орталық"), row("Сенім")])
    small = _hand_in_queries(cast, repository, ["Ортақ орталық", "Жаңа орталық"])
    _fill(cast, repository, 30, prefix="b")
    large = _hand_in_queries(cast, repository, ["Ортақ орталық", "Тағы бір орталық"])
    many = _hand_in_queries(cast, repository, [f"Орталық {number}" for number in range(40)])
    assert small == large == many
    shared = Entry.objects.get(department=cast.department, key="ортақ орталық | алматы")
    names = {entry.name for entry in entries(cast)}
    assert {"Орталық 39", "Ортақ орталық"} <= names
    assert not names & {"Сенім", "Жаңа орталық", "Тағы бір орталық"}
    assert shared.student_count == 32  # the student's newest version no longer lists it
