"""The roster pages (coursework/views/rosters.py) and the set-password pages: who may reach them, then what they do."""

import html
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from accounts.models import Role, User
from coursework.forms.rosters import read_roster
from coursework.models import Enrollment, RosterImport
from coursework.services.rosters import roster_import_apply, roster_import_create
from coursework.views import rosters as roster_views
from tests.conftest import make_user
from tests.coursework.test_roster_import import csv_file, student_rows, xlsx_file

pytestmark = pytest.mark.django_db

BAD_ROW = ("Ким", "202399999", "СЖ-23-01", "kim@example", "")


def an_import(cast, rows, course=None):
    course = course or cast.course
    return roster_import_create(
        course=course, file_name="тізім.xlsx", inputs=read_roster(xlsx_file(rows)), uploaded_by=cast.dept_admin
    )


def urls(cast):
    """Every roster page of the cast's course, with the method that reaches it."""
    roster_import = an_import(cast, student_rows(2))
    course = cast.course.pk
    return [
        ("get", reverse("coursework:roster", args=[course])),
        ("post", reverse("coursework:roster", args=[course])),
        ("get", reverse("coursework:roster_template", args=[course])),
        ("get", reverse("coursework:roster_import", args=[course, roster_import.pk])),
        ("post", reverse("coursework:roster_import_apply", args=[course, roster_import.pk])),
        ("post", reverse("coursework:roster_link_send", args=[course, cast.student.pk])),
    ]


# Access first -----------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in_on_every_roster_page(client, cast):
    for method, url in urls(cast):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_the_courses_instructors_are_refused_every_roster_page(login, cast):
    client = login(cast.instructor)
    for method, url in urls(cast):
        assert getattr(client, method)(url).status_code == 403, url


@pytest.mark.parametrize("who", ["student", "other_student", "other_instructor", "other_dept_admin"])
def test_anyone_outside_the_department_or_a_student_finds_no_roster_page(login, cast, who):
    client = login(getattr(cast, who))
    for method, url in urls(cast):
        assert getattr(client, method)(url).status_code == 404, url


def test_the_department_admin_and_a_superuser_reach_the_roster(login, cast):
    url = reverse("coursework:roster", args=[cast.course.pk])
    assert login(cast.dept_admin).get(url).status_code == 200
    root = User.objects.create_superuser("root", "root@example.kz", "x")
    assert login(root).get(url).status_code == 200


def test_an_import_of_another_course_is_not_found_under_this_course(login, cast):
    other = an_import(cast, student_rows(1), course=cast.other_course)
    client = login(cast.dept_admin)
    assert client.get(reverse("coursework:roster_import", args=[cast.course.pk, other.pk])).status_code == 404
    url = reverse("coursework:roster_import_apply", args=[cast.course.pk, other.pk])
    assert client.post(url).status_code == 404


def test_each_roster_page_answers_only_its_own_method(login, cast):
    roster_import = an_import(cast, student_rows(1))
    client = login(cast.dept_admin)
    assert client.post(reverse("coursework:roster_template", args=[cast.course.pk])).status_code == 405
    assert client.post(reverse("coursework:roster_import", args=[cast.course.pk, roster_import.pk])).status_code == 405
    url = reverse("coursework:roster_import_apply", args=[cast.course.pk, roster_import.pk])
    assert client.get(url).status_code == 405


# The roster page ------------------------------------------------------------------------------------------------


def test_the_roster_lists_students_by_group_in_kazakh_alphabetical_order(login, cast):
    for surname, group in (("Ұлықбекова", "СЖ-23-01"), ("Өмірзақов", "СЖ-23-01"), ("Яковлев", "СЖ-23-01")):
        student = make_user(surname, Role.STUDENT, cast.department, last_name=surname, email=f"{group}@x.kz")
        Enrollment.objects.create(course=cast.course, student=student, academic_group=group)
    html = login(cast.dept_admin).get(reverse("coursework:roster", args=[cast.course.pk])).content.decode()
    # Kazakh order: Ә … Ө … Ұ … Я (a database would put the Kazakh letters after Я).
    names = ["Әбілқасымова Әсел", "Өмірзақов", "Ұлықбекова", "Яковлев"]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)
    assert html.index("СЖ-23-01") < html.index("Бекмұратов Нұрлан") and html.index("СЖ-23-02") < html.index(
        "Бекмұратов Нұрлан"
    )
    assert reverse("coursework:roster_template", args=[cast.course.pk]) in html


def test_the_roster_lists_past_imports_with_their_state(login, cast):
    applied = an_import(cast, student_rows(1))
    roster_import_apply(roster_import=applied, applied_by=cast.dept_admin)
    pending = an_import(cast, student_rows(1, start=7))
    html = login(cast.dept_admin).get(reverse("coursework:roster", args=[cast.course.pk])).content.decode()
    for item in (applied, pending):
        assert reverse("coursework:roster_import", args=[cast.course.pk, item.pk]) in html
    assert gettext("Applied") in html and gettext("Not applied") in html


@pytest.mark.parametrize("size", [5, 40])
def test_the_roster_page_takes_the_same_queries_whatever_the_class_size(
    login, cast, size, django_assert_max_num_queries
):
    for number in range(size):
        student = make_user(f"extra{number}", Role.STUDENT, cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group=f"СЖ-23-0{number % 3}")
    for _ in range(size // 5):
        an_import(cast, student_rows(3))
    client = login(cast.dept_admin)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("coursework:roster", args=[cast.course.pk])).status_code == 200


# Uploading --------------------------------------------------------------------------------------------------------


def test_uploading_a_good_file_shows_its_preview_and_writes_nothing_else(login, cast):
    users = User.objects.count()
    response = login(cast.dept_admin).post(
        reverse("coursework:roster", args=[cast.course.pk]), {"file": xlsx_file(student_rows(3))}
    )
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coursework:roster_import", args=[cast.course.pk, roster_import.pk])
    assert roster_import.file_name == "тізім.xlsx"
    assert roster_import.uploaded_by == cast.dept_admin
    assert User.objects.count() == users


def test_a_csv_upload_in_windows_1251_is_read_from_the_uploaded_temporary_file(login, cast):
    rows = [("Иванова Мария Сергеевна", "202300001", "СЖ-23-01", "maria@example.kz", "русский")]
    upload = csv_file(rows, headings=("ФИО", "ID студента", "Группа", "Эл. почта", "Язык"), encoding="cp1251")
    response = login(cast.dept_admin).post(reverse("coursework:roster", args=[cast.course.pk]), {"file": upload})
    assert response.status_code == 302
    (row,) = RosterImport.objects.get().rows
    assert (row["name"], row["language"], row["outcome"]) == ("Иванова Мария Сергеевна", "ru", "new")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("тізім.xlsx", bytes(range(256)) * 4),
        xlsx_file([("Ким Олег",)], headings=("ФИО",)),
        SimpleUploadedFile("тізім.xlsx", b""),
        SimpleUploadedFile("тізім.docx", b"PK\x03\x04"),
    ],
    ids=["not a table", "missing columns", "empty", "another kind of file"],
)
def test_a_bad_file_is_answered_on_the_roster_page_and_nothing_is_written(login, cast, upload):
    response = login(cast.dept_admin).post(reverse("coursework:roster", args=[cast.course.pk]), {"file": upload})
    assert response.status_code == 200
    assert not RosterImport.objects.exists()
    (error,) = response.context["form"].errors["file"]
    assert error in html.unescape(response.content.decode())


def test_uploading_without_a_file_asks_for_one(login, cast):
    response = login(cast.dept_admin).post(reverse("coursework:roster", args=[cast.course.pk]), {})
    assert response.context["form"].errors["file"] == [gettext("Choose the roster file to upload.")]
    assert not RosterImport.objects.exists()


# The preview and applying ---------------------------------------------------------------------------------------


def test_the_preview_lists_errors_first_with_their_reasons_and_offers_no_apply(login, cast):
    roster_import = an_import(cast, [*student_rows(3), BAD_ROW])
    url = reverse("coursework:roster_import", args=[cast.course.pk, roster_import.pk])
    html = login(cast.dept_admin).get(url).content.decode()
    first_row = html.index('data-outcome="')
    assert html[first_row:].startswith('data-outcome="error"')
    assert html.count('data-outcome="error"') == 1 and html.count('data-outcome="new"') == 3
    assert gettext("Write the surname and the given name (and the patronymic, if any).") in html
    assert reverse("coursework:roster_import_apply", args=[cast.course.pk, roster_import.pk]) not in html


def test_the_preview_speaks_the_readers_language(login, cast):
    roster_import = an_import(cast, [BAD_ROW])
    client = login(cast.dept_admin)
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    html = client.get(reverse("coursework:roster_import", args=[cast.course.pk, roster_import.pk])).content.decode()
    with translation.override("ru"):
        assert gettext("Write the surname and the given name (and the patronymic, if any).") in html


def test_applying_from_the_preview_enrols_everyone_and_mails_the_new_students(
    login, cast, django_capture_on_commit_callbacks
):
    roster_import = an_import(cast, student_rows(3))
    client = login(cast.dept_admin)
    preview = client.get(reverse("coursework:roster_import", args=[cast.course.pk, roster_import.pk]))
    apply_url = reverse("coursework:roster_import_apply", args=[cast.course.pk, roster_import.pk])
    assert apply_url in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("coursework:roster", args=[cast.course.pk])
    assert cast.course.enrollments.count() == 5
    assert len(mail.outbox) == 3
    html = response.content.decode()
    assert "Әбілқасымова Әсел Нұрланқызы" in html and "202300000" in html
    after = client.get(reverse("coursework:roster_import", args=[cast.course.pk, roster_import.pk]))
    assert apply_url not in after.content.decode()  # applied: nothing more to apply


def test_applying_an_import_with_errors_is_refused_with_a_message(login, cast):
    roster_import = an_import(cast, [*student_rows(2), BAD_ROW])
    client = login(cast.dept_admin)
    url = reverse("coursework:roster_import_apply", args=[cast.course.pk, roster_import.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "coursework:roster_import", args=[cast.course.pk, roster_import.pk]
    )
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    assert cast.course.enrollments.count() == 2


def test_applying_twice_is_refused_the_second_time(login, cast):
    roster_import = an_import(cast, student_rows(2))
    client = login(cast.dept_admin)
    url = reverse("coursework:roster_import_apply", args=[cast.course.pk, roster_import.pk])
    client.post(url, follow=True)
    response = client.post(url, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        gettext("This import has already been applied.")
    ]
    assert cast.course.enrollments.count() == 4


@pytest.mark.parametrize("size", [5, 60])
def test_the_preview_takes_the_same_queries_whatever_the_file_size(login, cast, size, django_assert_max_num_queries):
    roster_import = an_import(cast, [*student_rows(size), BAD_ROW])
    client = login(cast.dept_admin)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("coursework:roster_import", args=[cast.course.pk, roster_import.pk]))
    assert response.content.decode().count("data-outcome=") == size + 1


def test_a_long_preview_comes_in_pages_with_the_errors_on_the_first(login, cast, monkeypatch):
    monkeypatch.setattr(roster_views, "PREVIEW_PAGE", 2)
    roster_import = an_import(cast, [*student_rows(4), BAD_ROW])
    client = login(cast.dept_admin)
    url = reverse("coursework:roster_import", args=[cast.course.pk, roster_import.pk])
    first = client.get(url).content.decode()
    assert first.count("data-outcome=") == 2 and 'data-outcome="error"' in first
    assert 'href="?page=3"' in first
    assert client.get(url, {"page": 3}).content.decode().count("data-outcome=") == 1


# The template -----------------------------------------------------------------------------------------------------


def test_the_template_downloads_as_a_private_xlsx(login, cast):
    response = login(cast.dept_admin).get(reverse("coursework:roster_template", args=[cast.course.pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="roster-template.xlsx"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    with translation.override("kk"):
        kazakh = gettext("Full name")
    assert sheet["A1"].value.splitlines()[0] == kazakh


# Setting a password from the e-mailed link ---------------------------------------------------------------------


def test_the_set_password_page_speaks_kazakh_and_names_the_username(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_apply(roster_import=an_import(cast, student_rows(1)), applied_by=cast.dept_admin)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    response = client.get(link, follow=True)
    html = response.content.decode()
    assert '<html lang="kk">' in html
    assert gettext("Set your password") in html
    assert "202300000" in html
    done = client.post(
        response.redirect_chain[-1][0], {"new_password1": "Алма-ата-2025!", "new_password2": "Алма-ата-2025!"}
    )
    assert done["Location"] == reverse("password_reset_complete")
    assert gettext("Your password is set. Sign in with your username and the new password.") in (
        client.get(done["Location"]).content.decode()
    )


def test_a_link_that_no_longer_works_says_so(client, cast):
    html = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"])).content.decode()
    assert gettext("This link no longer works") in html
    assert reverse("login") in html


# Sending the link again ------------------------------------------------------------------------------------------


def _new_student(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_apply(roster_import=an_import(cast, student_rows(1)), applied_by=cast.dept_admin)
    mail.outbox.clear()
    return User.objects.get(student_number="202300000")


def test_the_roster_marks_who_has_no_password_and_sends_them_a_new_link(
    login, cast, client, django_capture_on_commit_callbacks
):
    student = _new_student(cast, django_capture_on_commit_callbacks)
    admin = login(cast.dept_admin)
    roster_url = reverse("coursework:roster", args=[cast.course.pk])
    send_url = reverse("coursework:roster_link_send", args=[cast.course.pk, student.pk])
    page = admin.get(roster_url).content.decode()
    assert page.count('class="d-flex flex-wrap align-items-center gap-2 mt-1 no-password"') == 1
    assert send_url in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(send_url, follow=True)
    assert gettext("A new link to set a password was sent to %(email)s.") % {"email": student.email} in html.unescape(
        response.content.decode()
    )
    (message,) = mail.outbox
    assert message.to == [student.email]
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Жаңа-құпия-2025", "new_password2": "Жаңа-құпия-2025"}
    )
    student.refresh_from_db()
    assert student.has_usable_password()
    assert send_url not in admin.get(roster_url).content.decode()


def test_no_link_is_sent_to_a_student_who_set_a_password_or_to_another_courses_student(login, cast):
    admin = login(cast.dept_admin)
    response = admin.post(reverse("coursework:roster_link_send", args=[cast.course.pk, cast.student.pk]), follow=True)
    assert gettext("%(name)s has already set a password.") % {"name": cast.student.display_name} in html.unescape(
        response.content.decode()
    )
    assert mail.outbox == []
    url = reverse("coursework:roster_link_send", args=[cast.course.pk, cast.other_student.pk])
    assert admin.post(url).status_code == 404
