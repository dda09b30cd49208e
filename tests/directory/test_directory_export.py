"""The directory's Excel export (directory/views.py: export; directory/documents.py)."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from directory.documents import XLSX_CONTENT_TYPE
from directory.models import Entry
from directory.services import entry_hide
from portfolio.models import ClientCategory
from tests.directory.conftest import hand_in_rows, row, students

pytestmark = pytest.mark.django_db

EXPORT = reverse("directory:export")


@pytest.fixture
def directory(cast, repository):
    hand_in_rows(
        repository,
        cast.student,
        [
            row("«Ақ жүрек» қоры", category="domestic_violence"),
            row('=HYPERLINK("http://evil.example")', category="children", phone="+7 700 000 00 01"),
            row("Центр «Мансап»", category="unemployed", region="shymkent", city="Шымкент", cost="partly"),
        ],
    )
    return {entry.name: entry for entry in Entry.objects.all()}


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def rows_of(sheet):
    return [list(values) for values in sheet.iter_rows(values_only=True)]


def test_the_export_lists_every_entry_found_with_its_contacts(login, cast, directory):
    sheet = sheet_of(login(cast.student).get(EXPORT))
    table = rows_of(sheet)
    assert len(table) == 4
    by_name = {line[0]: line for line in table[1:]}
    ak_zhurek = by_name["«Ақ жүрек» қоры"]
    assert ak_zhurek[5:10] == ["Алматы", "Абай даңғылы, 10", "+7 727 300 00 00", "info@akzhurek.kz", "akzhurek.kz"]
    assert ak_zhurek[13] == 1  # students who listed it, a number
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:O4"


def test_the_export_follows_the_search_and_filters(login, cast, directory):
    client = login(cast.student)
    assert [line[0] for line in rows_of(sheet_of(client.get(EXPORT, {"region": "shymkent"})))[1:]] == ["Центр «Мансап»"]
    assert [line[0] for line in rows_of(sheet_of(client.get(EXPORT, {"q": "ЖҮРЕК"})))[1:]] == ["«Ақ жүрек» қоры"]


def test_text_a_student_typed_never_becomes_a_formula(login, cast, directory):
    sheet = sheet_of(login(cast.student).get(EXPORT, {"category": "children"}))
    name, phone = sheet["A2"], sheet["H2"]
    assert name.value == '=HYPERLINK("http://evil.example")' and name.data_type == "s" and name.quotePrefix
    assert phone.value == "+7 700 000 00 01" and phone.data_type == "s" and phone.quotePrefix


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_headings_are_in_the_readers_language(login, cast, directory, language):
    client = login(cast.student)
    client.cookies["portal_language"] = language
    sheet = sheet_of(client.get(EXPORT))
    with translation.override(language):
        expected = [gettext("Organisation"), gettext("Organisation type"), gettext("Client categories")]
        category = str(ClientCategory.DOMESTIC_VIOLENCE.label)
    assert [cell.value for cell in sheet[1][:3]] == expected
    assert category in [line[2] for line in rows_of(sheet)]


def test_students_get_no_hidden_entry_and_staff_get_it_marked(login, cast, directory):
    entry_hide(entry=directory["«Ақ жүрек» қоры"], hidden_by=cast.instructor)
    student_table = rows_of(sheet_of(login(cast.student).get(EXPORT)))
    assert "«Ақ жүрек» қоры" not in [line[0] for line in student_table]
    assert len(student_table[0]) == 15
    staff_table = rows_of(sheet_of(login(cast.instructor).get(EXPORT)))
    assert len(staff_table[0]) == 16
    hidden = {line[0]: line[15] for line in staff_table[1:]}
    assert hidden["«Ақ жүрек» қоры"] and hidden["Центр «Мансап»"] is None


@pytest.mark.parametrize("size", [3, 30])
def test_the_export_takes_a_fixed_number_of_queries(login, cast, repository, django_assert_max_num_queries, size):
    for number, student in enumerate(students(cast, size)):
        hand_in_rows(repository, student, [row(f"Ұйым {number}", category="children"), row(category="elderly")])
    client = login(cast.student)
    client.get(reverse("directory:index"))
    with django_assert_max_num_queries(4):
        sheet = sheet_of(client.get(EXPORT))
    assert sheet.max_row == size + 2
