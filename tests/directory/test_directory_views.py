"""The directory's pages (directory/views.py): who may reach them first, then search, filters, an entry, hiding."""

import pytest
from django.db import connection
from django.urls import reverse

from directory.models import Entry
from directory.services import entry_hide
from portfolio.models import ClientCategory
from tests.directory.conftest import hand_in_rows, row, students

pytestmark = pytest.mark.django_db

INDEX = reverse("directory:index")
STAFF = ["instructor", "dept_admin"]
OUTSIDERS = ["other_student", "other_instructor", "other_dept_admin"]


@pytest.fixture
def directory(cast, repository):
    """Three organisations listed by the cast's students (the newest spelling of a tie is shown), and one of another
    department."""
    hand_in_rows(
        repository,
        cast.classmate,
        [
            row('"АҚ ЖҮРЕК" ҚОРЫ', category="families"),
            row(
                "Центр занятости «Мансап»",
                category="unemployed",
                organisation_type="state",
                services="Трудоустройство, переподготовка",
                city="Шымкент",
                region="shymkent",
                address="ул. Тауке хана, 5",
                eligibility="Безработные, состоящие на учёте",
                cost="partly",
            ),
        ],
    )
    hand_in_rows(
        repository,
        cast.student,
        [
            row("«Ақ жүрек» қоры", category="domestic_violence"),
            row("Әсел балалар үйі", category="children", organisation_type="state", city="Астана", region="astana"),
        ],
    )
    hand_in_rows(cast.other_task, cast.other_student, [row("Психологтар қауымдастығы", city="Қарағанды")])
    return {entry.name: entry for entry in Entry.objects.all()}


def names(response):
    return [entry.name for entry in response.context["page"].object_list]


# Access first ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [INDEX, reverse("directory:export"), reverse("directory:entry", args=[1])],
)
def test_anonymous_visitors_are_asked_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("action", ["directory:entry_hide", "directory:entry_show"])
def test_anonymous_visitors_cannot_hide_or_show(client, directory, action):
    entry = directory["«Ақ жүрек» қоры"]
    response = client.post(reverse(action, args=[entry.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Entry.objects.get(pk=entry.pk).is_hidden


@pytest.mark.parametrize("who", ["student", "classmate", *STAFF])
def test_every_member_of_the_department_searches_its_directory(login, cast, directory, who):
    response = login(getattr(cast, who)).get(INDEX)
    assert response.status_code == 200
    assert set(names(response)) == {"«Ақ жүрек» қоры", "Әсел балалар үйі", "Центр занятости «Мансап»"}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_people_of_another_department_see_none_of_it(login, cast, directory, who):
    response = login(getattr(cast, who)).get(INDEX)
    assert response.status_code == 200
    assert names(response) == ["Психологтар қауымдастығы"]
    assert "жүрек" not in response.content.decode().lower()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_an_entry_of_another_department_is_not_found(login, cast, directory, who):
    client = login(getattr(cast, who))
    entry = directory["«Ақ жүрек» қоры"]
    assert client.get(reverse("directory:entry", args=[entry.pk])).status_code == 404


@pytest.mark.parametrize("who", ["other_instructor", "other_dept_admin"])
def test_staff_of_another_department_cannot_hide_an_entry(login, cast, directory, who):
    entry = directory["«Ақ жүрек» қоры"]
    assert login(getattr(cast, who)).post(reverse("directory:entry_hide", args=[entry.pk])).status_code == 404
    assert not Entry.objects.get(pk=entry.pk).is_hidden


def test_the_export_of_another_department_holds_none_of_its_entries(login, cast, directory):
    content = login(cast.other_student).get(reverse("directory:export")).content
    assert "Жүрек".encode() not in content  # the workbook is zipped: nothing of it can be read off the bytes either


def test_an_account_of_no_department_is_refused(login, cast, directory):
    outsider = students(cast, 1, prefix="nodept")[0]
    outsider.department = None
    outsider.save()
    assert login(outsider).get(INDEX).status_code == 403


@pytest.mark.parametrize("action", ["directory:entry_hide", "directory:entry_show"])
def test_students_cannot_hide_or_show_an_entry(login, cast, directory, action):
    entry = directory["«Ақ жүрек» қоры"]
    assert login(cast.student).post(reverse(action, args=[entry.pk])).status_code == 403


def test_hiding_takes_a_post(login, cast, directory):
    entry = directory["«Ақ жүрек» қоры"]
    assert login(cast.instructor).get(reverse("directory:entry_hide", args=[entry.pk])).status_code == 405


# Search and filters --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("әсел", ["Әсел балалар үйі"]),  # Kazakh capital letters folded in the data, not by SQLite
        ("ЖҮРЕК", ["«Ақ жүрек» қоры"]),
        ("журек", ["«Ақ жүрек» қоры"]),  # typed on a Russian keyboard
        ("ак жүрек қоры", ["«Ақ жүрек» қоры"]),
        ("переподготовка", ["Центр занятости «Мансап»"]),  # services
        ("шымкент", ["Центр занятости «Мансап»"]),  # city
        ("Тауке", ["Центр занятости «Мансап»"]),  # address
        ("учёте", ["Центр занятости «Мансап»"]),  # eligibility, ё read as е
        ("мүлде басқа нәрсе", []),
    ],
)
def test_the_free_text_finds_organisations_services_cities_addresses_and_eligibility(
    login, cast, directory, text, found
):
    assert names(login(cast.student).get(INDEX, {"q": text})) == found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram search: PostgreSQL only")
@pytest.mark.parametrize("text", ["Мансапп", "центр занятоссти", "Центер занятости Мансап"])
def test_on_postgresql_a_misspelt_name_still_finds_its_entry(login, cast, directory, text):
    assert names(login(cast.student).get(INDEX, {"q": text})) == ["Центр занятости «Мансап»"]


@pytest.mark.parametrize(
    ("field", "value", "found"),
    [
        ("category", "children", ["Әсел балалар үйі"]),
        ("category", "families", ["«Ақ жүрек» қоры"]),
        ("region", "shymkent", ["Центр занятости «Мансап»"]),
        ("organisation_type", "charity", ["«Ақ жүрек» қоры"]),
        ("cost", "partly", ["Центр занятости «Мансап»"]),
    ],
)
def test_each_filter_narrows_the_list(login, cast, directory, field, value, found):
    assert names(login(cast.student).get(INDEX, {field: value})) == found


def test_text_and_filters_apply_together(login, cast, directory):
    client = login(cast.student)
    assert names(client.get(INDEX, {"q": "жүрек", "organisation_type": "state"})) == []
    assert names(client.get(INDEX, {"q": "үйі", "category": "children", "region": "astana"})) == ["Әсел балалар үйі"]


def test_an_entry_named_as_searched_comes_before_more_listed_ones_that_only_mention_it(login, cast, repository):
    mentions = row("Сенім орталығы", address="Ақ жүрек көшесі, 5")
    for student in students(cast, 3):
        hand_in_rows(repository, student, [mentions])
    hand_in_rows(repository, cast.student, [row("«Ақ жүрек» қоры")])
    assert names(login(cast.student).get(INDEX, {"q": "ақ жүрек"})) == ["«Ақ жүрек» қоры", "Сенім орталығы"]
    assert names(login(cast.student).get(INDEX))[0] == "Сенім орталығы"  # without a text, the most listed first


def test_a_filter_value_that_is_not_on_the_list_is_named_and_left_out(login, cast, directory):
    response = login(cast.student).get(INDEX, {"region": "atlantis", "category": "children"})
    assert response.status_code == 200
    assert names(response) == ["Әсел балалар үйі"]
    assert response.context["form"].errors["region"]


def test_the_most_listed_entries_come_first_and_the_card_says_so(login, cast, directory):
    response = login(cast.student).get(INDEX)
    assert names(response)[0] == "«Ақ жүрек» қоры"
    html = response.content.decode()
    assert response.context["page"].object_list[0].student_count == 2
    assert "+7 727 300 00 00" in html and 'href="tel:+77273000000"' in html


def test_the_list_is_paginated_and_keeps_the_search_in_the_page_links(login, cast, repository):
    hand_in_rows(repository, cast.student, [row(f"Орталық {number:02}", category="elderly") for number in range(25)])
    client = login(cast.student)
    first = client.get(INDEX, {"category": "elderly"})
    assert len(names(first)) == 20 and first.context["page"].paginator.count == 25
    assert "category=elderly&amp;page=2" in first.content.decode()
    assert len(names(client.get(INDEX, {"category": "elderly", "page": 2}))) == 5


# Hidden entries ----------------------------------------------------------------------------------------------------


def test_a_hidden_entry_disappears_for_students_and_is_marked_for_staff(login, cast, directory):
    entry = directory["«Ақ жүрек» қоры"]
    entry_hide(entry=entry, hidden_by=cast.instructor)
    assert "«Ақ жүрек» қоры" not in names(login(cast.student).get(INDEX))
    assert login(cast.student).get(reverse("directory:entry", args=[entry.pk])).status_code == 404
    staff_page = login(cast.dept_admin).get(INDEX)
    assert "«Ақ жүрек» қоры" in names(staff_page)
    assert "badge text-bg-warning" in staff_page.content.decode()


def test_an_instructor_hides_an_entry_and_shows_it_again(login, cast, directory):
    entry = directory["«Ақ жүрек» қоры"]
    client = login(cast.instructor)
    response = client.post(reverse("directory:entry_hide", args=[entry.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("directory:entry", args=[entry.pk])
    entry.refresh_from_db()
    assert entry.is_hidden and entry.hidden_by == cast.instructor
    page = client.get(response["Location"]).content.decode()
    assert reverse("directory:entry_show", args=[entry.pk]) in page
    client.post(reverse("directory:entry_show", args=[entry.pk]))
    entry.refresh_from_db()
    assert not entry.is_hidden


def test_a_department_admin_hides_an_entry(login, cast, directory):
    entry = directory["Әсел балалар үйі"]
    login(cast.dept_admin).post(reverse("directory:entry_hide", args=[entry.pk]))
    assert Entry.objects.get(pk=entry.pk).is_hidden


# An entry --------------------------------------------------------------------------------------------------------


def test_an_entry_shows_what_it_offers_each_category_its_contacts_and_sources(login, cast, directory):
    entry = directory["«Ақ жүрек» қоры"]
    response = login(cast.student).get(reverse("directory:entry", args=[entry.pk]))
    html = response.content.decode()
    services = ["Уақытша баспана, психологиялық көмек"]
    assert response.context["offers"] == [
        (ClientCategory.DOMESTIC_VIOLENCE.label, services),
        (ClientCategory.FAMILIES.label, services),
    ]
    assert response.context["sources"] == ["https://akzhurek.kz"]
    assert 'href="https://akzhurek.kz"' in html and 'href="mailto:info@akzhurek.kz"' in html
    assert reverse("directory:entry_hide", args=[entry.pk]) not in html  # no hiding for students


# Queries do not grow with the directory -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_takes_a_fixed_number_of_queries(login, cast, repository, django_assert_max_num_queries, size):
    for number, student in enumerate(students(cast, size)):
        hand_in_rows(repository, student, [row(f"Ұйым {number}", category="children"), row(category="elderly")])
    client = login(cast.student)
    client.get(INDEX)  # the session and the user are read the same way on every request
    # The session, the user, the count, the page, its categories; PostgreSQL counts the full-text matches first.
    with django_assert_max_num_queries(6 if connection.vendor == "postgresql" else 5):
        assert client.get(INDEX, {"category": "children", "q": "ұйым"}).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(INDEX).status_code == 200
