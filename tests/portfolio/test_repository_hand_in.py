"""Handing in a service repository (services.draft_submit): the check's report kept with the version, the valid rows
stored with it all at once, ``version_submitted`` sent; and the report on the student's task page and on the
grading page, in Kazakh and Russian."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from demo.portfolios import make_repository_xlsx
from portfolio import services
from portfolio.models import RepositoryRow, SubmissionFile, Version
from portfolio.signals import version_submitted
from tests.portfolio.conftest import at, docx, hand_in

pytestmark = pytest.mark.django_db

WHEN = at(dt.date(2025, 10, 1))  # before СӨЖ 1 is due (Sunday 5 October 2025)
TWO_WRONG = ("phone", "region")  # rows 11 and 12 of the demo file: a phone without its code, Almaty's region


@pytest.fixture
def repository(cast):
    return cast.tasks["СӨЖ 1"]


def repository_file(name="репозиторий.xlsx", first=0, mistakes=()):
    content = make_repository_xlsx("Әбілқасымова Әсел", first=first, checked_before=WHEN.date(), mistakes=mistakes)
    return SimpleUploadedFile(name, content)


@pytest.fixture
def sent():
    """What ``version_submitted`` is sent with, in order."""
    calls = []

    def record(sender, *, version, replaced, **kwargs):
        calls.append((version.pk, getattr(replaced, "pk", None)))

    version_submitted.connect(record, dispatch_uid="test_record")
    yield calls
    version_submitted.disconnect(dispatch_uid="test_record")


def zipped(content, name, data):
    """``content`` (an .xlsx) with one more part."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        target.writestr(name, data)
    return output.getvalue()


# What is stored ---------------------------------------------------------------------------------------------


def test_handing_in_stores_the_report_on_the_version_and_its_valid_rows(cast, repository, sent):
    version = hand_in(repository, cast.student, repository_file(mistakes=TWO_WRONG), WHEN)
    version.refresh_from_db()
    report = version.check_report
    assert (report["rows_read"], report["valid"], report["with_problems"]) == (10, 8, 2)
    assert report["file"] == "репозиторий.xlsx" and report["sheet"] == "Репозиторий"
    assert [(problem["row"], problem["code"]) for problem in report["problems"]] == [
        (11, "phone_invalid"),
        (12, "city_own_region"),
    ]
    rows = list(version.rows.all())
    assert [row.line for row in rows] == list(range(3, 11))
    first = rows[0]
    assert (first.organisation, first.organisation_type, first.client_category, first.region) == (
        "«Жан» дағдарыс орталығы",
        "ngo",
        "domestic_violence",
        "almaty_city",
    )
    assert first.phone == "+7 727 000 00 11" and first.website == "https://example.kz/zhan"
    assert first.checked_on == WHEN.date() - dt.timedelta(days=1)
    assert sent == [(version.pk, None)]


def test_a_file_that_is_not_the_template_is_still_handed_in_with_its_report_and_no_rows(cast, repository):
    version = hand_in(repository, cast.student, SimpleUploadedFile("менің.xlsx", _plain_workbook()), WHEN)
    assert version.state == Version.State.SUBMITTED and version.files.count() == 1
    assert version.check_report["fatal"]["code"] == "not_template"
    assert not RepositoryRow.objects.exists()


def _plain_workbook():
    book = Workbook()
    book.active.append(["Ұйым", "Қала"])
    book.active.append(["«Жан»", "Алматы"])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_an_xml_bomb_is_handed_in_as_a_file_with_a_report_and_no_rows(cast, repository):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )
    source = zipfile.ZipFile(io.BytesIO(repository_file().read()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            name = item.filename
            target.writestr(name, bomb if name == "xl/worksheets/sheet1.xml" else source.read(name))
    version = hand_in(repository, cast.student, SimpleUploadedFile("bomb.xlsx", output.getvalue()), WHEN)
    assert version.check_report["fatal"] == {"code": "xml_bomb", "params": {}}
    assert not RepositoryRow.objects.exists()


def test_a_file_that_would_unpack_to_too_much_for_the_check_is_handed_in_with_its_report(cast, repository):
    content = zipped(repository_file().read(), "xl/media/padding.bin", b"\0" * (3 * 1024 * 1024))
    version = hand_in(repository, cast.student, SimpleUploadedFile("r.xlsx", content), WHEN)
    assert version.check_report["fatal"] == {"code": "zip_bomb", "params": {}}
    assert not RepositoryRow.objects.exists()


def test_a_zip_bomb_is_still_refused_at_upload_as_before(cast, repository):
    content = zipped(repository_file().read(), "xl/media/padding.bin", b"\0" * (30 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        services.draft_submit(
            task=repository,
            student=cast.student,
            statement_accepted=True,
            uploads=[SimpleUploadedFile("r.xlsx", content)],
            now=WHEN,
        )
    assert refused.value.code == "archive_too_large"
    assert not Version.objects.exists() and not RepositoryRow.objects.exists()


def test_a_second_version_gets_its_own_rows_and_the_first_keeps_its_own(cast, repository, sent):
    first = hand_in(repository, cast.student, repository_file(mistakes=TWO_WRONG), WHEN)
    services.draft_remove_file(submission_file=first.files.get(), now=WHEN)
    second = hand_in(repository, cast.student, repository_file("түзетілген.xlsx", first=8), WHEN)
    assert first.rows.count() == 8 and second.rows.count() == 8
    assert second.rows.first().organisation == "Қандастарды бейімдеу орталығы"
    assert Version.objects.get(pk=second.pk).check_report["with_problems"] == 0
    assert sent == [(first.pk, None), (second.pk, first.pk)]


def test_only_the_spreadsheet_added_last_is_checked(cast, repository):
    first = hand_in(repository, cast.student, repository_file("ескі.xlsx", mistakes=TWO_WRONG), WHEN)
    second = hand_in(repository, cast.student, repository_file("жаңа.xlsx", first=8), WHEN)
    assert sorted(second.files.values_list("original_name", flat=True)) == ["ескі.xlsx", "жаңа.xlsx"]
    report = Version.objects.get(pk=second.pk).check_report
    assert report["file"] == "жаңа.xlsx" and report["with_problems"] == 0
    assert {"code": "other_files", "params": {"file": "жаңа.xlsx", "names": ["ескі.xlsx"]}} in report["notes"]
    assert first.rows.count() == 8


def test_the_signal_is_sent_for_every_task_with_the_version_replaced(cast, sent):
    essay = cast.tasks["СОӨЖ 1"]
    first = hand_in(essay, cast.student, docx("v1.docx"))
    second = hand_in(essay, cast.student, docx("v2.docx"))
    assert sent == [(first.pk, None), (second.pk, first.pk)]
    assert Version.objects.get(pk=second.pk).check_report == {}


def test_if_storing_the_rows_fails_nothing_is_handed_in(cast, repository):
    def refuse_rows(execute, sql, params, many, context):
        if sql.startswith("INSERT") and "portfolio_repositoryrow" in sql:
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_rows), pytest.raises(DatabaseError):
        hand_in(repository, cast.student, repository_file(), WHEN)
    assert not Version.objects.filter(state=Version.State.SUBMITTED).exists()
    assert Version.objects.get().is_draft and Version.objects.get().check_report == {}


def test_a_receiver_that_fails_undoes_the_hand_in_with_its_rows(cast, repository):
    def fail(sender, **kwargs):
        raise RuntimeError("the directory could not take the rows")

    version_submitted.connect(fail, dispatch_uid="test_fail")
    try:
        with pytest.raises(RuntimeError):
            services.draft_submit(
                task=repository, student=cast.student, statement_accepted=True, uploads=[repository_file()], now=WHEN
            )
    finally:
        version_submitted.disconnect(dispatch_uid="test_fail")
    assert not Version.objects.exists() and not RepositoryRow.objects.exists() and not SubmissionFile.objects.exists()


# The report on the pages ------------------------------------------------------------------------------------


def task_url(task):
    return reverse("grading:task_detail", args=[task.course_id, task.pk])


def page(client, url, language):
    client.cookies["portal_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def handed_in(cast, repository):
    return hand_in(repository, cast.student, repository_file(mistakes=TWO_WRONG), WHEN)


def test_before_handing_in_the_student_sees_the_template_link_and_what_the_check_will_do(login, cast, repository):
    html = page(login(cast.student), task_url(repository), "kk")
    assert reverse("portfolio:repository_template", args=[repository.course_id, repository.pk]) in html
    assert "Үлгіні жүктеп алу (.xlsx)" in html and "Үлгіні толтырыңыз: әр қызметке бір жол." in html
    assert "repository-totals" not in html


def test_the_student_reads_the_report_of_their_latest_version_in_kazakh(login, cast, repository, handed_in):
    html = page(login(cast.student), task_url(repository), "kk")
    assert "Қызметтер репозиторийін тексеру" in html and "1-нұсқа, «репозиторий.xlsx» файлы" in html
    assert 'Дұрыс жолдар</dt><dd class="fs-4 mb-0 text-success">8</dd>' in html
    assert '<td>Тұрмыстық зорлық-зомбылық құрбандары</td><td class="text-end">1</td>' in html
    assert "11-жол, H бағаны (Телефон)" in html
    assert "«27-00-01» – портал оқи алатын телефон нөмірі емес." in html
    assert "12-жол, E бағаны (Өңір)" in html
    assert "Өңір ретінде «Алматы қаласы» мәнін таңдаңыз." in html
    assert "«8 (727) 000-00-11» мәні «+7 727 000 00 11» түрінде сақталды." in html
    assert "2-жол – үлгідегі мысал" in html


def test_the_student_reads_the_same_report_in_russian(login, cast, repository, handed_in):
    html = page(login(cast.student), task_url(repository), "ru")
    assert "Проверка репозитория служб" in html and "Скачать шаблон (.xlsx)" in html
    assert '<td>Жертвы бытового насилия</td><td class="text-end">1</td>' in html
    assert "Строка 11, столбец H (Телефон)" in html
    assert "«27-00-01» — не номер телефона, который портал может прочитать." in html
    assert "Строка 12, столбец E (Регион)" in html and "Выберите регион «город Алматы»." in html


def test_a_classmate_does_not_see_the_students_report(login, cast, repository, handed_in):
    html = page(login(cast.classmate), task_url(repository), "kk")
    assert "Үлгіні толтырыңыз" in html and "11-жол" not in html


def test_staff_get_the_template_link_on_the_task_page_and_no_students_report(login, cast, repository, handed_in):
    html = page(login(cast.instructor), task_url(repository), "kk")
    assert "Үлгіні жүктеп алу (.xlsx)" in html and "11-жол" not in html
    assert "Студенттер осы үлгіні толтырады." in html


def test_a_task_of_another_deliverable_shows_no_repository_panel(login, cast):
    html = page(login(cast.student), task_url(cast.tasks["СОӨЖ 1"]), "kk")
    assert "repository-check" not in html


def test_a_report_of_a_file_that_is_not_the_template_gives_one_clear_explanation(login, cast, repository):
    hand_in(repository, cast.student, SimpleUploadedFile("менің.xlsx", _plain_workbook()), WHEN)
    html = page(login(cast.student), task_url(repository), "kk")
    assert "Бұл репозиторий үлгісі емес: «Sheet» парағында «Ұйымның түрі», «Клиенттер санаты»" in html
    assert "Тапсырма бетінен үлгіні жүктеп алыңыз" in html and "repository-totals" not in html


@pytest.mark.parametrize(
    ("language", "expected"), [("kk", "11-жол, H бағаны (Телефон)"), ("ru", "Строка 11, столбец H")]
)
def test_the_instructor_sees_the_report_beside_the_work_on_the_grading_page(
    login, cast, repository, handed_in, language, expected
):
    html = page(login(cast.instructor), reverse("grading:grade", args=[handed_in.submission_id]), language)
    assert expected in html and "repository-check" in html
    assert html.index("repository-check") < html.index('id="grade-form"')


def test_the_report_costs_no_queries_however_many_problems_it_lists(login, cast, repository, handed_in):
    client = login(cast.student)
    with CaptureQueriesContext(connection) as few:
        client.get(task_url(repository))
    version = Version.objects.get(pk=handed_in.pk)
    version.check_report["problems"] = version.check_report["problems"] * 150
    version.save(update_fields=["check_report"])
    with CaptureQueriesContext(connection) as many:
        html = client.get(task_url(repository)).content.decode()
    assert html.count('class="list-group-item" data-row=') == 300
    assert len(many) == len(few)
