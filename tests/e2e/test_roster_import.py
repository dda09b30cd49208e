"""The department admin imports 30 students from an .xlsx with two bad rows, corrects the file and applies it."""

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from coursework.models import Enrollment
from tests.conftest import PASSWORD, build_cast
from tests.coursework.test_roster_import import student_rows, xlsx_bytes
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def kazakh(text, **params):
    with translation.override("kk"):
        return translation.gettext(text) % params if params else translation.gettext(text)


def upload(page, path):
    page.locator("input[type=file]").set_input_files(path)
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()


def test_the_department_admin_imports_a_roster_corrects_two_rows_and_applies_it(page, live_server, tmp_path):
    cast = build_cast()
    good = student_rows(30)
    bad = list(good)
    bad[6] = (*good[6][:3], "student6@example", good[6][4])  # line 8: a malformed e-mail address
    bad[11] = (*good[11][:2], "", *good[11][3:])  # line 13: no academic group
    (tmp_path / "тізім.xlsx").write_bytes(xlsx_bytes(bad))
    (tmp_path / "тізім-түзетілген.xlsx").write_bytes(xlsx_bytes(good))

    sign_in(page, live_server, "dept_admin", PASSWORD)
    page.goto(f"{live_server.url}/courses/{cast.course.pk}/roster/")
    expect(page.locator("#roster-count")).to_contain_text("2")
    upload(page, tmp_path / "тізім.xlsx")

    # The preview: the two errors first, each with its reason, and no way to apply.
    errors = page.locator("tr[data-outcome=error]")
    expect(errors).to_have_count(2)
    expect(errors.nth(0).locator("td").first).to_have_text("8")
    expect(errors.nth(0).locator(".row-reasons li")).to_have_text(
        [kazakh("“%(email)s” is not a valid e-mail address.", email="student6@example")]
    )
    expect(errors.nth(1).locator("td").first).to_have_text("13")
    expect(errors.nth(1).locator(".row-reasons li")).to_have_text([kazakh("The academic group is missing.")])
    expect(page.locator("tr[data-outcome=new]")).to_have_count(28)
    expect(page.locator("form[action$='/apply/']")).to_have_count(0)
    expect(page.locator("#import-errors")).to_be_visible()
    page.screenshot(path=tmp_path / "preview-with-errors.png", full_page=True)
    assert Enrollment.objects.filter(course=cast.course).count() == 2

    # The corrected file: 30 new students, applied at once.
    page.locator("#import-errors a").click()
    upload(page, tmp_path / "тізім-түзетілген.xlsx")
    expect(page.locator("tr[data-outcome=error]")).to_have_count(0)
    expect(page.locator("tr[data-outcome=new]")).to_have_count(30)
    page.locator("form[action$='/apply/'] button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/courses/{cast.course.pk}/roster/")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#roster-count")).to_contain_text("32")
    expect(page.locator("table.roster-table tbody tr")).to_have_count(32)
    expect(page.get_by_text("Құдайбергенов Олег Андреевич", exact=True)).to_be_visible()
    page.screenshot(path=tmp_path / "roster-after-import.png", full_page=True)
    assert Enrollment.objects.filter(course=cast.course).count() == 32
    assert len(mail.outbox) == 30
