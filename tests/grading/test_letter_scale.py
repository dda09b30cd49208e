"""The department's letter scale: the rule that checks a scale, then the editor page and its effect on grading."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from grading import scoring
from grading.models import LetterGrade
from grading.selectors.grades import letters_for
from grading.services.letter_scale import (
    letter_scale_ensure,
    letter_scale_save,
    national_rows,
    single_f_rows,
    validate_scale,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = reverse("grading:letter_scale")


@pytest.fixture(autouse=True)
def english():
    """Messages are compared as written in English (the fixture's Kazakh is only a language switch away)."""
    with translation.override("en"):
        yield


@pytest.fixture
def national(db):
    return letter_scale_ensure()


def row(letter, low, high, gpa, traditional="satisfactory"):
    return {
        "letter": letter,
        "min_percent": Decimal(low),
        "max_percent": Decimal(high),
        "gpa": Decimal(gpa),
        "traditional": traditional,
    }


def replaced(rows, which, **changes):
    """The rows with the row of letter ``which`` changed."""
    return [{**each, **changes} if each["letter"] == which else each for each in rows]


def without(rows, which):
    return [each for each in rows if each["letter"] != which]


def counts():
    return (
        LetterGrade.objects.filter(department__isnull=True).count(),
        LetterGrade.objects.filter(department__isnull=False).count(),
    )


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


# The rule -------------------------------------------------------------------------------------


def test_the_national_scale_is_valid():
    assert validate_scale(national_rows()) == []


def test_the_single_f_variant_is_valid_and_has_no_fx():
    rows = single_f_rows()
    assert validate_scale(rows) == []
    assert [each["letter"] for each in rows][-2:] == ["D", "F"]
    assert (rows[-1]["min_percent"], rows[-1]["max_percent"]) == (0, 49)


def test_a_gap_names_both_rows_and_the_uncovered_percentage():
    rows = replaced(without(national_rows(), "D+"), "C-", min_percent=Decimal(56))
    assert validate_scale(rows) == ["Gap between D (50–54) and C- (56–64): 55 is not covered."]


def test_a_wider_gap_names_the_uncovered_range():
    rows = replaced(without(national_rows(), "D+"), "C-", min_percent=Decimal(58))
    assert validate_scale(rows) == ["Gap between D (50–54) and C- (58–64): 55–57 are not covered."]


def test_an_overlap_names_both_rows():
    rows = replaced(national_rows(), "B", max_percent=Decimal(85))
    assert validate_scale(rows) == ["B (80–85) overlaps B+ (85–89)."]


def test_an_overlap_with_a_wide_row_is_found_past_the_rows_between():
    rows = replaced(national_rows(), "D", max_percent=Decimal(64))
    assert "D (50–64) overlaps D+ (55–59)." in validate_scale(rows)
    assert "D (50–64) overlaps C- (60–64)." in validate_scale(rows)


def test_a_scale_must_reach_100():
    rows = replaced(national_rows(), "A", max_percent=Decimal(99))
    assert validate_scale(rows) == ["The highest row, A (95–99), must end at 100."]


def test_a_scale_must_start_at_0():
    rows = replaced(national_rows(), "F", min_percent=Decimal(1))
    assert validate_scale(rows) == ["The lowest row, F (1–24), must start at 0."]


def test_letters_are_unique_whatever_their_case():
    rows = replaced(national_rows(), "B-", letter="b")
    assert validate_scale(rows) == ["The letter “B” is used more than once: B (80–84), b (75–79)."]


def test_gpa_points_must_not_fall_as_the_bounds_rise():
    rows = replaced(national_rows(), "C+", gpa=Decimal("1.5"))
    assert validate_scale(rows) == [
        "GPA points must not fall as the percentages rise: C+ (70–74) has 1.5, below C (65–69) with 2.",
    ]


def test_each_row_is_checked_on_its_own():
    rows = [
        row("", 0, 49, "0", "unsatisfactory"),
        row("D", "50.5", 59, "1"),
        row("C", 60, 101, "4.5"),
        {**row("A", 90, 80, "4", ""), "traditional": "perfect"},
    ]
    assert validate_scale(rows) == [
        "Row 1: the letter is empty.",
        "D (50.5–59): bounds are whole percentages; 50.5 is not.",
        "C (60–101): bounds must lie between 0 and 100.",
        "C (60–101): GPA points are from 0 to 4, not 4.5.",
        "A (90–80): “from %” (90) is above “to %” (80).",
        "A (90–80): choose the traditional grade.",
    ]


def test_an_empty_scale_is_refused():
    assert validate_scale([]) == ["The scale has no rows. Fill in at least one, or use the national scale."]


def test_an_invalid_scale_is_not_saved(cast, national):
    rows = replaced(national_rows(), "A", max_percent=Decimal(99))
    with pytest.raises(ValidationError, match="must end at 100"):
        letter_scale_save(department=cast.department, rows=rows)
    assert counts() == (12, 0)


def test_the_national_default_is_never_replaced_through_the_editors_service(national):
    with pytest.raises(ValueError):
        letter_scale_save(department=None, rows=single_f_rows())
    assert counts() == (12, 0)


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
    assert counts() == (12, 0)


def test_a_department_admin_without_a_department_finds_no_scale(login, cast, national):
    homeless = make_user("homeless_admin", Role.DEPARTMENT_ADMIN, None)
    assert login(homeless).get(URL).status_code == 404


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


def test_the_single_f_preset_fills_the_form_without_saving(login, cast, national):
    response = in_english(login(cast.dept_admin)).get(URL, {"preset": "single_f"})
    letters = [form.initial.get("letter") for form in response.context["formset"].forms if form.initial]
    assert letters[-1] == "F" and "FX" not in letters
    assert 'value="49"' in response.content.decode()
    assert counts() == (12, 0)


def test_a_valid_variant_is_saved_for_the_department_only(login, cast, national):
    client = login(cast.dept_admin)
    response = client.post(URL, form_data(single_f_rows(), blank=3))
    assert response.status_code == 302 and response.url == URL
    assert counts() == (12, 11)
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
    before = (counts(), scale_of(cast.department))
    rows = replaced(without(national_rows(), "D+"), "C-", min_percent=Decimal(56))
    response = in_english(client).post(URL, form_data(rows))
    assert response.status_code == 200
    assert response.context["errors"] == ["Gap between D (50–54) and C- (56–64): 55 is not covered."]
    assert "Gap between D (50–54) and C- (56–64): 55 is not covered." in response.content.decode()
    assert (counts(), scale_of(cast.department)) == before


def test_an_unreadable_field_is_marked_and_nothing_is_saved(login, cast, national):
    data = form_data(single_f_rows())
    data["letters-0-gpa"] = "four"
    response = in_english(login(cast.dept_admin)).post(URL, data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["gpa"]
    assert "The scale was not saved" in response.content.decode()
    assert counts() == (12, 0)


def test_using_the_national_scale_asks_first_then_deletes_the_departments_rows(login, cast, national):
    letter_scale_save(department=cast.department, rows=single_f_rows())
    letter_scale_save(department=cast.other_department, rows=single_f_rows())
    client = in_english(login(cast.dept_admin))
    confirmation = client.get(URL, {"confirm": "use_national"}).content.decode()
    assert 'name="action" value="use_national"' in confirmation
    assert counts() == (12, 22)
    response = client.post(URL, {"action": "use_national"})
    assert response.status_code == 302
    assert counts() == (12, 11)
    assert ("FX", 25, 49) in scale_of(cast.department)
    assert ("FX", 25, 49) not in scale_of(cast.other_department)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Your department's own scale was deleted: its grades use the national scale."
    ]


def test_the_navigation_and_the_department_page_link_to_the_scale(login, cast):
    html = login(cast.dept_admin).get(reverse("grading:department_home")).content.decode()
    assert html.count(f'href="{URL}"') == 2


# The effect on grading ------------------------------------------------------------------------


def test_40_percent_is_fx_nationally_and_f_with_a_single_f(cast, national):
    assert scoring.letter_for(letters_for(cast.department), 40).letter == "FX"
    letter_scale_save(department=cast.department, rows=single_f_rows())
    assert scoring.letter_for(letters_for(cast.department), 40).letter == "F"
    assert scoring.letter_for(letters_for(cast.other_department), 40).letter == "FX"
