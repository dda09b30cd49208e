"""The institution of a student's report (СОӨЖ 4-5): choosing it from the directory or adding it, until the cut-off;
and the staff-only list of reports on an entry's page (directory/services.py, views.py, institution_tags)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from coursework.models import Deliverable, Extension
from directory.models import Entry, InstitutionReport
from directory.services import entry_hide
from directory.templatetags import institution_tags
from tests.directory.conftest import hand_in_rows, row

pytestmark = pytest.mark.django_db

VALID = {
    "organisation": "«Шапағат» қайырымдылық қоры",
    "organisation_type": "charity",
    "client_category": "elderly",
    "services": "Қарттарға үйде күтім көрсету",
    "region": "astana",
    "city": "Астана",
    "phone": "8 (717) 255 00 11",
    "email": "",
    "website": "",
}


@pytest.fixture
def task(cast):
    """The course's institution-report task, open for another month."""
    [task] = [task for task in cast.tasks.values() if task.deliverable == Deliverable.INSTITUTION_REPORT]
    task.due_at_override = timezone.now() + dt.timedelta(days=20)
    task.cutoff_at = timezone.now() + dt.timedelta(days=30)
    task.save()
    return task


@pytest.fixture
def entries(cast, repository):
    """Two organisations of the cast's department listed by the classmate, and one of another department."""
    hand_in_rows(repository, cast.classmate, [row("«Ақ жүрек» қоры"), row("Мансап орталығы", city="Шымкент",
                                                                            region="shymkent")])  # fmt: skip
    hand_in_rows(cast.other_task, cast.other_student, [row("Психологтар қауымдастығы", city="Қарағанды")])
    return {entry.name: entry for entry in Entry.objects.all()}


def choose_url(task):
    return reverse("directory:institution_choose", args=[task.course_id, task.pk])


def add_url(task):
    return reverse("directory:institution_add", args=[task.course_id, task.pk])


def task_page(task):
    return reverse("grading:task_detail", args=[task.course_id, task.pk])


def chosen(task, student):
    report = InstitutionReport.objects.filter(task=task, student=student).select_related("entry").first()
    return report and report.entry.name


# Access first ----------------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in(client, task, entries):
    for url in (choose_url(task), add_url(task)):
        response = client.post(url, {"entry": entries["«Ақ жүрек» қоры"].pk})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not InstitutionReport.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("other_student", 404), ("instructor", 403), ("dept_admin", 403)])
def test_only_students_of_the_course_choose(login, cast, task, entries, who, status):
    response = login(getattr(cast, who)).post(choose_url(task), {"entry": entries["«Ақ жүрек» қоры"].pk})
    assert response.status_code == status
    assert login(getattr(cast, who)).post(add_url(task), VALID).status_code == status
    assert not InstitutionReport.objects.exists() and not Entry.objects.filter(added_by__isnull=False).exists()


def test_a_student_not_enrolled_in_the_course_cannot_choose(login, cast, task, entries):
    task.course.enrollments.filter(student=cast.classmate).delete()
    response = login(cast.classmate).post(choose_url(task), {"entry": entries["«Ақ жүрек» қоры"].pk})
    assert response.status_code == 404


def test_a_task_that_is_not_an_institution_report_has_no_choice(login, cast, repository, entries):
    response = login(cast.student).post(choose_url(repository), {"entry": entries["«Ақ жүрек» қоры"].pk})
    assert response.status_code == 404


def test_an_entry_of_another_department_or_hidden_cannot_be_chosen(login, cast, task, entries):
    entry_hide(entry=entries["Мансап орталығы"], hidden_by=cast.instructor)
    client = login(cast.student)
    for entry in (entries["Психологтар қауымдастығы"], entries["Мансап орталығы"]):
        assert client.post(choose_url(task), {"entry": entry.pk}).status_code == 404
    assert chosen(task, cast.student) is None


# Choosing ----------------------------------------------------------------------------------------------------------


def test_the_task_page_finds_entries_and_a_student_chooses_one(login, cast, task, entries):
    client = login(cast.student)
    page = client.get(task_page(task), {"institution_q": "жүрек"})
    assert page.status_code == 200
    assert "Ақ жүрек" in page.content.decode() and "Психологтар" not in page.content.decode()
    response = client.post(choose_url(task), {"entry": entries["«Ақ жүрек» қоры"].pk})
    assert response.status_code == 302 and response["Location"] == task_page(task) + "#institution"
    assert chosen(task, cast.student) == "«Ақ жүрек» қоры"
    page = client.get(task_page(task))
    assert reverse("directory:entry", args=[entries["«Ақ жүрек» қоры"].pk]) in page.content.decode()


def test_choosing_again_replaces_the_choice(login, cast, task, entries):
    client = login(cast.student)
    client.post(choose_url(task), {"entry": entries["«Ақ жүрек» қоры"].pk})
    client.post(choose_url(task), {"entry": entries["Мансап орталығы"].pk})
    assert InstitutionReport.objects.filter(student=cast.student).count() == 1
    assert chosen(task, cast.student) == "Мансап орталығы"


def test_after_the_cut_off_the_choice_is_refused_with_a_message(login, cast, task, entries):
    task.due_at_override = timezone.now() - dt.timedelta(days=3)
    task.cutoff_at = timezone.now() - dt.timedelta(days=1)
    task.save()
    client = login(cast.student)
    response = client.post(choose_url(task), {"entry": entries["«Ақ жүрек» қоры"].pk}, follow=True)
    refusal = gettext("The institution of the report can no longer be changed: the task closed on %(moment)s.")
    assert refusal.split("%(moment)s")[0] in " ".join(str(message) for message in response.context["messages"])
    assert client.post(add_url(task), VALID).status_code == 302
    assert chosen(task, cast.student) is None and not Entry.objects.filter(added_by=cast.student).exists()


@pytest.mark.parametrize(
    "language, closed", [("kk", "Тапсырма %s жабылды"), ("ru", "Приём по заданию закрыт %s")], ids=["kk", "ru"]
)
def test_after_the_cut_off_the_panel_says_when_the_task_closed_and_offers_no_forms(
    login, cast, task, entries, language, closed
):
    login(cast.student).post(choose_url(task), {"entry": entries["«Ақ жүрек» қоры"].pk})
    task.due_at_override = timezone.now() - dt.timedelta(days=3)
    task.cutoff_at = timezone.now() - dt.timedelta(days=1)
    task.save()
    client = login(cast.student)
    client.cookies["portal_language"] = language
    html = client.get(task_page(task) + "?institution_q=жүрек").content.decode()
    panel = html[html.index('id="institution"') :].split("</section>")[0]
    moment = timezone.localtime(task.cutoff_at).strftime("%d.%m.%Y %H:%M")
    assert closed % moment in panel and "«Ақ жүрек» қоры" in panel
    assert "<form" not in panel and 'name="institution_q"' not in panel


def test_an_extension_keeps_the_choice_open_for_its_student(login, cast, task, entries):
    task.due_at_override = timezone.now() - dt.timedelta(days=3)
    task.cutoff_at = timezone.now() - dt.timedelta(days=1)
    task.save()
    Extension.objects.create(
        task=task,
        student=cast.student,
        due_at=timezone.now() + dt.timedelta(days=1),
        cutoff_at=timezone.now() + dt.timedelta(days=2),
        granted_by=cast.instructor,
    )
    login(cast.student).post(choose_url(task), {"entry": entries["«Ақ жүрек» қоры"].pk})
    assert chosen(task, cast.student) == "«Ақ жүрек» қоры"


# Adding ------------------------------------------------------------------------------------------------------------


def test_a_student_adds_a_missing_organisation_and_it_is_chosen(login, cast, task, entries):
    response = login(cast.student).post(add_url(task), VALID)
    assert response.status_code == 302
    entry = Entry.objects.get(added_by=cast.student)
    assert (entry.name, entry.city, entry.region, entry.phones, entry.student_count) == (
        "«Шапағат» қайырымдылық қоры",
        "Астана",
        "astana",
        "+7 717 255 00 11",
        0,
    )
    assert [item.category for item in entry.categories.all()] == ["elderly"]
    assert chosen(task, cast.student) == entry.name
    assert "шапагат" in entry.search_text


def test_an_invalid_row_shows_errors_beside_the_fields_and_stores_nothing(login, cast, task, entries):
    values = {**VALID, "city": "Алматы", "phone": "+1 555 0100", "website": "not a site"}
    response = login(cast.student).post(add_url(task), values, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"region", "phone", "website"}
    assert not Entry.objects.filter(added_by=cast.student).exists() and chosen(task, cast.student) is None


def test_a_row_without_any_contact_is_refused_on_the_phone_field(login, cast, task, entries):
    response = login(cast.student).post(add_url(task), {**VALID, "phone": ""})
    assert set(response.context["form"].errors) == {"phone"}


def test_an_organisation_already_in_the_directory_is_chosen_not_duplicated(login, cast, task, entries):
    before = Entry.objects.count()
    login(cast.student).post(add_url(task), {**VALID, "organisation": '"АҚ ЖҮРЕК" ҚОРЫ', "city": "г. Алматы",
                                             "region": "almaty_city"})  # fmt: skip
    assert Entry.objects.count() == before
    assert chosen(task, cast.student) == "«Ақ жүрек» қоры"


# The directory keeps what reports are about ------------------------------------------------------------------------


def test_an_entry_with_a_report_survives_a_refresh_that_removes_its_last_row(login, cast, task, repository, entries):
    login(cast.student).post(choose_url(task), {"entry": entries["Мансап орталығы"].pk})
    first = hand_in_rows(repository, cast.classmate, [row("«Ақ жүрек» қоры")])
    assert first.is_latest
    kept = Entry.objects.get(pk=entries["Мансап орталығы"].pk)
    assert kept.student_count == 0 and not kept.listings.exists()


def test_an_entry_a_student_added_survives_a_refresh_and_takes_rows_later(login, cast, task, repository, entries):
    login(cast.student).post(add_url(task), VALID)
    added = Entry.objects.get(added_by=cast.student)
    InstitutionReport.objects.all().delete()
    hand_in_rows(repository, cast.classmate, [row(VALID["organisation"], city="Астана", region="astana")])
    assert Entry.objects.get(pk=added.pk).student_count == 1
    hand_in_rows(repository, cast.classmate, [row("«Ақ жүрек» қоры")])
    assert Entry.objects.get(pk=added.pk).student_count == 0


def test_an_entry_without_reports_or_a_student_who_added_it_still_goes(cast, repository, entries):
    hand_in_rows(repository, cast.classmate, [row("«Ақ жүрек» қоры")])  # directory_refresh, through the signal
    assert not Entry.objects.filter(name="Мансап орталығы").exists()


# The staff-only list on the entry's page ---------------------------------------------------------------------------


def test_staff_see_the_reports_about_an_institution_and_students_do_not(login, cast, task, entries):
    entry = entries["«Ақ жүрек» қоры"]
    login(cast.student).post(choose_url(task), {"entry": entry.pk})
    hand_in_rows(task, cast.student, [])
    url = reverse("directory:entry", args=[entry.pk])
    for who in ("instructor", "dept_admin"):
        page = login(getattr(cast, who)).get(url)
        [report] = page.context["reports"]
        assert report.student == cast.student
        assert cast.student.display_name in page.content.decode()
    submission = task.submissions.get(student=cast.student)
    assert login(cast.instructor).get(url).context["reports"][0].work_url == reverse(
        "grading:grade", args=[submission.pk]
    )
    assert login(cast.dept_admin).get(url).context["reports"][0].work_url == ""
    page = login(cast.classmate).get(url)
    assert page.context["reports"] == [] and cast.student.display_name not in page.content.decode()


@pytest.mark.parametrize("value", ["", "abc", "²", "١٢"])
def test_a_choice_that_is_not_an_entry_number_is_answered_with_a_message(login, cast, task, entries, value):
    response = login(cast.student).post(choose_url(task), {"entry": value}, follow=True)
    assert response.status_code == 200
    assert gettext("Choose an organisation from the list.") in [
        str(message) for message in response.context["messages"]
    ]
    assert not InstitutionReport.objects.exists()


def test_a_task_with_a_chosen_institution_is_kept_from_deletion(login, cast, task, entries):
    login(cast.student).post(choose_url(task), {"entry": entries["Мансап орталығы"].pk})
    response = login(cast.instructor).post(reverse("grading:task_delete", args=[task.course_id, task.pk]), follow=True)
    assert task.__class__.objects.filter(pk=task.pk).exists()
    assert InstitutionReport.objects.filter(task=task).count() == 1
    assert response.status_code == 200


def test_the_empty_add_fields_are_kept_per_language_and_equal_a_fresh_rendering(login, cast, task, settings):
    """Outside development the empty fields are rendered once per process and language: each language keeps its
    own words, and what is kept is what a fresh rendering gives."""
    settings.DEBUG = False
    institution_tags._blank_fields_in.cache_clear()
    client = login(cast.student)
    pages = {}
    for language in ("kk", "ru", "kk"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages.setdefault(language, []).append(client.get(task_page(task)).content.decode())
    fresh = {}
    for language in ("kk", "ru"):
        with translation.override(language):
            fresh[language] = str(institution_tags._render_blank_fields())
            assert gettext("City or settlement") in fresh[language]
    assert fresh["kk"] != fresh["ru"]
    for language, seen in pages.items():
        assert all(fresh[language] in page for page in seen), language
    assert institution_tags._blank_fields_in.cache_info().currsize == 2
