"""The department's letter scale editor (grading/views/letter_scale.py): who reaches it, then what it does."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from coursework.models import Course
from grading.selectors.grades import letters_for
from grading.services.gradebook import gradebook_lock, gradebook_sign_off
from grading.services.letter_scale import letter_scale_save, national_rows, single_f_rows
from tests.conftest import make_user
from tests.grading.conftest import letter_counts, replaced, without

pytestmark = pytest.mark.django_db

URL = reverse("grading:letter_scale")


@pytest.fixture(autouse=True)
def english():
    """Messages are compared as written in English (the fixture's Kazakh is only a language switch away)."""
    with translation.override("en"):
        yield


def scale_of(department):
    return [(grade.letter, grade.min_percent, grade.max_percent) for grade in letters_for(department)]


def form_data(rows, *, blank=0):
    """The editor's POST: one form per row plus ``blank`` untouched rows, management form included."""
    data = {
        "action": "save",
        "letters-TOTAL_FORMS": str(len(rows) + blank),
        "letters-INITIAL_FORMS": str(len(rows)),
        "letters-MIN_NUM_FORMS": "0",
        "letters-MAX_NUM_FORMS": "1000",
    }
    for index, each in enumerate(rows):
        data |= {f"letters-{index}-{name}": str(value) for name, value in each.items() if name != "delete"}
        if each.get("delete"):
            data[f"letters-{index}-DELETE"] = "on"
    for index in range(len(rows), len(rows) + blank):
        data |= {f"letters-{index}-{name}": "" for name in ("letter", "min_percent", "max_percent", "gpa")}
        data[f"letters-{index}-traditional"] = ""
    return data


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# Who reaches the editor -----------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, cast):
    for method in ("get", "post"):
        response = getattr(client, method)(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_students_and_instructors_are_refused(login, cast, national):
    for person in (cast.student, cast.instructor):
        client = login(person)
        assert client.get(URL).status_code == 403
        assert client.post(URL, form_data(single_f_rows())).status_code == 403
    assert letter_counts() == (12, 0)


def test_a_department_admin_without_a_department_finds_no_scale(login, cast, national):
    homeless = make_user("homeless_admin", Role.DEPARTMENT_ADMIN, None)
    assert login(homeless).get(URL).status_code == 404


def test_another_departments_admin_changes_only_their_own_departments_scale(login, cast, national):
    assert login(cast.other_dept_admin).post(URL, form_data(single_f_rows())).status_code == 302
    assert ("FX", 25, 49) in scale_of(cast.department)
    assert ("FX", 25, 49) not in scale_of(cast.other_department)


# What the editor does ---------------------------------------------------------------------------


def test_the_admin_sees_the_national_default_with_its_source(login, cast, national):
    response = in_english(login(cast.dept_admin)).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-scale-kind="national"' in html
    assert "National scale (default)" in html
    assert "Order No. 152 of the Ministry of Education and Science, 20 April 2011, as amended" in html
    forms = response.context["formset"].forms
    assert [form.initial.get("letter") for form in forms][:12] == [each["letter"] for each in national_rows()]
    assert 'value="FX"' in html
    assert html.count("<tr data-letter-row>") == 12 + 3 + 1  # the scale, three blank rows, the row template


def _signed_off(course, by):
    gradebook_lock(course=course, by=by, starts_at=timezone.now() - dt.timedelta(hours=1))
    gradebook_sign_off(course=course, by=by)


def test_before_saving_the_page_names_the_open_gradebooks_a_change_reaches(login, cast, national):
    signed = Course.objects.create(
        department=cast.department,
        code="SW-201",
        title="Әлеуметтік жұмыс теориясы",
        title_en="Social work theory",
        academic_year="2024-2025",
        term="spring",
        start_date=dt.date(2025, 1, 13),
    )
    _signed_off(signed, cast.dept_admin)
    html = in_english(login(cast.dept_admin)).get(URL).content.decode()
    reach = html[html.index('id="scale-reach"') : html.index("</section>", html.index('id="scale-reach"'))]
    open_list = reach[reach.index("data-open-courses") : reach.index("</ul>", reach.index("data-open-courses"))]
    signed_list = reach[reach.index("data-signed-courses") :]
    assert "CM-7B11401" in open_list and "SW-201" not in open_list
    assert "SW-201" in signed_list and "CM-7B11401" not in signed_list
    assert "PSY-101" not in reach  # another department's course
    assert "1 open gradebook" in reach
    assert "Signed-off gradebooks keep the scale they were signed off with" in reach
    assert html.index('id="scale-reach"') < html.index('value="save"')  # said before the save button


def test_the_single_f_preset_fills_the_form_without_saving(login, cast, national):
    response = in_english(login(cast.dept_admin)).get(URL, {"preset": "single_f"})
    letters = [form.initial.get("letter") for form in response.context["formset"].forms if form.initial]
    assert letters[-1] == "F" and "FX" not in letters
    assert 'value="49"' in response.content.decode()
    assert letter_counts() == (12, 0)


def test_a_valid_variant_is_saved_for_the_department_only(login, cast, national):
    client = login(cast.dept_admin)
    response = client.post(URL, form_data(single_f_rows(), blank=3))
    assert response.status_code == 302 and response.url == URL
    assert letter_counts() == (12, 11)
    assert scale_of(cast.department)[-2:] == [("D", 50, 54), ("F", 0, 49)]
    assert all(grade.department_id == cast.department.pk for grade in letters_for(cast.department))
    assert ("FX", 25, 49) in scale_of(cast.other_department)
    assert 'data-scale-kind="own"' in client.get(URL).content.decode()


def test_removing_a_row_and_filling_a_blank_one_changes_the_scale(login, cast, national):
    rows = national_rows()
    rows[-2]["delete"] = True  # FX
    rows[-1]["max_percent"] = Decimal(49)  # F
    data = form_data(rows, blank=2)
    data |= {"letters-13-letter": "A+", "letters-13-min_percent": "100", "letters-13-max_percent": "100"}
    data |= {"letters-13-gpa": "4", "letters-13-traditional": "excellent"}
    data["letters-0-max_percent"] = "99"  # A
    assert login(cast.dept_admin).post(URL, data).status_code == 302
    assert scale_of(cast.department)[:2] == [("A+", 100, 100), ("A", 95, 99)]
    assert "FX" not in [letter for letter, _low, _high in scale_of(cast.department)]


def test_an_invalid_variant_shows_what_is_wrong_and_saves_nothing(login, cast, national):
    client = login(cast.dept_admin)
    client.post(URL, form_data(single_f_rows()))
    before = (letter_counts(), scale_of(cast.department))
    rows = replaced(without(national_rows(), "D+"), "C-", min_percent=Decimal(56))
    response = in_english(client).post(URL, form_data(rows))
    assert response.status_code == 200
    assert response.context["errors"] == ["Gap between D (50–54) and C- (56–64): 55 is not covered."]
    assert "Gap between D (50–54) and C- (56–64): 55 is not covered." in response.content.decode()
    assert (letter_counts(), scale_of(cast.department)) == before


def test_an_unreadable_field_is_marked_and_nothing_is_saved(login, cast, national):
    data = form_data(single_f_rows())
    data["letters-0-gpa"] = "four"
    response = in_english(login(cast.dept_admin)).post(URL, data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["gpa"]
    assert "The scale was not saved" in response.content.decode()
    assert letter_counts() == (12, 0)


def test_using_the_national_scale_asks_first_then_deletes_the_departments_rows(login, cast, national):
    letter_scale_save(department=cast.department, rows=single_f_rows())
    letter_scale_save(department=cast.other_department, rows=single_f_rows())
    client = in_english(login(cast.dept_admin))
    confirmation = client.get(URL, {"confirm": "use_national"}).content.decode()
    assert 'name="action" value="use_national"' in confirmation
    assert letter_counts() == (12, 22)
    response = client.post(URL, {"action": "use_national"})
    assert response.status_code == 302
    assert letter_counts() == (12, 11)
    assert ("FX", 25, 49) in scale_of(cast.department)
    assert ("FX", 25, 49) not in scale_of(cast.other_department)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Your department's own scale was deleted: its grades use the national scale."
    ]


def test_the_navigation_and_the_department_page_link_to_the_scale(login, cast):
    html = login(cast.dept_admin).get(reverse("grading:department_home")).content.decode()
    assert html.count(f'href="{URL}"') == 2
