"""The navigation bar (accounts.templatetags.navigation.navbar): rendered once per language and kind of reader, with
the reader's own name, role, page address and form token on each page."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def navbar(html):
    return html[html.index('<nav class="navbar') :].split("</nav>")[0]


@pytest.mark.parametrize("debug", [False, True], ids=["kept", "developing"])
@pytest.mark.parametrize("language, role", [("kk", "Студент"), ("ru", "Студент"), ("en", "Student")])
def test_each_reader_sees_their_own_name_role_and_token(login, cast, settings, language, role, debug):
    settings.DEBUG = debug
    cast.student.last_name = "<b>Сейітова</b>"
    cast.student.save()
    client = login(cast.student)
    client.cookies["portal_language"] = language
    bar = navbar(client.get(reverse("grading:student_home")).content.decode())
    assert "&lt;b&gt;Сейітова&lt;/b&gt;" in bar and "<b>" not in bar
    assert role in bar and cast.classmate.last_name not in bar
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', bar))
    assert len(re.findall(r'name="csrfmiddlewaretoken"', bar)) == 2 and tokens and "\x00" not in bar
    other = login(cast.classmate)
    other.cookies["portal_language"] = language
    assert cast.classmate.last_name in navbar(other.get(reverse("grading:student_home")).content.decode())


def test_the_language_form_returns_to_the_page_with_its_query_escaped(login, cast):
    client = login(cast.instructor)
    course = reverse("grading:course_detail", args=[cast.course.pk])
    bar = navbar(client.get(course + "?a=1&b=<x>").content.decode())
    assert f'name="next" type="hidden" value="{course}?a=1&amp;b=%3Cx%3E"' in bar


def test_a_signed_out_reader_has_no_menu_and_staff_see_the_administration(client, login, cast):
    bar = navbar(client.get(reverse("login")).content.decode())
    assert "dropdown" not in bar and reverse("logout") not in bar
    cast.instructor.is_staff = True
    cast.instructor.save()
    assert reverse("admin:index") in navbar(login(cast.instructor).get(reverse("home"), follow=True).content.decode())


def test_a_page_made_without_a_request_has_the_signed_out_bar_without_a_token(db):
    from django.template.loader import render_to_string

    html = render_to_string("error_page.html", {})
    bar = navbar(html)
    assert "csrfmiddlewaretoken" not in bar and "dropdown" not in bar and "\x00" not in html
