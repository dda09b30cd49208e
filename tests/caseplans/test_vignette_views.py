"""The course's case vignettes page: who reaches it, writing a case with its de-identification check, editing,
deleting, and adding the example cases."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caseplans.identifiers import personal_data
from caseplans.models import CaseAssignment, Vignette
from caseplans.vignette_forms import findings_digest
from tests.caseplans.conftest import VIGNETTE_TEXT

IIN = "900101350123"
NEW_CASE = {
    "title": "Марат: ұзақ уақыт жұмыссыздық",
    "language": "kk",
    "client_category": "unemployed",
    "text": "Марат, 45 жаста, үш жылдан бері тұрақты жұмысы жоқ. Әйелі мен екі баласы бар.",
}


def list_url(course):
    return reverse("caseplans:vignettes", args=[course.pk])


def create_url(course):
    return reverse("caseplans:vignette_create", args=[course.pk])


def edit_url(vignette):
    return reverse("caseplans:vignette_edit", args=[vignette.course_id, vignette.pk])


def delete_url(vignette):
    return reverse("caseplans:vignette_delete", args=[vignette.course_id, vignette.pk])


def examples_url(course):
    return reverse("caseplans:vignette_examples", args=[course.pk])


def every_url(cast, vignette):
    """(method, url) of every page and action of the vignettes."""
    return [
        ("get", list_url(cast.course)),
        ("get", create_url(cast.course)),
        ("post", create_url(cast.course)),
        ("get", edit_url(vignette)),
        ("post", edit_url(vignette)),
        ("post", delete_url(vignette)),
        ("post", examples_url(cast.course)),
    ]


# Who may reach the pages -------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, vignette):
    for method, url in every_url(cast, vignette):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_students_are_refused(login, cast, vignette):
    client = login(cast.student)
    for method, url in every_url(cast, vignette):
        assert getattr(client, method)(url, NEW_CASE if method == "post" else None).status_code == 403, url
    assert Vignette.objects.count() == 1


def test_another_courses_instructor_finds_nothing(login, cast, vignette):
    client = login(cast.other_instructor)
    for method, url in every_url(cast, vignette):
        assert getattr(client, method)(url, NEW_CASE if method == "post" else None).status_code == 404, url
    assert Vignette.objects.count() == 1


def test_another_departments_admin_finds_nothing(login, cast, vignette):
    assert login(cast.other_dept_admin).get(list_url(cast.course)).status_code == 404


def test_the_department_admin_reads_the_list_but_changes_nothing(login, cast, vignette):
    client = login(cast.dept_admin)
    response = client.get(list_url(cast.course))
    assert response.status_code == 200
    page = response.content.decode()
    assert vignette.title in page
    assert create_url(cast.course) not in page and edit_url(vignette) not in page
    assert examples_url(cast.course) not in page and delete_url(vignette) not in page
    for method, url in every_url(cast, vignette)[1:]:
        assert getattr(client, method)(url, NEW_CASE if method == "post" else None).status_code == 403, url
    assert Vignette.objects.count() == 1


def test_a_vignette_of_another_course_is_not_found_through_this_course(login, cast):
    foreign = Vignette.objects.create(
        course=cast.other_course, title="Бөгде", language="kk", client_category="other", text="Мәтін"
    )
    client = login(cast.instructor)
    url = reverse("caseplans:vignette_edit", args=[cast.course.pk, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(reverse("caseplans:vignette_delete", args=[cast.course.pk, foreign.pk])).status_code == 404
    assert Vignette.objects.filter(pk=foreign.pk).exists()


# The list ------------------------------------------------------------------------------------------------------------


def test_the_list_shows_each_case_with_its_facts_and_how_many_students_have_it(login, cast, vignette, case_task):
    for student in (cast.student, cast.classmate):
        CaseAssignment.objects.create(task=case_task, student=student, vignette=vignette, assigned_by=cast.instructor)
    example = Vignette.objects.create(
        course=cast.course, title="Күләш: жалғыз", language="ru", client_category="elderly", text="Т", is_example=True
    )
    page = login(cast.instructor).get(list_url(cast.course)).content.decode()
    card = re.search(rf'id="vignette-{vignette.pk}".*?</article>', page, re.S).group(0)
    assert vignette.title in card and "Тұрмыстық зорлық-зомбылық құрбандары" in card and "Қазақ тілі" in card
    assert 'data-count="2"' in card and "example-badge" not in card
    assert delete_url(vignette) not in card  # given to students: it stays
    example_card = re.search(rf'id="vignette-{example.pk}".*?</article>', page, re.S).group(0)
    assert f'example-badge">{_("Example")}' in example_card and "Орыс тілі" in example_card
    assert 'data-count="0"' in example_card
    assert delete_url(example) in example_card
    assert reverse("caseplans:assignments", args=[cast.course.pk, case_task.pk]) in page


def test_an_empty_list_says_how_to_begin(login, cast):
    page = login(cast.instructor).get(list_url(cast.course)).content.decode()
    assert "no-vignettes" in page and examples_url(cast.course) in page


def test_the_course_nav_offers_the_cases_tab_to_instructors_only(login, cast):
    assert list_url(cast.course) in login(cast.instructor).get(list_url(cast.course)).content.decode()
    page = login(cast.dept_admin).get(reverse("grading:course_detail", args=[cast.course.pk])).content.decode()
    assert list_url(cast.course) not in page


@pytest.mark.parametrize("extra", [1, 12])
def test_the_list_uses_a_fixed_number_of_queries(login, cast, case_task, django_assert_max_num_queries, extra):
    for number in range(extra):
        Vignette.objects.create(
            course=cast.course, title=f"Кейс {number}", language="kk", client_category="other", text="Мәтін"
        )
    CaseAssignment.objects.create(
        task=case_task, student=cast.student, vignette=cast.course.vignettes.first(), assigned_by=cast.instructor
    )
    client = login(cast.instructor)
    with django_assert_max_num_queries(6):
        response = client.get(list_url(cast.course))
    assert response.content.decode().count('class="card mb-3 vignette-card"') == extra


# Writing and editing -----------------------------------------------------------------------------------------------


def test_the_instructor_writes_a_case(login, cast):
    client = login(cast.instructor)
    assert client.get(create_url(cast.course)).status_code == 200
    response = client.post(create_url(cast.course), NEW_CASE, follow=True)
    vignette = Vignette.objects.get()
    assert (vignette.title, vignette.client_category, vignette.course, vignette.created_by) == (
        NEW_CASE["title"],
        "unemployed",
        cast.course,
        cast.instructor,
    )
    assert not vignette.is_example
    assert response.redirect_chain[-1][0] == list_url(cast.course)
    assert "Марат: ұзақ уақыт жұмыссыздық" in response.content.decode()


def test_a_case_without_a_text_or_a_known_category_is_not_saved(login, cast):
    response = login(cast.instructor).post(
        create_url(cast.course), {**NEW_CASE, "text": "", "client_category": "aliens"}
    )
    assert response.status_code == 400
    assert not Vignette.objects.exists()
    assert "is-invalid" in response.content.decode()


def test_what_looks_like_personal_data_stops_the_save_and_is_shown_without_repeating_it(login, cast):
    text = f"Айгүл, ЖСН {IIN}, тел. +7 701 123 45 67, Абай даңғылы 12 үйде тұрады."
    response = login(cast.instructor).post(create_url(cast.course), {**NEW_CASE, "text": text})
    assert response.status_code == 400
    assert not Vignette.objects.exists()
    page = response.content.decode()
    warning = re.search(r'class="alert alert-warning personal-data-warning".*?</div>\s*</div>', page, re.S).group(0)
    assert "жсн (он екі цифр)" in warning.lower() and "телефон нөмірі" in warning.lower()
    assert "мекенжай" in warning.lower()
    assert "90…23" in warning and IIN not in warning and "123 45 67" not in warning
    assert 'name="confirmed"' in warning and not re.search(r"<input[^>]*checked", warning)


def test_personal_data_in_the_title_counts_too(login, cast):
    response = login(cast.instructor).post(create_url(cast.course), {**NEW_CASE, "title": "aigul@mail.kz кейсі"})
    assert response.status_code == 400 and not Vignette.objects.exists()
    assert "электрондық пошта" in response.content.decode().lower()


def test_the_confirmation_saves_what_was_shown(login, cast):
    text = f"Айгүлдің ЖСН-і {IIN} деп ойдан жазылды."
    client = login(cast.instructor)
    first = client.post(create_url(cast.course), {**NEW_CASE, "text": text})
    digest = re.search(r'name="confirmed_for" value="(\w+)"', first.content.decode()).group(1)
    response = client.post(
        create_url(cast.course), {**NEW_CASE, "text": text, "confirmed": "on", "confirmed_for": digest}
    )
    assert response.status_code == 302
    assert Vignette.objects.get().text == text


def test_a_confirmation_does_not_cover_what_was_typed_after_it(login, cast):
    shown = f"ЖСН {IIN}"
    digest = findings_digest(personal_data(shown))
    response = login(cast.instructor).post(
        create_url(cast.course),
        {**NEW_CASE, "text": f"{shown}, тел. 8 701 555 44 33", "confirmed": "on", "confirmed_for": digest},
    )
    assert response.status_code == 400
    assert not Vignette.objects.exists()


def test_a_confirmation_without_the_tick_saves_nothing(login, cast):
    text = f"ЖСН {IIN}"
    digest = findings_digest(personal_data(text))
    response = login(cast.instructor).post(create_url(cast.course), {**NEW_CASE, "text": text, "confirmed_for": digest})
    assert response.status_code == 400 and not Vignette.objects.exists()


def test_the_instructor_edits_a_case_even_when_it_is_given(login, cast, given_case, vignette):
    client = login(cast.instructor)
    page = client.get(edit_url(vignette)).content.decode()
    assert VIGNETTE_TEXT in page
    response = client.post(edit_url(vignette), {**NEW_CASE, "title": "Айгүл: жаңа атау"})
    assert response.status_code == 302
    vignette.refresh_from_db()
    assert (vignette.title, vignette.text) == ("Айгүл: жаңа атау", NEW_CASE["text"])
    assert Vignette.objects.count() == 1


# Deleting ------------------------------------------------------------------------------------------------------------


def test_a_case_nobody_has_is_deleted(login, cast, vignette):
    response = login(cast.instructor).post(delete_url(vignette), follow=True)
    assert not Vignette.objects.exists()
    assert _("The case “%(title)s” was deleted.") % {"title": vignette.title} in response.content.decode()


def test_a_case_given_to_a_student_is_not_deleted(login, cast, given_case, vignette):
    response = login(cast.instructor).post(delete_url(vignette), follow=True)
    assert Vignette.objects.filter(pk=vignette.pk).exists()
    page = response.content.decode()
    refusal = _("This case has been given to students; it can be changed, but not deleted.")
    assert re.search(r"alert-danger[^>]*>\s*" + re.escape(refusal), page)


def test_deleting_is_only_a_post(login, cast, vignette):
    assert login(cast.instructor).get(delete_url(vignette)).status_code == 405
    assert Vignette.objects.exists()


# The examples --------------------------------------------------------------------------------------------------------


def test_the_examples_are_added_once(login, cast):
    client = login(cast.instructor)
    response = client.post(examples_url(cast.course), follow=True)
    assert cast.course.vignettes.filter(is_example=True).count() == 5
    added = ngettext("%(count)d example case was added.", "%(count)d example cases were added.", 5) % {"count": 5}
    assert added in response.content.decode()
    response = client.post(examples_url(cast.course), follow=True)
    assert cast.course.vignettes.count() == 5
    page = response.content.decode()
    assert _("Every example case is in the course already: none was added.") in page and added not in page
