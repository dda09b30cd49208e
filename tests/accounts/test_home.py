"""Signing in (accounts/views.py and Django's sign-in pages): each role lands on its own home page.

Who may open each home page is tested with the page: test_courses_views.py and test_department_views.py in
tests/grading."""

import pytest
from django.urls import reverse

from accounts.models import Role, User

pytestmark = pytest.mark.django_db

HOMES = {
    "student": "grading:student_home",
    "instructor": "grading:instructor_home",
    "dept_admin": "grading:department_home",
}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", HOMES)
def test_after_sign_in_each_role_lands_on_its_home(client, cast, who):
    user = getattr(cast, who)
    response = client.post(reverse("login"), {"username": user.username, "password": "cast-pass-2025"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(HOMES[who])
    assert response.status_code == 200


def test_a_wrong_password_is_answered_in_kazakh(client, cast):
    response = client.post(reverse("login"), {"username": "student", "password": "wrong"})
    assert response.status_code == 200
    assert "құпиясөз өрістерін дұрыс толтырыңыз" in response.content.decode()


def test_a_superuser_without_a_department_goes_to_the_admin(client, db):
    admin = User.objects.create_superuser("root", "root@example.com", "x", role=Role.INSTRUCTOR)
    client.force_login(admin)
    assert client.get(reverse("home"))["Location"] == reverse("admin:index")


def test_password_change_uses_the_portal_page(login, cast):
    client = login(cast.student)
    response = client.post(
        reverse("password_change"),
        {"old_password": "cast-pass-2025", "new_password1": "Жаңа-құпия-2025", "new_password2": "Жаңа-құпия-2025"},
        follow=True,
    )
    assert response.status_code == 200
    cast.student.refresh_from_db()
    assert cast.student.check_password("Жаңа-құпия-2025")
