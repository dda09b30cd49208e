"""The row-by-row check of a service repository file (portfolio/repository/check.py and reading.py): valid rows, each
kind of wrong cell, a file that is not the template, and files that are empty, broken or hostile. Pure: no
database."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from demo.portfolios import (
    REPOSITORY_COLUMNS,
    REPOSITORY_SERVICES,
    fill_repository_template,
    make_docx,
    repository_rows,
)
from portfolio.repository import check as check_module
from portfolio.repository.check import MAX_PROBLEMS, check_repository
from portfolio.repository.columns import COLUMNS
from portfolio.repository.report import FATAL, NOTES, PROBLEMS, report_view

TODAY = dt.date(2025, 10, 1)
ENGLISH = [column.en for column in COLUMNS]


def run(content, extension="xlsx", name="репозиторий.xlsx"):
    return check_repository(io.BytesIO(content), name=name, extension=extension, today=TODAY)


def service(**changes):
    """The first demo service, checked the day before TODAY, with ``changes``."""
    row = dict(zip(REPOSITORY_COLUMNS, REPOSITORY_SERVICES[0], strict=True))
    row["checked_on"] = TODAY - dt.timedelta(days=1)
    return {**row, **changes}


def filled(*rows):
    return fill_repository_template(list(rows))


def workbook(rows, title="Репозиторий"):
    """An .xlsx of ``rows`` (lists of cell values) on one sheet, made without the template."""
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def codes(result):
    return [(problem["row"], problem["column"], problem["code"]) for problem in result.report["problems"]]


# Valid rows ------------------------------------------------------------------------------------------------


def test_valid_rows_of_the_template_become_rows_with_codes_and_normalised_values():
    result = run(fill_repository_template(repository_rows(count=8, checked_before=TODAY)))
    report = result.report
    assert report["fatal"] is None
    assert (report["rows_read"], report["valid"], report["with_problems"]) == (8, 8, 0)
    assert report["sheet"] == "Репозиторий" and report["header_row"] == 1
    first = result.rows[0]
    assert first["line"] == 3  # row 2 is the template's example
    assert (first["organisation_type"], first["client_category"], first["region"], first["cost"]) == (
        "ngo",
        "domestic_violence",
        "almaty_city",
        "free",
    )
    assert first["phone"] == "+7 727 000 00 11"
    assert first["website"] == "https://example.kz/zhan"
    assert first["checked_on"] == TODAY - dt.timedelta(days=1)
    assert {"code": "example_skipped", "params": {"row": 2}} in report["notes"]
    assert sum(report["by_category"].values()) == 8 and report["by_category"]["domestic_violence"] == 1
    json.dumps(report)  # kept as JSON on the version


@pytest.mark.parametrize(
    ("field", "typed", "code"),
    [
        ("organisation_type", "Государственный орган", "state"),
        ("organisation_type", "мемлекеттік  ОРГАН", "state"),
        ("organisation_type", "Мемлекеттік орган / Государственный орган", "state"),
        ("organisation_type", "State body", "state"),
        ("organisation_type", "ҮЕҰ", "ngo"),
        ("client_category", "Пожилые люди", "elderly"),
        ("client_category", "дети и молодежь", "children"),
        ("region", "Алматинская область", "almaty"),
        ("region", "Абай обл.", "abai"),
        ("region", "ВКО", "east"),
        ("cost", "бесплатно", "free"),
        ("cost", "Ішінара ақылы / Частично платно", "partly"),
    ],
)
def test_the_fixed_columns_accept_each_languages_words_whatever_the_case_and_spacing(field, typed, code):
    city = {"region": {"almaty": "Қонаев", "abai": "Семей", "east": "Өскемен"}}.get(field, {}).get(code, "Алматы")
    result = run(filled(service(**{field: typed, "city": city})))
    assert result.report["problems"] == []
    assert result.rows[0][field] == code


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("8 (727) 000-00-11", "+7 727 000 00 11"),
        ("+7 (727) 000 00 11", "+7 727 000 00 11"),
        ("87270000011", "+7 727 000 00 11"),
        (87010000011, "+7 701 000 00 11"),
        ("7010000011", "+7 701 000 00 11"),
        ("8 800 080 00 00", "+7 800 080 00 00"),
        ("+7 727 000 00 11; 8 701 000 00 12", "+7 727 000 00 11; +7 701 000 00 12"),
        ("1414, 150", "1414; 150"),
    ],
)
def test_kazakhstan_phone_numbers_are_kept_as_plus_seven_and_groups(typed, kept):
    result = run(filled(service(phone=typed)))
    assert result.rows[0]["phone"] == kept
    if str(typed) != kept:
        assert result.report["reformatted"][0] == {
            "row": 3,
            "column": "H",
            "field": "phone",
            "before": str(typed),
            "after": kept,
        }


def test_a_city_the_check_does_not_know_is_accepted_with_the_region_given():
    result = run(filled(service(region="Ақмола облысы", city="Бурабай ауылы")))
    assert result.report["problems"] == [] and result.rows[0]["region"] == "akmola"


# Each kind of wrong cell --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"organisation": ""}, [("A", "required", {})]),
        ({"services": "  "}, [("D", "required", {})]),
        ({"client_category": "Студенттер"}, [("C", "not_in_list", {"value": "Студенттер"})]),
        ({"organisation_type": "Мектеп"}, [("B", "not_in_list", {"value": "Мектеп"})]),
        ({"cost": "ақша"}, [("L", "not_in_list", {"value": "ақша"})]),
        ({"phone": "27-00-01"}, [("H", "phone_invalid", {"value": "27-00-01"})]),
        ({"phone": "+7 916 000 00 01"}, [("H", "phone_not_kazakh", {"value": "+7 916 000 00 01"})]),
        ({"phone": "+44 20 0000 0000"}, [("H", "phone_not_kazakh", {"value": "+44 20 0000 0000"})]),
        ({"phone": "1414; 150; 111; 112"}, [("H", "phone_too_many", {"count": 4, "limit": 3})]),
        ({"email": "info@gov"}, [("I", "email_invalid", {"value": "info@gov"})]),
        ({"website": "@zhan_center"}, [("J", "website_invalid", {"value": "@zhan_center"})]),
        ({"website": "ftp://example.kz"}, [("J", "website_invalid", {"value": "ftp://example.kz"})]),
        ({"website": "zhan@example.kz"}, [("J", "website_is_email", {"value": "zhan@example.kz"})]),
        ({"checked_on": "31.02.2025"}, [("O", "date_invalid", {"value": "31.02.2025"})]),
        ({"checked_on": dt.date(2025, 12, 1)}, [("O", "date_future", {"value": "01.12.2025"})]),
        ({"organisation": "А" * 301}, [("A", "too_long", {"length": 301, "limit": 300})]),
        (
            {"region": "Алматы облысы"},
            [("E", "city_own_region", {"city": "Алматы", "region": "almaty", "expected": "almaty_city"})],
        ),
        (
            {"city": "Қонаев"},
            [("E", "city_region", {"city": "Қонаев", "region": "almaty_city", "expected": "almaty"})],
        ),
        ({"phone": "", "email": "", "website": ""}, [("H", "no_contact", {})]),
    ],
)
def test_each_kind_of_wrong_cell_is_reported_by_row_and_column_and_the_row_is_left_out(changes, expected):
    result = run(filled(service(), service(**changes)))
    assert result.report["problems"] == [
        {"row": 4, "column": column, "field": _field(column), "code": code, "params": params}
        for column, code, params in expected
    ]
    assert [row["line"] for row in result.rows] == [3]
    assert (result.report["valid"], result.report["with_problems"]) == (1, 1)


def _field(letter):
    return COLUMNS[ord(letter) - ord("A")].key


def test_several_problems_of_one_row_come_in_column_order():
    result = run(filled(service(client_category="?", phone="12", checked_on="ертең")))
    assert [(problem["column"], problem["code"]) for problem in result.report["problems"]] == [
        ("C", "not_in_list"),
        ("H", "phone_invalid"),
        ("O", "date_invalid"),
    ]


def test_dates_are_read_from_date_cells_and_text():
    result = run(filled(service(checked_on="15.09.2025"), service(checked_on="2025-09-16")))
    assert [row["checked_on"] for row in result.rows] == [dt.date(2025, 9, 15), dt.date(2025, 9, 16)]


def test_a_date_typed_into_a_cell_without_a_date_format_is_read_from_excels_day_number():
    result = run(workbook([ENGLISH, [*REPOSITORY_SERVICES[0], 45917]]))
    assert result.rows[0]["checked_on"] == dt.date(2025, 9, 17)


def test_only_so_many_problems_are_kept_and_all_are_counted():
    rows = [service(phone="12", email="x", website="y") for _ in range(MAX_PROBLEMS)]
    report = run(filled(*rows)).report
    assert len(report["problems"]) == MAX_PROBLEMS
    assert report["problems_total"] == 3 * MAX_PROBLEMS and report["with_problems"] == MAX_PROBLEMS


# Blank rows and where the list ends ----------------------------------------------------------------------


def test_blank_rows_are_skipped_and_rows_after_a_long_run_of_blanks_are_ignored(monkeypatch):
    monkeypatch.setattr(check_module, "BLANK_RUN", 5)
    rows = [ENGLISH, list(REPOSITORY_SERVICES[0]), [], [None, "  "], list(REPOSITORY_SERVICES[1])]
    rows += [[]] * 5 + [list(REPOSITORY_SERVICES[2])]
    result = run(workbook(rows))
    assert [row["line"] for row in result.rows] == [2, 5]


def test_a_file_of_more_rows_than_allowed_is_refused_whole(monkeypatch):
    monkeypatch.setattr(check_module, "MAX_ROWS", 3)
    result = run(filled(*[service() for _ in range(4)]))
    assert result.report["fatal"] == {"code": "too_many_rows", "params": {"limit": 3}}
    assert result.rows == []


# Headings: the template's, or typed in one language, in any order ---------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_headings_in_one_language_and_in_another_order_are_read(language):
    order = list(reversed(range(len(COLUMNS))))
    headings = [COLUMNS[index].words(language) for index in order]
    values = [*REPOSITORY_SERVICES[0], "15.09.2025"]
    result = run(workbook([headings, [values[index] for index in order]]))
    assert result.report["fatal"] is None and result.report["problems"] == []
    assert result.rows[0]["organisation"] == "«Жан» дағдарыс орталығы" and result.rows[0]["phone"] == "+7 727 000 00 11"


def test_a_title_above_the_headings_and_russian_headings_under_kazakh_ones_are_tolerated():
    rows = [
        ["Әлеуметтік қызметтер репозиторийі"],
        ["Орындаған: Әбілқасымова Әсел"],
        [column.kk for column in COLUMNS],
        [column.ru for column in COLUMNS],
        [*REPOSITORY_SERVICES[0], "15.09.2025"],
    ]
    result = run(workbook(rows))
    assert result.report["header_row"] == 3
    assert [row["line"] for row in result.rows] == [5]


def test_a_renamed_sheet_is_read_and_the_report_names_it():
    result = run(workbook([ENGLISH, [*REPOSITORY_SERVICES[0], "15.09.2025"]], title="Менің жұмысым"))
    assert result.report["sheet"] == "Менің жұмысым" and len(result.rows) == 1


def test_a_missing_optional_column_is_noted_and_the_rows_are_still_checked():
    rows = [ENGLISH[:12], list(REPOSITORY_SERVICES[0][:12])]
    result = run(workbook(rows))
    assert len(result.rows) == 1 and result.rows[0]["hours"] == ""
    assert {"code": "columns_missing", "params": {"fields": ["hours", "source", "checked_on"]}} in result.report[
        "notes"
    ]


# Not the template, empty, broken, hostile -------------------------------------------------------------------


def test_a_file_that_is_not_the_template_is_explained_with_the_missing_columns():
    rows = [["Ұйым", "Түрі", "Қала", "Сипаттама"], ["«Жан»", "ҮЕҰ", "Алматы", "…"]]
    report = run(workbook(rows, title="Парақ1")).report
    assert report["fatal"] == {
        "code": "not_template",
        "params": {
            "missing": ["client_category", "services", "region", "contact"],
            "sheets": ["Парақ1"],
            "found": 3,
        },
    }
    assert report["sheet"] == "Парақ1"


def test_headings_below_the_first_ten_rows_are_not_looked_for():
    rows = [[f"Кіріспе {number}"] for number in range(10)] + [ENGLISH, list(REPOSITORY_SERVICES[0])]
    assert run(workbook(rows)).report["fatal"]["code"] == "not_template"


def test_an_empty_workbook_is_empty():
    assert run(workbook([])).report["fatal"] == {"code": "empty", "params": {}}


def test_the_blank_template_has_headings_but_no_rows():
    report = run(filled()).report
    assert report["fatal"] == {"code": "no_rows", "params": {}}
    assert report["rows_read"] == 0 and {"code": "example_skipped", "params": {"row": 2}} in report["notes"]


def replaced_part(content, name, data):
    """``content`` (an .xlsx) with its part ``name`` replaced by ``data``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, data if item.filename == name else source.read(item.filename))
        if name not in source.namelist():
            target.writestr(name, data)
    return output.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    b"<si><t>&lol4;</t></si></sst>"
)


SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def test_an_xml_bomb_in_the_shared_strings_is_refused_by_defusedxml():
    content = workbook([ENGLISH, list(REPOSITORY_SERVICES[0])])
    types = zipfile.ZipFile(io.BytesIO(content)).read("[Content_Types].xml").replace(b"</Types>", SHARED_STRINGS_TYPE)
    bomb = replaced_part(replaced_part(content, "[Content_Types].xml", types), "xl/sharedStrings.xml", BILLION_LAUGHS)
    result = run(bomb)
    assert result.report["fatal"] == {"code": "xml_bomb", "params": {}} and result.rows == []


def test_an_xml_bomb_in_the_sheet_is_refused_while_the_rows_are_read():
    sheet = BILLION_LAUGHS.replace(b"<sst", b"<worksheet").replace(b"</sst>", b"</worksheet>")
    bomb = replaced_part(filled(service()), "xl/worksheets/sheet1.xml", sheet)
    assert run(bomb).report["fatal"]["code"] == "xml_bomb"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = replaced_part(filled(service()), "xl/media/padding.bin", b"\0" * (3 * 1024 * 1024))
    assert run(bomb).report["fatal"] == {"code": "zip_bomb", "params": {}}


@pytest.mark.parametrize(
    ("content", "extension"),
    [
        (b"this is not a spreadsheet", "xlsx"),
        (b"PK\x03\x04broken", "xlsx"),
        (replaced_part(workbook([ENGLISH]), "xl/workbook.xml", b"<oops"), "xlsx"),
        (make_docx(["Реферат"]), "xlsx"),  # a .docx renamed
        (b"PK\x05\x06" + b"\0" * 18, "ods"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_gets_one_clear_answer(content, extension):
    result = run(content, extension=extension)
    assert result.report["fatal"] == {"code": "not_a_spreadsheet", "params": {}} and result.rows == []


def test_a_file_of_another_type_is_not_checked():
    assert run(b"a,b", extension="csv").report["fatal"] == {
        "code": "unsupported_format",
        "params": {"extension": "csv"},
    }


# OpenDocument ----------------------------------------------------------------------------------------------

ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
)


def ods(*tables):
    """An .ods of ``tables`` (name, rows of table-row XML)."""
    body = "".join(f'<table:table table:name="{name}">{"".join(rows)}</table:table>' for name, rows in tables)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "content.xml", f"{ODS_HEAD}{body}</office:spreadsheet></office:body></office:document-content>"
        )
    return output.getvalue()


def text_cell(text):
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def test_an_ods_is_read_with_repeated_cells_numbers_and_dates():
    headings = "".join(text_cell(words) for words in ENGLISH)
    values = list(REPOSITORY_SERVICES[0])
    cells = [text_cell(value) for value in values]
    cells[7] = '<table:table-cell office:value-type="float" office:value="87270000011"/>'
    cells[9] = '<table:table-cell table:number-columns-repeated="2"/>'  # website and eligibility empty
    del cells[10]
    cells.append('<table:table-cell office:value-type="date" office:date-value="2025-09-15"/>')
    rows = [
        f"<table:table-row>{headings}</table:table-row>",
        '<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="1024"/>'
        "</table:table-row>",
        f"<table:table-row>{''.join(cells)}</table:table-row>",
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>',
    ]
    result = run(
        ods(("Нұсқаулық", ["<table:table-row>" + text_cell("Оқыңыз") + "</table:table-row>"]), ("Репо", rows)),
        extension="ods",
    )
    assert result.report["fatal"] is None and result.report["sheet"] == "Репо"
    row = result.rows[0]
    assert row["line"] == 5 and row["phone"] == "+7 727 000 00 11" and row["checked_on"] == dt.date(2025, 9, 15)
    assert row["website"] == "" and row["eligibility"] == ""


def test_an_xml_bomb_in_an_ods_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", BILLION_LAUGHS)
    assert run(output.getvalue(), extension="ods").report["fatal"]["code"] == "xml_bomb"


# The report in words ----------------------------------------------------------------------------------------


def test_every_code_the_check_gives_is_put_into_words_in_each_language():
    wrong = [
        {"organisation": ""},
        {"client_category": "?"},
        {"organisation": "А" * 301},
        {"phone": "", "email": "", "website": ""},
        {"phone": "12"},
        {"phone": "+7 916 000 00 01"},
        {"phone": "1414; 150; 111; 112"},
        {"email": "x"},
        {"website": "@x"},
        {"website": "zhan@example.kz"},
        {"checked_on": "ертең"},
        {"checked_on": dt.date(2030, 1, 1)},
        {"city": "Қонаев"},
        {"region": "Алматы облысы"},
    ]
    reports = [
        run(filled(*[service(**changes) for changes in wrong])).report,
        run(workbook([ENGLISH[:12], list(REPOSITORY_SERVICES[0][:12])])).report,
        run(b"a", extension="csv").report,
        run(b"not a zip").report,
        run(replaced_part(filled(service()), "x.bin", b"\0" * (3 * 1024 * 1024))).report,
        run(ods(("Репо", [])), extension="ods").report,
        run(filled()).report,
        run(workbook([["Ұйым"], ["«Жан»"]])).report,
        {**run(filled()).report, "fatal": {"code": "too_many_rows", "params": {"limit": 10000}}},
        {**run(filled()).report, "fatal": {"code": "unsafe_reader", "params": {}}},
        {**run(filled()).report, "fatal": {"code": "xml_bomb", "params": {}}},
        {**run(filled()).report, "fatal": {"code": "too_many_elements", "params": {}}},
        {**run(filled()).report, "fatal": {"code": "too_slow", "params": {}}},
        {**run(filled()).report, "notes": [{"code": "other_files", "params": {"file": "a.xlsx", "names": ["b.xlsx"]}}]},
    ]
    given = set()
    for report in reports:
        given |= {item["code"] for item in report["problems"] + report["notes"]}
        given |= {report["fatal"]["code"]} if report["fatal"] else set()
    assert given == set(PROBLEMS) | set(FATAL) | set(NOTES)
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            for report in reports:
                view = report_view(report)
                sentences = [*(view.fatal or ()), *view.notes]
                sentences += [text for problem in view.problems for text in (problem.what, problem.how)]
                assert sentences and not any("%(" in text for text in sentences), sentences
    with translation.override("ru"):
        assert report_view(reports[8]).fatal[0] == "В файле больше 10\xa0000 услуг, поэтому он не проверялся."
        city = next(problem for problem in report_view(reports[0]).problems if problem.row == 15)
        assert city.what == "Қонаев находится в регионе «Алматинская область», а не «город Алматы»."
